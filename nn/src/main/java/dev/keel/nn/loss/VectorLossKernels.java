package dev.keel.nn.loss;

import dev.keel.core.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loss kernels. Loaded only by {@link LossKernels} through
 * {@code Kernels.loadVectorImplementation}; never reference this class directly.
 *
 * <p>Rows of up to {@link #ACROSS_ROWS_MAX_CLASSES} classes are processed {@code L} rows at a time,
 * one row per lane: each column of a tile of rows is gathered into a vector, so a row of 2 classes
 * gets the same vector work per logit as a row of 16 along the row would. Wider rows are vectorized
 * along the row. The binary kinds (one logit per row) are contiguous across rows already, and two
 * classes go through their pipeline on the logit difference {@code z_1 - z_0}.
 *
 * <p>Rows go through in blocks of up to {@link LossBlock#BLOCK} rows, in a pipeline of {@link VectorPhase phases},
 * each a loop over the block's arrays: (1) the row statistics {@code log p_t}, {@code p_t},
 * {@code q} and the weight; (2) each row's loss and gradient coefficient {@code B} by kind (see
 * the kind's {@link LossKind#vectorRow}); (3) the gradient. Why phases: C2 stops inlining once a compilation unit reaches a
 * node count that two inlined polynomials, or a few phases, already reach, and what it then leaves
 * out of line in the Vector API runs its boxing fallback, several times slower. So no method here
 * takes or returns a vector ({@code exp} and {@code log} are core's {@link VectorMath} loops over
 * arrays), and the phases are called through one megamorphic call site, which C2 never inlines:
 * each phase is compiled on its own, the same way in every run.
 */
final class VectorLossKernels extends LossKernels {

    private static final VectorSpecies<Float> F = LossBlock.F;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = LossBlock.L;

    /**
     * Rows up to this many classes go across rows, wider ones along the row: across rows was faster
     * up to 64 classes, about even at 96 and slower from 128 (measured on AVX-512, 16 lanes).
     */
    static final int ACROSS_ROWS_MAX_CLASSES = 64;

    /** Loaded only where core's vector kernels loaded, so the vector size is already checked (128 bits or more). */
    VectorLossKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    double softmax(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes, int[] targets,
                   float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        if (classes > ACROSS_ROWS_MAX_CLASSES) {
            return softmaxByRow(loss, logits, rowStart, rowEnd, classes, targets, gradScale, grad, rowLoss, rowPt);
        }
        VectorPhase[] pipeline = classes == 2 // a two-class softmax is a sigmoid of the logit difference: one exp per row
                ? pipeline(loss.classWeights != null ? WEIGHTED_PAIR_STATISTICS : PAIR_STATISTICS, loss,
                        grad != null ? PAIR_GRADIENT : null)
                : pipeline(SOFTMAX_STATISTICS, loss, grad != null ? SOFTMAX_GRADIENT : null);
        return runTiles(pipeline, loss, logits, rowStart, rowEnd, classes, targets, gradScale, grad, rowLoss, rowPt);
    }

    @Override
    double binary(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int[] targets,
                  float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        VectorPhase[] pipeline = pipeline(BINARY_STATISTICS, loss, grad != null ? BINARY_GRADIENT : null);
        return runTiles(pipeline, loss, logits, rowStart, rowEnd, 1, targets, gradScale, grad, rowLoss, rowPt);
    }

    /** The pipeline over whole tiles of L rows, the scalar path for the rest. */
    private double runTiles(VectorPhase[] pipeline, FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes,
                            int[] targets, float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        int tiled = rowStart + (rowEnd - rowStart) / L * L;
        LossBlock block = LossBlock.of(loss, logits, classes, targets, gradScale, grad, rowLoss, rowPt);
        boolean finite = block.run(pipeline, rowStart, tiled);
        double total = block.total;
        block.release();
        if (!finite) {
            return Double.NaN;
        }
        if (tiled < rowEnd) {
            ScalarLossKernels scalar = ScalarLossKernels.INSTANCE;
            total += classes == 1
                    ? scalar.binary(loss, logits, tiled, rowEnd, targets, gradScale, grad, rowLoss, rowPt)
                    : scalar.softmax(loss, logits, tiled, rowEnd, classes, targets, gradScale, grad, rowLoss, rowPt);
        }
        return total;
    }

    /** statistics, the kind's coefficient phases, the row outputs and sums, and the gradient (if any). */
    private static VectorPhase[] pipeline(VectorPhase[] statistics, FusedLoss loss, VectorPhase[] gradient) {
        // the binary and two-class statistics come with log q
        VectorPhase[] coefficients = loss.kind.vectorRow(statistics != SOFTMAX_STATISTICS);
        int length = statistics.length + coefficients.length + 1 + (gradient != null ? gradient.length : 0);
        VectorPhase[] pipeline = new VectorPhase[length];
        System.arraycopy(statistics, 0, pipeline, 0, statistics.length);
        System.arraycopy(coefficients, 0, pipeline, statistics.length, coefficients.length);
        pipeline[statistics.length + coefficients.length] = VectorLossKernels::rowOutputs;
        if (gradient != null) {
            System.arraycopy(gradient, 0, pipeline, length - gradient.length, gradient.length);
        }
        return pipeline;
    }

    private static final VectorPhase[] SOFTMAX_STATISTICS = {
        VectorLossKernels::targetClasses,
        VectorLossKernels::shiftedLogits,
        block -> VectorMath.exp(block.exps, 0, block.rowMax, L, block.classes * L, block.exps, 0,
                block.n * block.classes),
        VectorLossKernels::exponentialSums,
        block -> VectorMath.log1p(block.scratch, 0, block.scratch, 0, block.n), // log(sum) as log1p(sum - 1)
        VectorLossKernels::softmaxStatistics,
    };
    private static final VectorPhase[] SOFTMAX_GRADIENT = {VectorLossKernels::softmaxGradient};
    private static final VectorPhase[] BINARY_STATISTICS = {
        VectorLossKernels::negativeAbs,
        block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),  // e = exp(-|x|)
        block -> VectorMath.log1p(block.scratch, 0, block.extra, 0, block.n), // log1p(e), parked in extra
        VectorLossKernels::binaryStatistics,
    };
    private static final VectorPhase[] BINARY_GRADIENT = {VectorLossKernels::binaryGradient};
    private static final VectorPhase[] PAIR_STATISTICS = concat(new VectorPhase[] {VectorLossKernels::pairDifferences},
            BINARY_STATISTICS);
    private static final VectorPhase[] WEIGHTED_PAIR_STATISTICS = concat(PAIR_STATISTICS, new VectorPhase[] {
        VectorLossKernels::pairWeights,
    });
    private static final VectorPhase[] PAIR_GRADIENT = {VectorLossKernels::pairGradient};

    private static VectorPhase[] concat(VectorPhase[] first, VectorPhase[] second) {
        VectorPhase[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    // ---- phase 1, softmax ----

    /** The targets as floats, to compare with a column index. */
    private static void targetClasses(LossBlock block) {
        for (int i = 0; i < block.n; i += L) {
            ((FloatVector) IntVector.fromArray(I, block.targets, block.b0 + i).convert(VectorOperators.I2F, 0))
                    .intoArray(block.targetClass, i);
        }
    }

    /** The logits by column into {@code exps}, each row's max into {@code rowMax}, {@code z_t - max} into logPt. */
    private static void shiftedLogits(LossBlock block) {
        float[] exps = block.exps;
        int classes = block.classes;
        for (int i = 0; i < block.n; i += L) {
            int base = (block.b0 + i) * classes;
            int tile = i * classes;
            FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            IntVector flags = IntVector.zero(I); // as in finiteMax
            FloatVector targetClass = FloatVector.fromArray(F, block.targetClass, i);
            FloatVector targetLogit = FloatVector.zero(F);
            for (int j = 0; j < classes; j++) {
                FloatVector z = FloatVector.fromArray(F, block.logits, base + j, block.columnIndex, 0);
                z.intoArray(exps, tile + j * L);
                max = max.blend(z, z.compare(VectorOperators.GT, max));
                flags = flags.or(z.reinterpretAsInts().and(0x7f800000).add(0x00800000));
                targetLogit = targetLogit.blend(z, targetClass.compare(VectorOperators.EQ, (float) j));
            }
            FloatVector logPt = targetLogit.sub(max);
            // a non-finite logit, or a target logit more than the float range below the row's largest
            if (flags.compare(VectorOperators.LT, 0).anyTrue()
                    || logPt.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY).anyTrue()) {
                block.nonFinite = true;
            }
            logPt.intoArray(block.logPt, i);
            max.intoArray(block.rowMax, i);
        }
    }

    /**
     * From the exponentials: the target's into {@code pt}, the sum of the others' into {@code q}
     * (q's numerator, never {@code 1 - p_t}), and {@code sum - 1 = others + (target - 1)} into
     * {@code scratch}, whose log1p is {@code log(sum)}: exact where the target is the largest logit
     * ({@code target == 1}), however small the others are.
     */
    private static void exponentialSums(LossBlock block) {
        int classes = block.classes;
        for (int i = 0; i < block.n; i += L) {
            int tile = i * classes;
            FloatVector targetClass = FloatVector.fromArray(F, block.targetClass, i);
            FloatVector others = FloatVector.zero(F);
            FloatVector target = FloatVector.zero(F);
            for (int j = 0; j < classes; j++) {
                FloatVector e = FloatVector.fromArray(F, block.exps, tile + j * L);
                VectorMask<Float> isTarget = targetClass.compare(VectorOperators.EQ, (float) j);
                target = target.blend(e, isTarget);
                others = others.add(e, isTarget.not());
            }
            target.intoArray(block.pt, i);
            others.intoArray(block.q, i);
            others.add(target.sub(1f)).intoArray(block.scratch, i);
        }
    }

    /** {@code log p_t = (z_t - max) - log(sum)}, {@code p_t}, {@code q}, {@code 1 / sum} and the weight. */
    private static void softmaxStatistics(LossBlock block) {
        float[] weights = block.fused.classWeights;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < block.n; i += L) {
            FloatVector target = FloatVector.fromArray(F, block.pt, i);
            FloatVector others = FloatVector.fromArray(F, block.q, i);
            FloatVector inverse = one.div(target.add(others));
            FloatVector.fromArray(F, block.logPt, i).sub(FloatVector.fromArray(F, block.scratch, i))
                    .intoArray(block.logPt, i);
            target.mul(inverse).intoArray(block.pt, i);
            others.mul(inverse).intoArray(block.q, i);
            inverse.intoArray(block.extra, i);
            FloatVector weight = weights == null ? one
                    : FloatVector.fromArray(F, weights, 0, block.targets, block.b0 + i);
            weight.intoArray(block.weight, i);
        }
    }

    /** Phase 3: {@code grad_j = gradScale B (p_j - [j = t])}, by column, then gathered into row order. */
    private static void softmaxGradient(LossBlock block) {
        int classes = block.classes;
        for (int i = 0; i < block.n; i += L) {
            int base = (block.b0 + i) * classes;
            int tile = i * classes;
            FloatVector b = FloatVector.fromArray(F, block.coefficient, i);
            FloatVector perExp = b.mul(FloatVector.fromArray(F, block.extra, i));
            FloatVector targetGrad = b.mul(FloatVector.fromArray(F, block.q, i)).neg(); // B (p_t - 1) = -B q
            FloatVector targetClass = FloatVector.fromArray(F, block.targetClass, i);
            for (int j = 0; j < classes; j++) {
                FloatVector.fromArray(F, block.exps, tile + j * L).mul(perExp)
                        .blend(targetGrad, targetClass.compare(VectorOperators.EQ, (float) j))
                        .intoArray(block.gradTile, j * L);
            }
            for (int k = 0; k < classes; k++) {
                FloatVector.fromArray(F, block.gradTile, 0, block.rowMajor, k * L).intoArray(block.grad, base + k * L);
            }
        }
    }

    // ---- phase 1, binary ----

    /** {@code -|x|} into scratch, for {@code exp(-|x|)}. */
    private static void negativeAbs(LossBlock block) {
        for (int i = 0; i < block.n; i += L) {
            FloatVector x = FloatVector.fromArray(F, block.x, block.xOffset + i);
            if (!x.abs().compare(VectorOperators.LE, Float.MAX_VALUE).allTrue()) {
                block.nonFinite = true;
            }
            x.abs().neg().intoArray(block.scratch, i);
        }
    }

    /**
     * A binary row as a two-class softmax over {@code (0, x)}, from {@code e = exp(-|x|)} (in
     * {@code scratch}) and {@code log1p(e)} (in {@code extra}).
     */
    private static void binaryStatistics(LossBlock block) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector positiveWeight = FloatVector.broadcast(F, (float) block.kind.binaryWeight(1));
        FloatVector negativeWeight = FloatVector.broadcast(F, (float) block.kind.binaryWeight(0));
        for (int i = 0; i < block.n; i += L) {
            FloatVector x = FloatVector.fromArray(F, block.x, block.xOffset + i);
            VectorMask<Float> positive = IntVector.fromArray(I, block.targets, block.b0 + i)
                    .compare(VectorOperators.EQ, 1).cast(F); // for two classes: target 1
            FloatVector e = FloatVector.fromArray(F, block.scratch, i);
            FloatVector sigmoidAbs = one.div(one.add(e));   // sigma(|x|)
            FloatVector sigmoidNegAbs = e.mul(sigmoidAbs);  // sigma(-|x|), without 1 - sigma's cancellation
            VectorMask<Float> nonNegative = x.compare(VectorOperators.GE, 0f);
            FloatVector s = sigmoidNegAbs.blend(sigmoidAbs, nonNegative);
            FloatVector oneMinusS = sigmoidAbs.blend(sigmoidNegAbs, nonNegative);
            FloatVector u = x.neg().blend(x, positive);            // the logit of p_t
            FloatVector q = s.blend(oneMinusS, positive);          // 1 - p_t
            // log p_t = -bce = -(max(-u, 0) + log1p(e)), log q = log sigma(-u) = -(max(u, 0) + log1p(e))
            FloatVector log1pE = FloatVector.fromArray(F, block.extra, i);
            u.neg().max(0f).add(log1pE).neg().intoArray(block.logPt, i);
            u.max(0f).add(log1pE).neg().intoArray(block.logQ, i);
            oneMinusS.blend(s, positive).intoArray(block.pt, i);
            q.intoArray(block.q, i);
            q.blend(q.neg(), positive).intoArray(block.extra, i);  // s - y
            negativeWeight.blend(positiveWeight, positive).intoArray(block.weight, i);
        }
    }

    /** Two classes: {@code x = z_1 - z_0}, so that {@code p_1 = sigma(x)}. */
    private static void pairDifferences(LossBlock block) {
        for (int i = 0; i < block.n; i += L) {
            int base = (block.b0 + i) * 2;
            FloatVector.fromArray(F, block.logits, base + 1, block.columnIndex, 0)
                    .sub(FloatVector.fromArray(F, block.logits, base, block.columnIndex, 0))
                    .intoArray(block.difference, i); // NaN or infinite where a logit is
        }
    }

    /** Two classes with class weights: {@code w_t} replaces the binary statistics' weight. */
    private static void pairWeights(LossBlock block) {
        for (int i = 0; i < block.n; i += L) {
            FloatVector.fromArray(F, block.fused.classWeights, 0, block.targets, block.b0 + i)
                    .intoArray(block.weight, i);
        }
    }

    /** Phase 3, two classes: {@code d l / d z_1 = B (s - y) = -d l / d z_0}, interleaved back into the rows. */
    private static void pairGradient(LossBlock block) {
        for (int i = 0; i < block.n; i += L) {
            FloatVector g = FloatVector.fromArray(F, block.coefficient, i)
                    .mul(FloatVector.fromArray(F, block.extra, i));
            g.neg().intoArray(block.gradTile, 0);
            g.intoArray(block.gradTile, L);
            int base = (block.b0 + i) * 2;
            FloatVector.fromArray(F, block.gradTile, 0, block.rowMajor, 0).intoArray(block.grad, base);
            FloatVector.fromArray(F, block.gradTile, 0, block.rowMajor, L).intoArray(block.grad, base + L);
        }
    }

    /** Phase 3, binary: {@code d l / dx = B (s - y)}. */
    private static void binaryGradient(LossBlock block) {
        for (int i = 0; i < block.n; i += L) {
            FloatVector.fromArray(F, block.coefficient, i).mul(FloatVector.fromArray(F, block.extra, i))
                    .intoArray(block.grad, block.b0 + i);
        }
    }

    /** The requested per-row outputs, and the block's loss sum accumulated in double. */
    private static void rowOutputs(LossBlock block) {
        if (block.rowLoss != null) {
            System.arraycopy(block.loss, 0, block.rowLoss, block.b0, block.n);
        }
        if (block.rowPt != null) {
            System.arraycopy(block.pt, 0, block.rowPt, block.b0, block.n);
        }
        // In a fixed order, not reduceLanes(ADD): it rounds differently in C2's code and in the Java
        // fallback that runs before compilation (JDK 25), which made the loss depend on warm-up. Four
        // sums of every fourth row (n is a multiple of L): one chain of dependent additions was slower.
        double total0 = 0;
        double total1 = 0;
        double total2 = 0;
        double total3 = 0;
        for (int i = 0; i < block.n; i += 4) {
            total0 += block.loss[i];
            total1 += block.loss[i + 1];
            total2 += block.loss[i + 2];
            total3 += block.loss[i + 3];
        }
        block.blockTotal = (total0 + total1) + (total2 + total3);
    }

    // ---- row primitives for wide rows ----

    @Override
    float finiteMax(float[] x, int off, int n) {
        // Compare-and-blend maxima on two chains: the Vector API's MAX keeps Math.max's NaN and -0.0
        // rules, several instructions on the loop's dependency chain. NaN and infinities are caught
        // by the exponent bits instead: (bits & exponent) + 1 exponent unit sets the sign bit exactly
        // for them.
        FloatVector max0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector max1 = max0;
        IntVector flags = IntVector.zero(I);
        int j = 0;
        for (; j <= n - 2 * L; j += 2 * L) {
            FloatVector a = FloatVector.fromArray(F, x, off + j);
            FloatVector b = FloatVector.fromArray(F, x, off + j + L);
            max0 = max0.blend(a, a.compare(VectorOperators.GT, max0));
            max1 = max1.blend(b, b.compare(VectorOperators.GT, max1));
            flags = flags.or(a.reinterpretAsInts().and(0x7f800000).add(0x00800000))
                    .or(b.reinterpretAsInts().and(0x7f800000).add(0x00800000));
        }
        for (; j <= n - L; j += L) {
            FloatVector a = FloatVector.fromArray(F, x, off + j);
            max0 = max0.blend(a, a.compare(VectorOperators.GT, max0));
            flags = flags.or(a.reinterpretAsInts().and(0x7f800000).add(0x00800000));
        }
        if (j == 0) {
            return ScalarLossKernels.INSTANCE.finiteMax(x, off, n);
        }
        if (flags.reduceLanes(VectorOperators.OR) < 0) {
            return Float.NaN;
        }
        float max = max0.blend(max1, max1.compare(VectorOperators.GT, max0)).reduceLanes(VectorOperators.MAX);
        return j < n ? Math.max(max, ScalarLossKernels.INSTANCE.finiteMax(x, off + j, n - j)) : max;
    }

    @Override
    void expShifted(float[] x, int xo, float shift, float[] out, int oo, int n) {
        float[] shifts = new float[L];
        java.util.Arrays.fill(shifts, shift);
        VectorMath.exp(x, xo, shifts, 0, Math.max(n, 1), out, oo, n);
    }

    @Override
    double sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(F);
        int j = 0;
        for (; j <= n - L; j += L) {
            acc = acc.add(FloatVector.fromArray(F, x, off + j));
        }
        double lanes = 0; // in lane order, not reduceLanes(ADD): see rowOutputs
        for (int i = 0; i < L; i++) {
            lanes += acc.lane(i);
        }
        return lanes + ScalarLossKernels.INSTANCE.sum(x, off + j, n - j);
    }

    @Override
    void scale(float[] x, int off, int n, float factor) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(F, x, off + j).mul(factor).intoArray(x, off + j);
        }
        ScalarLossKernels.INSTANCE.scale(x, off + j, n - j, factor);
    }
}

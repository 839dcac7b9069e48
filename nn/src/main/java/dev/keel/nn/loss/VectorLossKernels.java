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
 * <p>Rows go through in blocks of up to {@link #BLOCK} rows, in a pipeline of {@link Phase phases},
 * each a loop over the block's arrays: (1) the row statistics {@code log p_t}, {@code p_t},
 * {@code q} and the weight; (2) each row's loss and gradient coefficient {@code B} by kind (see
 * {@link RowMath}); (3) the gradient. Why phases: C2 stops inlining once a compilation unit reaches a
 * node count that two inlined polynomials, or a few phases, already reach, and what it then leaves
 * out of line in the Vector API runs its boxing fallback, several times slower. So no method here
 * takes or returns a vector ({@code exp} and {@code log} are core's {@link VectorMath} loops over
 * arrays), and the phases are called through one megamorphic call site, which C2 never inlines:
 * each phase is compiled on its own, the same way in every run.
 */
final class VectorLossKernels extends LossKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();

    /**
     * Rows up to this many classes go across rows, wider ones along the row: across rows was faster
     * up to 64 classes, about even at 96 and slower from 128 (measured on AVX-512, 16 lanes).
     */
    static final int ACROSS_ROWS_MAX_CLASSES = 64;

    /** Rows per block: a block's arrays stay in L1. */
    private static final int BLOCK = 256;

    VectorLossKernels() {
        // Below 128 bits the API runs without intrinsics, far slower than plain loops.
        if (F.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector size is only " + F.vectorBitSize() + " bits");
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int lanes() {
        return L;
    }

    /** One step of the pipeline, over the rows {@code [b0, b0 + n)} of the block. */
    private interface Phase {
        void run(Block block);
    }

    /**
     * The state of one call: its arguments, the per-row arrays of the current block, and the
     * exponentials the gradient is made from. One per thread, reused (it is 50 kB to zero).
     */
    private static final class Block {
        // the call
        FusedLoss fused;
        float[] logits;
        int[] targets;
        float[] grad;
        float[] rowLoss;
        float[] rowPt;
        float gradScale;
        int classes;
        /** The binary pipeline's logit of row {@code b0 + i} is {@code x[xOffset + i]}. */
        float[] x;
        int xOffset;
        // the block
        int b0;
        int n;
        /** The loss sum of the blocks done. */
        double total;
        /** The loss sum of the current block, from its float row losses. */
        double blockTotal;
        /** Set when a logit of the block is NaN or infinite. */
        boolean nonFinite;

        final float[] logPt = new float[BLOCK];
        final float[] pt = new float[BLOCK];
        final float[] q = new float[BLOCK];
        final float[] weight = new float[BLOCK];
        /** Softmax: 1 / sum_j exp(z_j - max); binary: s - y. */
        final float[] extra = new float[BLOCK];
        final float[] loss = new float[BLOCK];
        /** gradScale * B. */
        final float[] coefficient = new float[BLOCK];
        final float[] scratch = new float[BLOCK];
        /** Binary: {@code log q = log(1 - p_t)}, exact from the logit. */
        final float[] logQ = new float[BLOCK];
        /** Softmax: each row's largest logit. */
        final float[] rowMax = new float[BLOCK];
        /** Two classes: {@code z_1 - z_0} of each row, the logit of a binary row. */
        final float[] difference = new float[BLOCK];
        /** Softmax: the targets as floats, to compare with a column index. */
        final float[] targetClass = new float[BLOCK];
        /** Softmax: exp(z_j - max) by tile, column-major: [(tile * classes + j) * L + lane]. */
        final float[] exps = new float[ACROSS_ROWS_MAX_CLASSES * BLOCK];
        /** Softmax: one tile's gradient, column-major. */
        final float[] gradTile = new float[ACROSS_ROWS_MAX_CLASSES * L];
        /** Softmax: lane * classes, the gather map of a tile's column. */
        final int[] columnIndex = new int[L];
        /**
         * Softmax: gather maps from a column-major tile to its row-major order: the k-th vector of
         * the rows {@code [k * L, (k + 1) * L)} (in logit order) comes from {@code rowMajor[k * L ..]}.
         * Gathering it from L1 is much faster than scattering columns into the gradient.
         */
        final int[] rowMajor = new int[ACROSS_ROWS_MAX_CLASSES * L];
        /** The class count the maps were made for. */
        private int mapsClasses;

        /** This thread's block, set up for a call. */
        static Block of(FusedLoss loss, float[] logits, int classes, int[] targets, float gradScale, float[] grad,
                        float[] rowLoss, float[] rowPt) {
            Block block = PER_THREAD.get();
            block.fused = loss;
            block.logits = logits;
            block.targets = targets;
            block.grad = grad;
            block.rowLoss = rowLoss;
            block.rowPt = rowPt;
            block.gradScale = gradScale;
            block.classes = classes;
            block.x = classes == 2 ? block.difference : logits;
            block.total = 0;
            block.nonFinite = false;
            if (block.mapsClasses != classes) {
                block.mapsClasses = classes;
                for (int lane = 0; lane < L; lane++) {
                    block.columnIndex[lane] = lane * classes;
                }
                for (int index = 0; index < classes * L; index++) {
                    block.rowMajor[index] = index % classes * L + index / classes;
                }
            }
            return block;
        }

        /** Runs the pipeline over the whole tiles of rows {@code [rowStart, tiled)}; false on a non-finite logit. */
        boolean run(Phase[] pipeline, int rowStart, int tiled) {
            for (b0 = rowStart; b0 < tiled; b0 += BLOCK) {
                n = Math.min(BLOCK, tiled - b0);
                xOffset = x == difference ? 0 : b0;
                for (Phase phase : pipeline) { // megamorphic: never inlined, see the class comment
                    phase.run(this);
                }
                if (nonFinite) {
                    return false;
                }
                total += Double.isInfinite(blockTotal) ? totalWithOverflowedRowsInDouble() : blockTotal;
            }
            return true;
        }

        /**
         * The block's loss sum with each row whose float loss overflowed to infinity (a class weight
         * above 1 times a {@code log p_t} near {@code -Float.MAX_VALUE}) done again on the scalar path,
         * whose sum is in double as here: the total stays finite, as on that path. Only for such blocks,
         * so it costs the common case one comparison.
         */
        private double totalWithOverflowedRowsInDouble() {
            ScalarLossKernels scalar = ScalarLossKernels.INSTANCE;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int row = b0 + i;
                sum += Float.isFinite(loss[i]) ? loss[i] : classes == 1
                        ? scalar.binary(fused, logits, row, row + 1, targets, gradScale, grad, rowLoss, rowPt)
                        : scalar.softmax(fused, logits, row, row + 1, classes, targets, gradScale, grad, rowLoss, rowPt);
            }
            return sum;
        }

        /** Drops the references to the caller's arrays. */
        void release() {
            fused = null;
            logits = null;
            targets = null;
            grad = null;
            x = null;
            rowLoss = null;
            rowPt = null;
        }
    }

    private static final ThreadLocal<Block> PER_THREAD = ThreadLocal.withInitial(Block::new);

    @Override
    double softmax(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes, int[] targets,
                   float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        if (classes > ACROSS_ROWS_MAX_CLASSES) {
            return softmaxByRow(loss, logits, rowStart, rowEnd, classes, targets, gradScale, grad, rowLoss, rowPt);
        }
        Phase[] pipeline = classes == 2 // a two-class softmax is a sigmoid of the logit difference: one exp per row
                ? pipeline(loss.classWeights != null ? WEIGHTED_PAIR_STATISTICS : PAIR_STATISTICS, loss,
                        grad != null ? PAIR_GRADIENT : null)
                : pipeline(SOFTMAX_STATISTICS, loss, grad != null ? SOFTMAX_GRADIENT : null);
        return runTiles(pipeline, loss, logits, rowStart, rowEnd, classes, targets, gradScale, grad, rowLoss, rowPt);
    }

    @Override
    double binary(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int[] targets,
                  float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        Phase[] pipeline = pipeline(BINARY_STATISTICS, loss, grad != null ? BINARY_GRADIENT : null);
        return runTiles(pipeline, loss, logits, rowStart, rowEnd, 1, targets, gradScale, grad, rowLoss, rowPt);
    }

    /** The pipeline over whole tiles of L rows, the scalar path for the rest. */
    private double runTiles(Phase[] pipeline, FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes,
                            int[] targets, float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        int tiled = rowStart + (rowEnd - rowStart) / L * L;
        Block block = Block.of(loss, logits, classes, targets, gradScale, grad, rowLoss, rowPt);
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
    private static Phase[] pipeline(Phase[] statistics, FusedLoss loss, Phase[] gradient) {
        boolean binaryStatistics = statistics != SOFTMAX_STATISTICS; // they come with log q
        Phase[] coefficients;
        switch (loss.kind) {
            case CE:
            case WEIGHTED_CE:
            case BCE:
                coefficients = WEIGHTED_COEFFICIENTS;
                break;
            case GATED:
            case GATED_BCE:
                coefficients = GATED_COEFFICIENTS;
                break;
            case SOFT_GATED:
                coefficients = SOFT_GATED_COEFFICIENTS;
                break;
            case FOCAL:
            case SIGMOID_FOCAL:
                coefficients = loss.gamma == 0f ? CROSS_ENTROPY_FOCAL_COEFFICIENTS
                        : binaryStatistics ? BINARY_FOCAL_COEFFICIENTS : FOCAL_COEFFICIENTS;
                break;
            default:
                throw new IllegalStateException("unknown kind " + loss.kind);
        }
        int length = statistics.length + coefficients.length + 1 + (gradient != null ? gradient.length : 0);
        Phase[] pipeline = new Phase[length];
        System.arraycopy(statistics, 0, pipeline, 0, statistics.length);
        System.arraycopy(coefficients, 0, pipeline, statistics.length, coefficients.length);
        pipeline[statistics.length + coefficients.length] = VectorLossKernels::rowOutputs;
        if (gradient != null) {
            System.arraycopy(gradient, 0, pipeline, length - gradient.length, gradient.length);
        }
        return pipeline;
    }

    private static final Phase[] SOFTMAX_STATISTICS = {
        VectorLossKernels::targetClasses,
        VectorLossKernels::shiftedLogits,
        block -> VectorMath.exp(block.exps, 0, block.rowMax, L, block.classes * L, block.exps, 0,
                block.n * block.classes),
        VectorLossKernels::exponentialSums,
        block -> VectorMath.log1p(block.scratch, 0, block.scratch, 0, block.n), // log(sum) as log1p(sum - 1)
        VectorLossKernels::softmaxStatistics,
    };
    private static final Phase[] SOFTMAX_GRADIENT = {VectorLossKernels::softmaxGradient};
    private static final Phase[] BINARY_STATISTICS = {
        VectorLossKernels::negativeAbs,
        block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),  // e = exp(-|x|)
        block -> VectorMath.log1p(block.scratch, 0, block.extra, 0, block.n), // log1p(e), parked in extra
        VectorLossKernels::binaryStatistics,
    };
    private static final Phase[] BINARY_GRADIENT = {VectorLossKernels::binaryGradient};
    private static final Phase[] PAIR_STATISTICS = concat(new Phase[] {VectorLossKernels::pairDifferences},
            BINARY_STATISTICS);
    private static final Phase[] WEIGHTED_PAIR_STATISTICS = concat(PAIR_STATISTICS, new Phase[] {
        VectorLossKernels::pairWeights,
    });
    private static final Phase[] PAIR_GRADIENT = {VectorLossKernels::pairGradient};
    private static final Phase[] WEIGHTED_COEFFICIENTS = {VectorLossKernels::weightedCoefficients};
    private static final Phase[] GATED_COEFFICIENTS = {VectorLossKernels::gatedCoefficients};
    private static final Phase[] SOFT_GATED_COEFFICIENTS = {
        VectorLossKernels::softGateArguments,
        block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),
        VectorLossKernels::softGatedCoefficients,
    };
    private static final Phase[] FOCAL_COEFFICIENTS = { // q^gamma = exp(gamma log q) into scratch
        block -> VectorMath.log(block.q, 0, block.scratch, 0, block.n),
        block -> ScalarLossKernels.INSTANCE.scale(block.scratch, 0, block.n, block.fused.gamma),
        block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),
        VectorLossKernels::focalCoefficients,
    };
    private static final Phase[] BINARY_FOCAL_COEFFICIENTS = { // the same from the binary statistics' log q
        block -> {
            System.arraycopy(block.logQ, 0, block.scratch, 0, block.n);
            ScalarLossKernels.INSTANCE.scale(block.scratch, 0, block.n, block.fused.gamma);
        },
        block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),
        VectorLossKernels::focalCoefficients,
    };
    private static final Phase[] CROSS_ENTROPY_FOCAL_COEFFICIENTS = { // gamma == 0: q^0 == 1, also for q == 0
        block -> java.util.Arrays.fill(block.scratch, 0, block.n, 1f),
        VectorLossKernels::focalCoefficients,
    };

    private static Phase[] concat(Phase[] first, Phase[] second) {
        Phase[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    // ---- phase 1, softmax ----

    /** The targets as floats, to compare with a column index. */
    private static void targetClasses(Block block) {
        for (int i = 0; i < block.n; i += L) {
            ((FloatVector) IntVector.fromArray(I, block.targets, block.b0 + i).convert(VectorOperators.I2F, 0))
                    .intoArray(block.targetClass, i);
        }
    }

    /** The logits by column into {@code exps}, each row's max into {@code rowMax}, {@code z_t - max} into logPt. */
    private static void shiftedLogits(Block block) {
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
    private static void exponentialSums(Block block) {
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
    private static void softmaxStatistics(Block block) {
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
    private static void softmaxGradient(Block block) {
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
    private static void negativeAbs(Block block) {
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
    private static void binaryStatistics(Block block) {
        float alpha = block.fused.binaryAlpha;
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector positiveWeight = FloatVector.broadcast(F, alpha < 0 ? 1f : alpha);
        FloatVector negativeWeight = FloatVector.broadcast(F, alpha < 0 ? 1f : 1f - alpha);
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
    private static void pairDifferences(Block block) {
        for (int i = 0; i < block.n; i += L) {
            int base = (block.b0 + i) * 2;
            FloatVector.fromArray(F, block.logits, base + 1, block.columnIndex, 0)
                    .sub(FloatVector.fromArray(F, block.logits, base, block.columnIndex, 0))
                    .intoArray(block.difference, i); // NaN or infinite where a logit is
        }
    }

    /** Two classes with class weights: {@code w_t} replaces the binary statistics' weight. */
    private static void pairWeights(Block block) {
        for (int i = 0; i < block.n; i += L) {
            FloatVector.fromArray(F, block.fused.classWeights, 0, block.targets, block.b0 + i)
                    .intoArray(block.weight, i);
        }
    }

    /** Phase 3, two classes: {@code d l / d z_1 = B (s - y) = -d l / d z_0}, interleaved back into the rows. */
    private static void pairGradient(Block block) {
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
    private static void binaryGradient(Block block) {
        for (int i = 0; i < block.n; i += L) {
            FloatVector.fromArray(F, block.coefficient, i).mul(FloatVector.fromArray(F, block.extra, i))
                    .intoArray(block.grad, block.b0 + i);
        }
    }

    // ---- phase 2: loss and coefficient by kind ----

    /** ce, weighted_ce, bce: {@code l = -w log p_t}, {@code B = w}. */
    private static void weightedCoefficients(Block block) {
        for (int i = 0; i < block.n; i += L) {
            FloatVector weight = FloatVector.fromArray(F, block.weight, i);
            weight.mul(FloatVector.fromArray(F, block.logPt, i)).neg().intoArray(block.loss, i);
            weight.mul(block.gradScale).intoArray(block.coefficient, i);
        }
    }

    /** gated, gated_bce: {@code B = theta(m - p_t)}, 1/2 on the edge. */
    private static void gatedCoefficients(Block block) {
        float margin = block.fused.margin;
        for (int i = 0; i < block.n; i += L) {
            FloatVector pt = FloatVector.fromArray(F, block.pt, i);
            FloatVector gate = FloatVector.zero(F)
                    .blend(0.5f, pt.compare(VectorOperators.EQ, margin))
                    .blend(1f, pt.compare(VectorOperators.LT, margin));
            gate.mul(FloatVector.fromArray(F, block.logPt, i)).neg().intoArray(block.loss, i);
            gate.mul(block.gradScale).intoArray(block.coefficient, i);
        }
    }

    /** soft_gated: {@code -|k (m - p_t)|} into scratch, for the sigmoid's exp. */
    private static void softGateArguments(Block block) {
        FloatVector margin = FloatVector.broadcast(F, block.fused.margin);
        for (int i = 0; i < block.n; i += L) {
            margin.sub(FloatVector.fromArray(F, block.pt, i)).mul(block.fused.sharpness).abs().neg()
                    .intoArray(block.scratch, i);
        }
    }

    /** soft_gated: {@code w = sigma(k (m - p_t))}, {@code l = -w log p_t}, {@code B = w - k w (1 - w) p_t log p_t}. */
    private static void softGatedCoefficients(Block block) {
        float margin = block.fused.margin;
        float sharpness = block.fused.sharpness;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < block.n; i += L) {
            FloatVector pt = FloatVector.fromArray(F, block.pt, i);
            FloatVector logPt = FloatVector.fromArray(F, block.logPt, i);
            FloatVector e = FloatVector.fromArray(F, block.scratch, i);
            FloatVector sigmoidAbs = one.div(one.add(e));
            FloatVector sigmoidNegAbs = e.mul(sigmoidAbs);
            VectorMask<Float> nonNegative = pt.compare(VectorOperators.LE, margin); // k (m - p_t) >= 0
            FloatVector w = sigmoidNegAbs.blend(sigmoidAbs, nonNegative);
            FloatVector oneMinusW = sigmoidAbs.blend(sigmoidNegAbs, nonNegative);
            w.mul(logPt).neg().intoArray(block.loss, i);
            w.sub(w.mul(oneMinusW).mul(pt).mul(logPt).mul(sharpness)).mul(block.gradScale)
                    .intoArray(block.coefficient, i);
        }
    }

    /**
     * focal, sigmoid_focal, with {@code q^gamma} in scratch: {@code l = -a q^gamma log p_t},
     * {@code B = a q^gamma (1 - gamma p_t log(p_t) / q)}: {@code q^(gamma-1) log p} written as
     * {@code q^gamma (log p / q)}, a ratio that tends to -1 as {@code q -> 0}. (The log of a q below
     * the normal range is flushed to about -88: harmless, since q^gamma is then multiplied by q,
     * p_j or log p_t, all as small.)
     *
     * <p>The ratio is clamped at {@code -Float.MAX_VALUE}: with {@code log p_t} within a few ulps of
     * {@code -Float.MAX_VALUE} (a target logit about that far below the row's largest) and {@code q}
     * rounded just below 1, it overflows to -infinity, and {@code p_t * ratio} was {@code 0 * -inf},
     * NaN. It overflows only where {@code p_t} has underflowed to 0 (for {@code p_t > 0},
     * {@code log p_t} is above about -92 and {@code q} is not tiny unless {@code log p_t} is too), so
     * the clamp changes nothing else and that product is then 0, as in the scalar path's double.
     */
    private static void focalCoefficients(Block block) {
        float gamma = block.fused.gamma;
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < block.n; i += L) {
            FloatVector pt = FloatVector.fromArray(F, block.pt, i);
            FloatVector q = FloatVector.fromArray(F, block.q, i);
            FloatVector logPt = FloatVector.fromArray(F, block.logPt, i);
            FloatVector ratio = logPt.div(q).max(-Float.MAX_VALUE).blend(-1f, q.compare(VectorOperators.EQ, 0f));
            FloatVector aq = FloatVector.fromArray(F, block.weight, i).mul(FloatVector.fromArray(F, block.scratch, i));
            aq.mul(logPt).neg().intoArray(block.loss, i);
            aq.mul(one.sub(pt.mul(ratio).mul(gamma))).mul(block.gradScale).intoArray(block.coefficient, i);
        }
    }

    /** The requested per-row outputs, and the block's loss sum accumulated in double. */
    private static void rowOutputs(Block block) {
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

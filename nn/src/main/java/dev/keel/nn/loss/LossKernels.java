package dev.keel.nn.loss;

import dev.keel.core.kernel.Kernels;

import java.lang.invoke.MethodHandles;
import java.util.Optional;

/**
 * A kernel path for the fused losses: plain scalar loops, or the Vector API.
 *
 * <p>The vector path is loaded through {@link Kernels#loadVectorImplementation}, so it exists only
 * when {@code jdk.incubator.vector} is readable and {@code -Dkeel.simd=false} is not set. Both
 * paths compute the same functions and may differ in the last bits. Choose one for a loss with
 * {@link FusedLoss#withKernels}; by default losses use {@link #active()}.
 *
 * <p>The computing methods are package-private: callers go through {@link FusedLoss}, which checks
 * every argument first.
 */
public abstract class LossKernels {

    private static final LossKernels VECTOR = Kernels.loadVectorImplementation(MethodHandles.lookup(),
            "dev.keel.nn.loss.VectorLossKernels", LossKernels.class).orElse(null);

    LossKernels() {
    }

    /** The scalar path, always available. */
    public static LossKernels scalar() {
        return ScalarLossKernels.INSTANCE;
    }

    /** The Vector API path, if this JVM may run it. */
    public static Optional<LossKernels> vector() {
        return Optional.ofNullable(VECTOR);
    }

    /** The vector path where available, else the scalar one. */
    public static LossKernels active() {
        return VECTOR != null ? VECTOR : ScalarLossKernels.INSTANCE;
    }

    /** {@code "scalar"} or {@code "vector"}. */
    public abstract String name();

    /** Float lanes per vector operation: 1 for the scalar path. */
    public abstract int lanes();

    @Override
    public String toString() {
        return name() + " loss kernels (" + lanes() + " lanes)";
    }

    /**
     * A softmax kind over rows {@code [rowStart, rowEnd)}; arguments already checked.
     *
     * @param gradScale multiplies every gradient element (1/rows for the mean, ...)
     * @param grad      receives {@code gradScale * d l_i / d z_ij}, or null
     * @param rowLoss   receives each row's loss {@code l_i} (weights included), or null
     * @param rowPt     receives each row's {@code p_t}, or null
     * @return {@code sum_i l_i} over the rows, accumulated in double; NaN if a logit is NaN or
     *         infinite (found in the same pass; the outputs are then partly written)
     */
    abstract double softmax(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes, int[] targets,
                            float gradScale, float[] grad, float[] rowLoss, float[] rowPt);

    /** A binary kind (one logit per row) over rows {@code [rowStart, rowEnd)}; as {@link #softmax}. */
    abstract double binary(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int[] targets,
                           float gradScale, float[] grad, float[] rowLoss, float[] rowPt);

    /**
     * {@code max_j x[off + j]} for {@code j < n}, or a non-finite value if any of them is NaN or
     * infinite (the check rides on the pass that reads the row anyway).
     */
    abstract float finiteMax(float[] x, int off, int n);

    /** {@code out[oo + j] = exp(x[xo + j] - shift)} for {@code j < n}. */
    abstract void expShifted(float[] x, int xo, float shift, float[] out, int oo, int n);

    /** {@code sum_j x[off + j]}, accumulated in at least float precision per lane. */
    abstract double sum(float[] x, int off, int n);

    /** {@code x[off + j] *= factor}. */
    abstract void scale(float[] x, int off, int n, float factor);

    /**
     * {@link #softmax} one row at a time on this path's row primitives: the scalar path's kernel,
     * and the vector path's for wide rows (the vector work is along the row).
     */
    final double softmaxByRow(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes, int[] targets,
                              float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        LossRow row = new LossRow();
        float[] exps = grad != null ? grad : new float[classes];
        double total = 0;
        for (int i = rowStart; i < rowEnd; i++) {
            int base = i * classes;
            int eBase = grad != null ? base : 0;
            int t = targets[i];
            float max = finiteMax(logits, base, classes);
            if (!Float.isFinite(max)) {
                return Double.NaN;
            }
            expShifted(logits, base, max, exps, eBase, classes);
            float target = exps[eBase + t];
            exps[eBase + t] = 0f;
            // q's numerator: the other classes' exponentials, never 1 - p_t
            double others = sum(exps, eBase, classes);
            double sum = target + others;
            // log(sum) as a log1p: exact where the target is the largest logit (target == 1), however small others is
            float shifted = logits[base + t] - max;
            if (shifted == Float.NEGATIVE_INFINITY) {
                return Double.NaN; // finite logits more than the float range apart: log p_t overflows
            }
            double logPt = shifted - Math.log1p(others + (target - 1.0));
            double weight = loss.classWeights != null ? loss.classWeights[t] : 1;
            row.softmax(loss.kind, weight, logPt, target / sum, others / sum);
            total += row.record(i, rowLoss, rowPt);
            if (grad != null) {
                double b = gradScale * row.coefficient;
                scale(grad, base, classes, (float) (b / sum));
                grad[base + t] = (float) (-b * (others / sum));
            }
        }
        return total;
    }
}

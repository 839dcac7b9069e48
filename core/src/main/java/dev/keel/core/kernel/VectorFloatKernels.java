package dev.keel.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Loaded only by {@link Kernels}, after it has checked that
 * {@code jdk.incubator.vector} is readable; never reference this class directly.
 */
final class VectorFloatKernels implements FloatKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private final VectorGemm gemm = new VectorGemm(this);

    // Lane rotations for sumLanes, by half, quarter, ... of the lanes (null where not needed).
    private static final VectorShuffle<Float> ROTATE_32 = rotation(32), ROTATE_16 = rotation(16),
            ROTATE_8 = rotation(8), ROTATE_4 = rotation(4), ROTATE_2 = rotation(2), ROTATE_1 = rotation(1);

    private static VectorShuffle<Float> rotation(int by) {
        return by < L ? VectorShuffle.fromOp(F, i -> (i + by) % L) : null;
    }

    /**
     * The sum of the lanes in a fixed pairwise order, built from lane-wise additions. Not
     * {@code reduceLanes(ADD)}: its order is unspecified, and on JDK 25 (not 17) C2's code adds in
     * another order than the Java fallback that runs before compilation, so the same call gave
     * different bits before and after warm-up. Lane-wise additions round the same on both.
     */
    static float sumLanes(FloatVector v) {
        if (L > 32) {
            v = v.add(v.rearrange(ROTATE_32));
        }
        if (L > 16) {
            v = v.add(v.rearrange(ROTATE_16));
        }
        if (L > 8) {
            v = v.add(v.rearrange(ROTATE_8));
        }
        if (L > 4) {
            v = v.add(v.rearrange(ROTATE_4));
        }
        v = v.add(v.rearrange(ROTATE_2));
        return v.add(v.rearrange(ROTATE_1)).lane(0);
    }

    VectorFloatKernels() {
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
    public String toString() {
        return name() + " kernels, " + floatLanes() + (floatLanes() == 1 ? " lane" : " lanes");
    }

    @Override
    public int floatLanes() {
        return L;
    }

    // The reductions below keep four independent accumulators: with one, each step waits for the
    // previous one (3-4 cycles for add/fma, about 10 for max with Java's NaN and -0 rules), and the
    // loop runs at that latency instead of at load throughput (max was 5x slower than sum).

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F), acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
            acc1 = FloatVector.fromArray(F, a, ao + i + L).fma(FloatVector.fromArray(F, b, bo + i + L), acc1);
            acc2 = FloatVector.fromArray(F, a, ao + i + 2 * L).fma(FloatVector.fromArray(F, b, bo + i + 2 * L), acc2);
            acc3 = FloatVector.fromArray(F, a, ao + i + 3 * L).fma(FloatVector.fromArray(F, b, bo + i + 3 * L), acc3);
        }
        for (; i <= n - L; i += L) {
            acc0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc0);
        }
        float s = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        for (; i < n; i++) {
            s = Math.fma(a[ao + i], b[bo + i], s);
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, x, xo + i).fma(va, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, x, xo + i).mul(alpha).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = alpha * x[xo + i];
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, a, ao + i).add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    @Override
    public void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] - b[bo + i];
        }
    }

    @Override
    public void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, a, ao + i).mul(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F), acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            acc0 = acc0.add(FloatVector.fromArray(F, x, xo + i));
            acc1 = acc1.add(FloatVector.fromArray(F, x, xo + i + L));
            acc2 = acc2.add(FloatVector.fromArray(F, x, xo + i + 2 * L));
            acc3 = acc3.add(FloatVector.fromArray(F, x, xo + i + 3 * L));
        }
        for (; i <= n - L; i += L) {
            acc0 = acc0.add(FloatVector.fromArray(F, x, xo + i));
        }
        float s = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        for (; i < n; i++) {
            s += x[xo + i];
        }
        return s;
    }

    @Override
    public float max(float[] x, int xo, int n) {
        FloatVector acc0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            acc0 = acc0.max(FloatVector.fromArray(F, x, xo + i));
            acc1 = acc1.max(FloatVector.fromArray(F, x, xo + i + L));
            acc2 = acc2.max(FloatVector.fromArray(F, x, xo + i + 2 * L));
            acc3 = acc3.max(FloatVector.fromArray(F, x, xo + i + 3 * L));
        }
        for (; i <= n - L; i += L) {
            acc0 = acc0.max(FloatVector.fromArray(F, x, xo + i));
        }
        float m = acc0.max(acc1).max(acc2.max(acc3)).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    @Override
    public void exp(float[] x, int xo, float[] out, int oo, int n) {
        VectorMath.exp(x, xo, out, oo, n);
    }

    @Override
    public void log(float[] x, int xo, float[] out, int oo, int n) {
        VectorMath.log(x, xo, out, oo, n);
    }

    @Override
    public void tanh(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, x, xo + i).lanewise(VectorOperators.TANH).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = (float) Math.tanh(x[xo + i]);
        }
    }

    @Override
    public void relu(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(F, x, xo + i).max(0f).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = Math.max(x[xo + i], 0f);
        }
    }

    @Override
    public void softmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * cols;
            int oi = oo + r * cols;
            scale(1f / expShifted(x, xi, max(x, xi, cols), out, oi, cols), out, oi, out, oi, cols);
        }
    }

    @Override
    public void logSoftmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * cols;
            int oi = oo + r * cols;
            float m = max(x, xi, cols);
            // Only the sum is needed; out is not written before the last loop, so out may be x.
            float shift = m + (float) Math.log(expShifted(x, xi, m, null, oi, cols));
            FloatVector vShift = FloatVector.broadcast(F, shift);
            int j = 0;
            for (; j <= cols - L; j += L) {
                FloatVector.fromArray(F, x, xi + j).sub(vShift).intoArray(out, oi + j);
            }
            for (; j < cols; j++) {
                out[oi + j] = x[xi + j] - shift;
            }
        }
    }

    /** {@code out = exp(x - shift)} over n elements (not stored when out is null); returns their sum. */
    private float expShifted(float[] x, int xo, float shift, float[] out, int oo, int n) {
        FloatVector vShift = FloatVector.broadcast(F, shift);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(F, x, xo + i).sub(vShift));
            if (out != null) {
                e.intoArray(out, oo + i);
            }
            acc = acc.add(e);
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            float e = FloatExp.exp(x[xo + i] - shift);
            if (out != null) {
                out[oo + i] = e;
            }
            s += e;
        }
        return s;
    }

    @Override
    public void matmul(float[] a, int ao, float[] b, int bo, float[] c, int co,
                       int m, int k, int n, boolean accumulate) {
        gemm.gemm(a, ao, false, b, bo, false, c, co, m, k, n, accumulate);
    }

    @Override
    public void matmulTransB(float[] a, int ao, float[] b, int bo, float[] c, int co,
                             int m, int k, int n, boolean accumulate) {
        gemm.gemm(a, ao, false, b, bo, true, c, co, m, k, n, accumulate);
    }

    @Override
    public void matmulTransA(float[] a, int ao, float[] b, int bo, float[] c, int co,
                             int m, int k, int n, boolean accumulate) {
        gemm.gemm(a, ao, true, b, bo, false, c, co, m, k, n, accumulate);
    }
}

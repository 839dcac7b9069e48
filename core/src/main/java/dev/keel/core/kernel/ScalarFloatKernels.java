package dev.keel.core.kernel;

/**
 * Plain-loop kernels: the reference path, and the one used where the Vector API is absent.
 * Reductions accumulate in float in index order, so results are reproducible on every JVM.
 */
public final class ScalarFloatKernels implements FloatKernels {

    static final ScalarFloatKernels INSTANCE = new ScalarFloatKernels();

    private ScalarFloatKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String toString() {
        return name() + " kernels, " + floatLanes() + (floatLanes() == 1 ? " lane" : " lanes");
    }

    @Override
    public int floatLanes() {
        return 1;
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = alpha * x[xo + i];
        }
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    @Override
    public void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] - b[bo + i];
        }
    }

    @Override
    public void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    @Override
    public float sum(float[] x, int xo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xo + i];
        }
        return s;
    }

    @Override
    public float max(float[] x, int xo, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[xo + i]);
        }
        return m;
    }

    @Override
    public void exp(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = FloatExp.exp(x[xo + i]);
        }
    }

    @Override
    public void log(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = (float) Math.log(x[xo + i]);
        }
    }

    @Override
    public void tanh(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = (float) Math.tanh(x[xo + i]);
        }
    }

    @Override
    public void relu(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = Math.max(x[xo + i], 0f); // NaN stays NaN, -0 becomes +0, as on the vector path
        }
    }

    @Override
    public void softmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * cols;
            int oi = oo + r * cols;
            float m = max(x, xi, cols);
            float s = 0f;
            for (int j = 0; j < cols; j++) {
                float e = FloatExp.exp(x[xi + j] - m);
                out[oi + j] = e;
                s += e;
            }
            float inv = 1f / s;
            for (int j = 0; j < cols; j++) {
                out[oi + j] *= inv;
            }
        }
    }

    @Override
    public void logSoftmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int xi = xo + r * cols;
            int oi = oo + r * cols;
            float m = max(x, xi, cols);
            float s = 0f;
            for (int j = 0; j < cols; j++) {
                s += FloatExp.exp(x[xi + j] - m);
            }
            float shift = m + (float) Math.log(s);
            for (int j = 0; j < cols; j++) {
                out[oi + j] = x[xi + j] - shift;
            }
        }
    }

    @Override
    public void matmul(float[] a, int ao, float[] b, int bo, float[] c, int co,
                       int m, int k, int n, boolean accumulate) {
        ScalarGemm.INSTANCE.gemm(a, ao, false, b, bo, false, c, co, m, k, n, accumulate);
    }

    @Override
    public void matmulTransB(float[] a, int ao, float[] b, int bo, float[] c, int co,
                             int m, int k, int n, boolean accumulate) {
        ScalarGemm.INSTANCE.gemm(a, ao, false, b, bo, true, c, co, m, k, n, accumulate);
    }

    @Override
    public void matmulTransA(float[] a, int ao, float[] b, int bo, float[] c, int co,
                             int m, int k, int n, boolean accumulate) {
        ScalarGemm.INSTANCE.gemm(a, ao, true, b, bo, false, c, co, m, k, n, accumulate);
    }
}

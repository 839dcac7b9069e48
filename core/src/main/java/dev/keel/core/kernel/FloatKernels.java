package dev.keel.core.kernel;

/**
 * The numeric kernels keel's tensors and layers run on, over plain {@code float[]} arrays.
 *
 * <p>Two implementations exist: {@link ScalarFloatKernels}, plain loops that run anywhere, and a
 * Vector API one that {@link Kernels} loads only when {@code jdk.incubator.vector} is readable.
 * Both compute the same mathematical functions; they may differ in the last bits (summation order,
 * fused multiply-add), never in meaning. Every array argument is paired with an offset so that a
 * row of a larger matrix can be passed without copying. Matrices are dense and row-major.
 *
 * <p>Kernels do not check their arguments (the callers in {@code Tensor} do); an offset or length
 * out of range fails with the JVM's own {@link IndexOutOfBoundsException}.
 */
public interface FloatKernels {

    /** A short name for logs and reports: {@code "scalar"} or {@code "vector"}. */
    String name();

    /** Float lanes processed per vector operation: 1 for the scalar path. */
    int floatLanes();

    /** {@code sum_i a[ao+i] * b[bo+i]} for {@code i < n}. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /** {@code y[yo+i] += alpha * x[xo+i]}. */
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /** {@code out[oo+i] = alpha * x[xo+i]} (out may be x). */
    void scale(float alpha, float[] x, int xo, float[] out, int oo, int n);

    /** {@code out = a + b}, elementwise (out may alias a or b). */
    void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** {@code out = a - b}, elementwise (out may alias a or b). */
    void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** {@code out = a * b}, elementwise (out may alias a or b). */
    void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** {@code sum_i x[xo+i]}; 0 for n == 0. */
    float sum(float[] x, int xo, int n);

    /** {@code max_i x[xo+i]}; negative infinity for n == 0. NaN if any element is NaN. */
    float max(float[] x, int xo, int n);

    /** {@code out = exp(x)}, elementwise, within about one ulp; the same bits on every path. */
    void exp(float[] x, int xo, float[] out, int oo, int n);

    /** {@code out = log(x)}, elementwise. */
    void log(float[] x, int xo, float[] out, int oo, int n);

    /** {@code out = tanh(x)}, elementwise. */
    void tanh(float[] x, int xo, float[] out, int oo, int n);

    /** {@code out = max(x, 0)}, elementwise ({@link Math#max} semantics: NaN stays NaN, -0 becomes +0). */
    void relu(float[] x, int xo, float[] out, int oo, int n);

    /** Row-wise softmax of a {@code rows x cols} matrix, max-shifted so it never overflows (out may be x). */
    void softmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols);

    /** Row-wise log-softmax: {@code x - max - log(sum exp(x - max))} (out may be x). */
    void logSoftmaxRows(float[] x, int xo, float[] out, int oo, int rows, int cols);

    /**
     * {@code C[m x n] (+)= A[m x k] . B[k x n]}. With {@code accumulate} false C is overwritten,
     * otherwise the product is added to it. C must not alias A or B.
     */
    void matmul(float[] a, int ao, float[] b, int bo, float[] c, int co,
                int m, int k, int n, boolean accumulate);

    /** {@code C[m x n] (+)= A[m x k] . B[n x k]^T}: the layout of a {@code Linear} forward pass. */
    void matmulTransB(float[] a, int ao, float[] b, int bo, float[] c, int co,
                      int m, int k, int n, boolean accumulate);

    /** {@code C[m x n] (+)= A[k x m]^T . B[k x n]}: the weight gradient of a {@code Linear}. */
    void matmulTransA(float[] a, int ao, float[] b, int bo, float[] c, int co,
                      int m, int k, int n, boolean accumulate);
}

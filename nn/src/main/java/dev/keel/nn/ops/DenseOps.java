package dev.keel.nn.ops;

import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;

/**
 * A dense layer {@code y = x W^T + b} over rows of raw arrays, PyTorch's layout: {@code W} is
 * {@code [out x in]}, {@code x} is {@code [rows x in]}, {@code y} is {@code [rows x out]}. Written
 * as row loops on the kernels' dot and axpy: a text classifier's dense layers are a few hundred
 * short products per step (classes or hidden units times texts, each over dim floats), where a
 * packed GEMM buys nothing and would allocate its packing buffers on every call.
 */
public final class DenseOps {

    private DenseOps() {
    }

    /** {@code y[r] = W . x[r] + b} for each of the {@code rows} rows; {@code b} may be null (no bias). */
    public static void forward(float[] w, int wo, float[] b, int bo, int in, int out, float[] x, int xo, int rows,
                               float[] y, int yo) {
        FloatKernels k = Kernels.active();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                float dot = k.dot(x, xo + r * in, w, wo + j * in, in);
                y[yo + r * out + j] = b != null ? dot + b[bo + j] : dot;
            }
        }
    }

    /**
     * The backward pass from {@code g = d/dy} ({@code [rows x out]}), adding to each output that is
     * not null: {@code dW[j] += sum_r g[r][j] x[r]}, {@code db += sum_r g[r]},
     * {@code dx[r] += sum_j g[r][j] W[j]}; every sum in row order, then output order.
     */
    public static void backward(float[] w, int wo, int in, int out, float[] x, int xo, int rows, float[] g, int go,
                                float[] dw, int dwo, float[] db, int dbo, float[] dx, int dxo) {
        FloatKernels k = Kernels.active();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                float gj = g[go + r * out + j];
                if (dw != null) {
                    k.axpy(gj, x, xo + r * in, dw, dwo + j * in, in);
                }
                if (dx != null) {
                    k.axpy(gj, w, wo + j * in, dx, dxo + r * in, in);
                }
            }
            if (db != null) {
                k.add(db, dbo, g, go + r * out, db, dbo, out);
            }
        }
    }
}

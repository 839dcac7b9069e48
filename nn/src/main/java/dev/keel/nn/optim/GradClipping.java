package dev.keel.nn.optim;

import dev.keel.core.Tensor;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.autograd.Parameter;

import java.util.List;

/** Gradient clipping (PyTorch's {@code clip_grad_norm_}). */
public final class GradClipping {

    private GradClipping() {
    }

    /**
     * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}
     * (by {@code maxNorm / (norm + 1e-6)}, as PyTorch) and returns the norm before clipping,
     * summed in double. Row-sparse parameters contribute and are scaled on touched rows only.
     */
    public static double clipGradNorm(List<Parameter> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double sumSquares = 0;
        for (int i = 0; i < params.size(); i++) {
            sumSquares += sumSquares(params.get(i));
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > maxNorm) {
            float factor = (float) (maxNorm / (norm + 1e-6));
            for (int i = 0; i < params.size(); i++) {
                scale(params.get(i), factor);
            }
        }
        return norm;
    }

    private static double sumSquares(Parameter p) {
        Tensor g = p.grad();
        if (g == null) {
            return 0;
        }
        double s = 0;
        float[] gd = g.data();
        if (p.hasRowSparseGrad()) {
            int cols = g.cols();
            for (int t = 0; t < p.touchedRowCount(); t++) {
                int from = g.offset() + p.touchedRow(t) * cols;
                for (int j = 0; j < cols; j++) {
                    s += (double) gd[from + j] * gd[from + j];
                }
            }
        } else {
            for (int j = 0; j < g.size(); j++) {
                double x = gd[g.offset() + j];
                s += x * x;
            }
        }
        return s;
    }

    private static void scale(Parameter p, float factor) {
        Tensor g = p.grad();
        if (g == null) {
            return;
        }
        if (p.hasRowSparseGrad()) {
            int cols = g.cols();
            for (int t = 0; t < p.touchedRowCount(); t++) {
                int from = g.offset() + p.touchedRow(t) * cols;
                Kernels.active().scale(factor, g.data(), from, g.data(), from, cols);
            }
        } else {
            g.scaleInPlace(factor);
        }
    }
}

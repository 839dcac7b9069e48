package dev.keel.nn.testing;

import dev.keel.nn.loss.Loss;

/**
 * Small reference losses for tests, from {@link ReferenceLosses}' definitions in double precision
 * (the real fused kernels live in {@code dev.keel.nn.loss} and are tested there). Both reduce by the
 * mean over rows and allocate nothing once warmed up.
 */
public final class TestLosses {

    private TestLosses() {
    }

    /**
     * Softmax cross entropy: {@code mean_i -log softmax(z_i)[t_i]}, gradient {@code (p - onehot) / rows},
     * from {@link ReferenceLosses#logSoftmax}. Each instance reuses one row buffer: for one thread.
     */
    public static Loss crossEntropy() {
        double[][] buffer = {new double[0]};
        return (logits, rows, classes, targets, grad) -> {
            if (buffer[0].length < classes) {
                buffer[0] = new double[classes];
            }
            double[] z = buffer[0];
            double total = 0;
            for (int r = 0; r < rows; r++) {
                int o = r * classes;
                for (int j = 0; j < classes; j++) {
                    z[j] = logits[o + j];
                }
                total -= ReferenceLosses.logSoftmax(z, 0, classes, targets[r]);
                if (grad != null) {
                    for (int j = 0; j < classes; j++) {
                        double p = Math.exp(ReferenceLosses.logSoftmax(z, 0, classes, j));
                        grad[o + j] = (float) ((p - (j == targets[r] ? 1 : 0)) / rows);
                    }
                }
            }
            return total / rows;
        };
    }

    /** Binary cross entropy on one logit per row: {@code mean_i softplus(x) - x y}, gradient {@code (s - y) / rows}. */
    public static Loss binaryCrossEntropy() {
        return (logits, rows, classes, targets, grad) -> {
            if (classes != 1) {
                throw new IllegalArgumentException("binary loss needs one logit per row, got " + classes);
            }
            double total = 0;
            for (int r = 0; r < rows; r++) {
                double x = logits[r];
                int y = targets[r];
                total += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
                if (grad != null) {
                    grad[r] = (float) ((1 / (1 + Math.exp(-x)) - y) / rows);
                }
            }
            return total / rows;
        };
    }

    /**
     * {@code loss} behind the array contract of the project's fused kernels: logits and gradient of
     * exactly {@code rows * classes}, exactly {@code rows} targets.
     */
    public static Loss strict(Loss loss) {
        return (logits, rows, classes, targets, grad) -> {
            if (logits.length != rows * classes || targets.length != rows
                    || (grad != null && grad.length != logits.length)) {
                throw new IllegalArgumentException("array lengths " + logits.length + ", " + targets.length + ", "
                        + (grad == null ? "-" : grad.length) + " do not fit " + rows + " x " + classes);
            }
            return loss.compute(logits, rows, classes, targets, grad);
        };
    }
}

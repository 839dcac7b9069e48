package dev.keel.nn.testing;

import dev.keel.nn.loss.Loss;

/**
 * Small reference losses for tests, written from the definitions in double precision (the real
 * fused kernels live in {@code dev.keel.nn.loss} and are tested there). Both reduce by the mean
 * over rows and allocate nothing.
 */
public final class TestLosses {

    private TestLosses() {
    }

    /** Softmax cross entropy: {@code mean_i -log softmax(z_i)[t_i]}, gradient {@code (p - onehot) / rows}. */
    public static Loss crossEntropy() {
        return (logits, rows, classes, targets, grad) -> {
            double total = 0;
            for (int r = 0; r < rows; r++) {
                int o = r * classes;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < classes; j++) {
                    max = Math.max(max, logits[o + j]);
                }
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    sum += Math.exp(logits[o + j] - max);
                }
                double lse = max + Math.log(sum);
                total += lse - logits[o + targets[r]];
                if (grad != null) {
                    for (int j = 0; j < classes; j++) {
                        double p = Math.exp(logits[o + j] - lse);
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

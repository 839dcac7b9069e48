package dev.keel.examples;

import dev.keel.core.Tensor;
import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.optim.Optimizer;

import java.util.Locale;
import java.util.Map;

/**
 * Training safety: a guarded training step checks the batch's logits, loss and gradient at the
 * logits (in the loss call, before the backward pass), then every parameter gradient, before the
 * optimizer may apply them; and after the step the weights it changed. The first non-finite value
 * stops training with an exception naming the epoch, the batch, where the value is and what it is;
 * or, when skipping, a batch whose logits, loss or gradients are bad is left out (no update) and
 * counted. A step that made a weight non-finite (an optimizer overflow, which cannot be undone)
 * always stops.
 *
 * <p>The checks ride on a dot product with zeros, which is 0 for finite values and NaN as soon as
 * one is infinite or NaN; they cost a pass over the rows a step touches.
 */
public final class NonFiniteGuard {

    /** Training stopped on a non-finite value; the message names epoch, batch and value. */
    public static final class TrainingStoppedException extends InputException {
        private static final long serialVersionUID = 1L;

        public TrainingStoppedException(String message) {
            super(message);
        }
    }

    /** A bad value found inside the loss call, where the step cannot return a description. */
    private static final class NonFinite extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NonFinite(String what) {
            super(what, null, false, false); // control flow: no stack trace
        }
    }

    private final BagOfEmbeddingsClassifier model;
    private final Map<String, Parameter> parameters;
    private final boolean skip;
    private final float[] zeros;
    private int skipped;
    private String firstSkipped;

    public NonFiniteGuard(BagOfEmbeddingsClassifier model, boolean skip) {
        this.model = model;
        this.parameters = model.namedParameters();
        this.skip = skip;
        int widest = 1;
        for (Parameter p : parameters.values()) {
            widest = Math.max(widest, p.data().cols());
        }
        this.zeros = new float[widest];
    }

    /** Batches skipped so far. */
    public int skipped() {
        return skipped;
    }

    /** Where the first skipped batch was and what was wrong, or null. */
    public String firstSkipped() {
        return firstSkipped;
    }

    /**
     * One guarded training step (the same arithmetic as {@link BagOfEmbeddingsClassifier#trainStep}).
     *
     * @return the batch's loss, or NaN when the batch was skipped
     * @throws TrainingStoppedException on a non-finite value when not skipping, or when the
     *         optimizer step made a weight non-finite
     */
    public double step(int[] ids, int[] offsets, int rows, int[] targets, Loss loss, Optimizer optimizer, int epoch,
                       int batch, int batches) {
        model.zeroGrad();
        String bad;
        double value = Double.NaN;
        try {
            value = model.accumulateGradients(ids, offsets, rows, targets, checked(loss));
            bad = firstNonFinite("gradient", true);
        } catch (NonFinite e) {
            bad = e.getMessage();
        }
        String where = String.format(Locale.ROOT, "epoch %d, batch %d of %d", epoch, batch, batches);
        if (bad != null) {
            model.zeroGrad();
            if (!skip) {
                throw new TrainingStoppedException("training stopped at " + where + ": " + bad
                        + "; nothing was saved (lower --lr, or --skip-nonfinite skips such batches)");
            }
            if (skipped++ == 0) {
                firstSkipped = where + ": " + bad;
            }
            return Double.NaN;
        }
        optimizer.step();
        String broken = firstNonFinite("weight", false); // the rows this step touched
        model.zeroGrad();
        if (broken != null) {
            throw new TrainingStoppedException("training stopped at " + where + ": the optimizer step made " + broken
                    + " (the gradients were finite but too large for float); nothing was saved (lower --lr)");
        }
        return value;
    }

    /** {@code loss} with the logits checked before it runs and its value and gradient after. */
    private Loss checked(Loss loss) {
        return (logits, rows, classes, targets, grad) -> {
            for (int r = 0; r < rows; r++) {
                float max = Float.NEGATIVE_INFINITY;
                float min = Float.POSITIVE_INFINITY;
                for (int j = r * classes; j < (r + 1) * classes; j++) {
                    if (!Float.isFinite(logits[j])) {
                        throw new NonFinite("the logit of row " + r + ", class " + (j - r * classes) + " is " + logits[j]);
                    }
                    max = Math.max(max, logits[j]);
                    min = Math.min(min, logits[j]);
                }
                if (Float.isInfinite(max - min)) {
                    throw new NonFinite("the logits of row " + r + " span more than the float range (" + min + " to "
                            + max + ")");
                }
            }
            double value = loss.compute(logits, rows, classes, targets, grad);
            if (!Double.isFinite(value)) {
                throw new NonFinite("the loss is " + value);
            }
            if (grad != null) {
                for (int i = 0; i < rows * classes; i++) {
                    if (!Float.isFinite(grad[i])) {
                        throw new NonFinite("the loss gradient at row " + i / classes + ", class " + i % classes + " is "
                                + grad[i]);
                    }
                }
            }
            return value;
        };
    }

    /**
     * The first non-finite value among the parameters' gradients ({@code gradients}) or weights,
     * on the rows the current step touched (all rows of dense parameters), described; or null.
     */
    private String firstNonFinite(String what, boolean gradients) {
        FloatKernels k = Kernels.active();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            if (p.grad() == null) {
                continue;
            }
            Tensor t = gradients ? p.grad() : p.data();
            int cols = t.cols();
            float[] d = t.data();
            int rowCount = p.hasRowSparseGrad() ? p.touchedRowCount() : t.size() / Math.max(cols, 1);
            for (int i = 0; i < rowCount; i++) {
                int row = p.hasRowSparseGrad() ? p.touchedRow(i) : i;
                int from = t.offset() + row * cols;
                if (Float.isNaN(k.dot(d, from, zeros, 0, cols))) {
                    for (int j = 0; j < cols; j++) {
                        if (!Float.isFinite(d[from + j])) {
                            String at = t.rank() == 1 ? "[" + j + "]" : "[" + row + ", " + j + "]";
                            return what + " " + e.getKey() + at + " " + (gradients ? "is " : "") + d[from + j];
                        }
                    }
                }
            }
        }
        return null;
    }
}

package dev.keel.classifier;

import dev.keel.classifier.InputException.Hint;
import dev.keel.core.IdBags;
import dev.keel.core.Tensor;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.WorkerPool;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.optim.Optimizer;

import java.util.Locale;
import java.util.Map;

/**
 * Training safety: a guarded training step checks the batch's logits, loss and gradient at the
 * logits (in the loss call, before the backward pass and any update); after each epoch the dense
 * layers and the evaluation logits are checked, after the last every weight. The first non-finite value stops training with an exception naming the epoch,
 * the batch, where the value is and what it is. When skipping, every parameter gradient is checked
 * too before the optimizer may apply it, and a batch with a bad logit, loss or gradient is left out
 * (no update) and counted. A weight an update made non-finite (an optimizer overflow, which cannot
 * be undone) always stops: in the logits of the next batch that reads it, or after the epoch.
 *
 * <p>Cost: the logits and their gradient once per batch (batch x classes values), the dense layers
 * and evaluation logits once per epoch, and one pass over the embedding table at the end (a dot
 * product with zeros per row: 0 for finite values, NaN as soon as one is not). Finding where a bad
 * value came from costs more, but only on the way out.
 */
public final class NonFiniteGuard {

    /** Training stopped on a non-finite value; the message names epoch, batch and value. */
    public static final class TrainingStoppedException extends InputException {
        private static final long serialVersionUID = 1L;

        public TrainingStoppedException(String message) {
            super(message);
        }

        public TrainingStoppedException(String problem, Hint hint) {
            super(problem, hint, null);
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
    private final WorkerPool pool;
    private final float[] zeros;
    private int skipped;
    private String firstSkipped;

    /** A guard whose steps run on the calling thread (a one-thread pool starts no thread). */
    public NonFiniteGuard(BagOfEmbeddingsClassifier model, boolean skip) {
        this(model, skip, new WorkerPool(1));
    }

    /**
     * A guard whose fast steps (stopping at the first bad value) run on {@code pool}'s threads, with
     * the same bits for any number of threads; skipping steps run on the calling thread.
     */
    public NonFiniteGuard(BagOfEmbeddingsClassifier model, boolean skip, WorkerPool pool) {
        this.model = model;
        this.parameters = model.namedParameters();
        this.skip = skip;
        this.pool = pool;
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
     * One guarded training step, bit-identical to {@link BagOfEmbeddingsClassifier#trainStep}.
     * Stopping at the first bad value, it is that fast step itself with the loss call checked: a
     * bad logit, loss or loss gradient stops it before any update. Skipping, a bad batch must not
     * touch the model: the gradients are accumulated and checked first, then applied
     * ({@code accumulateGradients} and {@code optimizer.step()}, on the calling thread). A weight made
     * non-finite by an update shows in the logits of the next batch that reads it (it is then named,
     * and always stops: it cannot be undone), or in {@link #endEpoch}, {@link #checkEvaluation} or
     * {@link #endTraining}.
     *
     * @return the batch's loss, or NaN when the batch was skipped
     * @throws TrainingStoppedException on a non-finite value when not skipping, or a non-finite weight
     */
    public double step(IdBags bags, int[] targets, Loss loss, Optimizer optimizer, int epoch,
                       int batch, int batches) {
        String where = String.format(Locale.ROOT, "epoch %d, batch %d of %d", epoch, batch, batches);
        if (!skip) {
            try {
                return model.trainStep(bags, targets, checked(loss), optimizer, pool);
            } catch (NonFinite e) {
                model.zeroGrad();
                throw stopped(where, e.getMessage(), bags.ids(), bags.idCount());
            }
        }
        model.zeroGrad();
        String bad;
        double value;
        try {
            value = model.accumulateGradients(bags, targets, checked(loss));
            bad = firstNonFiniteGradient();
        } catch (NonFinite e) {
            model.zeroGrad();
            String weight = firstNonFiniteWeight(bags.ids(), bags.idCount());
            if (weight != null) {
                throw stopped(where, e.getMessage(), bags.ids(), bags.idCount());
            }
            value = Double.NaN;
            bad = e.getMessage();
        }
        if (bad != null) {
            model.zeroGrad();
            if (skipped++ == 0) {
                firstSkipped = where + ": " + bad;
            }
            return Double.NaN;
        }
        optimizer.step();
        model.zeroGrad();
        return value;
    }

    /**
     * After an epoch: the dense layers' weights must be finite (every batch reads them, so a bad one
     * would also show in the next batch; this names it right away). Cheap: the layers are small.
     */
    public void endEpoch(int epoch) {
        stopIfBroken(firstNonFiniteDenseWeight(), "after epoch " + epoch);
    }

    /**
     * Logits computed for evaluation ({@code what}: "validation", "test") must be finite: a bad one
     * comes from a weight an update broke that no training batch has read since; it is named.
     */
    public void checkEvaluation(float[] logits, int count, String what, int epoch) {
        for (int i = 0; i < count; i++) {
            if (!Float.isFinite(logits[i])) {
                stopIfBroken(firstNonFiniteWeight(null, 0), "after epoch " + epoch);
                throw new TrainingStoppedException("training stopped after epoch " + epoch + ": a " + what + " logit is "
                        + logits[i] + "; nothing was saved");
            }
        }
    }

    /**
     * After the last epoch: every weight must be finite, the embedding rows included (one pass over
     * the table), so that no broken row that nothing read since reaches a saved model.
     */
    public void endTraining(int epochs) {
        stopIfBroken(firstNonFiniteWeight(null, 0), "after epoch " + epochs);
    }

    private static void stopIfBroken(String broken, String when) {
        if (broken != null) {
            throw new TrainingStoppedException("training stopped " + when + ": an optimizer step made " + broken
                    + " (the gradients were too large for float); nothing was saved", Hint.LOWER_LEARNING_RATE);
        }
    }

    /** The stop for a bad value in the loss call, naming the weight behind it when one of the batch's is not finite. */
    private TrainingStoppedException stopped(String where, String bad, int[] ids, int idCount) {
        String weight = firstNonFiniteWeight(ids, idCount);
        if (weight != null) {
            return new TrainingStoppedException("training stopped at " + where + ": " + bad + ", from " + weight
                    + ", which an earlier optimizer step made (the gradients were too large for float); nothing was "
                    + "saved", Hint.LOWER_LEARNING_RATE);
        }
        return new TrainingStoppedException("training stopped at " + where + ": " + bad + "; nothing was saved",
                Hint.LOWER_LEARNING_RATE_OR_SKIP_NONFINITE);
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

    /** The first non-finite value among the gradients (the touched rows of row-sparse ones), described; or null. */
    private String firstNonFiniteGradient() {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            int rowCount = p.hasRowSparseGrad() ? p.touchedRowCount() : g.size() / Math.max(g.cols(), 1);
            for (int i = 0; i < rowCount; i++) {
                String bad = firstNonFiniteInRow("gradient", e.getKey(), g, p.hasRowSparseGrad() ? p.touchedRow(i) : i);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    /** The first non-finite weight of the parameters other than the embedding table, or null. */
    private String firstNonFiniteDenseWeight() {
        return firstNonFiniteWeight(new int[0], 0);
    }

    /**
     * The first non-finite weight among the embedding rows of {@code ids[0, idCount)} (every row when
     * {@code ids} is null) and the other parameters, described; or null.
     */
    private String firstNonFiniteWeight(int[] ids, int idCount) {
        Parameter table = model.embedding().weight();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Tensor w = e.getValue().data();
            boolean someRows = ids != null && e.getValue() == table;
            int rowCount = someRows ? idCount : w.size() / Math.max(w.cols(), 1);
            for (int i = 0; i < rowCount; i++) {
                String bad = firstNonFiniteInRow("weight", e.getKey(), w, someRows ? ids[i] : i);
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    /**
     * The first non-finite element of row {@code row} of {@code t}, described, or null. The test
     * is a dot product with zeros: 0 for finite values, NaN as soon as one is infinite or NaN.
     */
    private String firstNonFiniteInRow(String what, String name, Tensor t, int row) {
        int cols = t.cols();
        float[] d = t.data();
        int from = t.offset() + row * cols;
        if (!Float.isNaN(Kernels.active().dot(d, from, zeros, 0, cols))) {
            return null;
        }
        for (int j = 0; j < cols; j++) {
            if (!Float.isFinite(d[from + j])) {
                String at = t.rank() == 1 ? "[" + j + "]" : "[" + row + ", " + j + "]";
                return what + " " + name + at + " " + (what.equals("gradient") ? "is " : "") + d[from + j];
            }
        }
        return null;
    }
}

package dev.keel.examples;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.examples.engine.FeatureBags;
import dev.keel.examples.metrics.Metrics;
import dev.keel.examples.metrics.Metrics.Evaluation;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.Init;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.AdamW;
import dev.keel.nn.optim.LrSchedule;
import dev.keel.nn.optim.Optimizer;

import java.util.Arrays;

/**
 * One training run: epochs of shuffled mini-batches, then after every epoch an evaluation on the
 * validation rows (and the test rows, kept only for the epoch that validation chooses).
 *
 * <p>The epoch is chosen by the best validation macro-F1, ties broken by the lower validation NLL
 * (the earlier epoch on a full tie). Without validation rows, the last epoch.
 */
public final class TrainingRun {

    /** Featurized rows: train, validation (may be empty), test (may be null). */
    public record Prepared(FeatureBags train, int[] trainLabels, FeatureBags valid, int[] validLabels,
                           FeatureBags test, int[] testLabels, int classes, int minority, int embeddingRows) {

        int[] trainCounts() {
            int[] counts = new int[classes];
            for (int label : trainLabels) {
                counts[label]++;
            }
            return counts;
        }
    }

    /** Called as training goes; all methods optional. */
    public interface Listener {
        default void batch(int epoch, int batchIndex, int batches, double meanObjective, double tokensPerSecond) {
        }

        /** After each epoch; {@code best} when this epoch is the chosen one so far. */
        default void epoch(int epoch, double objective, Evaluation valid, boolean best, BagOfEmbeddingsClassifier model) {
        }
    }

    /**
     * Per-epoch curves (index 0 = epoch 1) and the test evaluation at the chosen epoch.
     *
     * @param gatedShare       share of training rows whose gate was closed when last visited in the
     *                         epoch (NaN for losses without a gate)
     * @param gateShareByClass [epoch][class][closed, open, edge] shares of that class's rows (null
     *                         for losses without a gate)
     * @param gradShareByClass [epoch][class] each class's share of the summed per-row gradient norm
     *                         at the logits
     */
    public record Result(double[] trainObjective, double[] validNll, double[] validAccuracy, double[] validMacroF1,
                         double[] gatedShare, double[][][] gateShareByClass, double[][] gradShareByClass,
                         int selectedEpoch, Evaluation validAtSelected, Evaluation testAtSelected,
                         double trainSeconds, double tokensPerSecond, int skippedBatches, String firstSkipped) {
    }

    /** Tests only: wraps each run's loss (to make chosen batches' loss or gradient non-finite). */
    static volatile java.util.function.UnaryOperator<Loss> lossHookForTests;

    private TrainingRun() {
    }

    public static Result run(Prepared data, LossSpec spec, TrainSettings s, Listener listener) {
        int classes = data.classes();
        Loss loss = spec.create(data.trainCounts());
        java.util.function.UnaryOperator<Loss> hook = lossHookForTests;
        if (hook != null) {
            loss = hook.apply(loss);
        }
        KeelRandom random = new KeelRandom(s.seed());
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(
                data.embeddingRows(), s.dim(), s.hidden(), classes, random.nextLong()));
        // fastText's embedding init, uniform(-1/dim, 1/dim), instead of PyTorch's normal(0, 1): hash
        // buckets that training never touches (n-grams first seen at test time) then add almost
        // nothing to a text's mean, rather than noise of the size of a trained row.
        Init.uniform(model.embedding().weight().data(), -1.0 / s.dim(), 1.0 / s.dim(), random.split());
        NonFiniteGuard guard = new NonFiniteGuard(model, s.skipNonFinite());
        FeatureBags train = data.train();
        int rows = train.rows();
        if (rows == 0) {
            throw new InputException("the training set is empty");
        }
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        int[] batchIds = new int[train.maxBatchIds(s.batch())];
        int[] batchOffsets = new int[s.batch() + 1];
        int[] batchTargets = new int[s.batch()];
        int batches = (rows + s.batch() - 1) / s.batch();
        int epochs = s.epochs();
        Optimizer optimizer = s.weightDecay() > 0
                ? new AdamW(model.parameters(), s.lr(), 0.9, 0.999, 1e-8, s.weightDecay())
                : new Adam(model.parameters(), s.lr());
        // Linear decay to 0 over the run (fastText's schedule): late epochs refine rather than overfit.
        optimizer.setSchedule(TrainSettings.LINEAR.equals(s.lrSchedule())
                ? LrSchedule.linearDecay(s.lr(), (long) epochs * batches) : LrSchedule.constant(s.lr()));
        double[] objective = new double[epochs];
        double[] validNll = new double[epochs];
        double[] validAccuracy = new double[epochs];
        double[] validF1 = new double[epochs];
        double[] gatedShare = new double[epochs];
        Double margin = spec.margin();
        double[][][] gateByClass = margin != null ? new double[epochs][][] : null;
        double[][] gradByClass = new double[epochs][];
        boolean hasValid = data.valid() != null && data.valid().rows() > 0;
        float[] validLogits = hasValid ? new float[data.valid().rows() * classes] : null;
        float[] testLogits = data.test() != null ? new float[data.test().rows() * classes] : null;
        int selected = -1;
        Evaluation bestValid = null;
        Evaluation bestTest = null;
        long trainNanos = 0;
        long tokens = 0;
        int[] trainCounts = data.trainCounts();
        for (int e = 0; e < epochs; e++) {
            random.shuffle(order);
            long start = System.nanoTime();
            double sum = 0;
            int trainedRows = 0;
            int[] closedOpenEdge = new int[classes * 3];
            double[] gradNorm = new double[classes];
            for (int b = 0; b < batches; b++) {
                int from = b * s.batch();
                int n = Math.min(s.batch(), rows - from);
                train.gather(order, from, n, batchIds, batchOffsets);
                for (int i = 0; i < n; i++) {
                    batchTargets[i] = data.trainLabels()[order[from + i]];
                }
                double value = guard.step(batchIds, batchOffsets, n, batchTargets, loss, optimizer, e + 1, b + 1,
                        batches);
                if (Double.isNaN(value)) {
                    continue; // skipped and counted by the guard
                }
                sum += value * n;
                trainedRows += n;
                gateAndGradient(model.lastLogits(), model.lastLogitsGrad(), n, classes, batchTargets, margin,
                        closedOpenEdge, gradNorm);
                if (listener != null) {
                    double seconds = (trainNanos + System.nanoTime() - start) / 1e9;
                    double tokensSoFar = tokens + (double) train.tokens() * (from + n) / rows;
                    listener.batch(e + 1, b + 1, batches, sum / trainedRows, tokensSoFar / Math.max(seconds, 1e-9));
                }
            }
            if (trainedRows == 0) {
                throw new NonFiniteGuard.TrainingStoppedException("training stopped: every batch of epoch " + (e + 1)
                        + " had non-finite values (the first skipped: " + guard.firstSkipped() + "); nothing was saved");
            }
            trainNanos += System.nanoTime() - start;
            tokens += train.tokens();
            objective[e] = sum / trainedRows;
            gradByClass[e] = shares(gradNorm);
            if (margin != null) {
                gateByClass[e] = new double[classes][3];
                int closed = 0;
                for (int c = 0; c < classes; c++) {
                    for (int k = 0; k < 3; k++) {
                        gateByClass[e][c][k] = trainCounts[c] == 0 ? Double.NaN
                                : (double) closedOpenEdge[c * 3 + k] / trainCounts[c];
                    }
                    closed += closedOpenEdge[c * 3];
                }
                gatedShare[e] = (double) closed / trainedRows;
            } else {
                gatedShare[e] = Double.NaN;
            }
            Evaluation valid = null;
            if (hasValid) {
                logits(model, data.valid(), validLogits);
                valid = Metrics.evaluate(validLogits, data.valid().rows(), classes, data.validLabels(), data.minority());
                validNll[e] = valid.nll();
                validAccuracy[e] = valid.accuracy();
                validF1[e] = valid.macroF1();
            } else {
                validNll[e] = validAccuracy[e] = validF1[e] = Double.NaN;
            }
            boolean best = !hasValid || bestValid == null || valid.macroF1() > bestValid.macroF1()
                    || (valid.macroF1() == bestValid.macroF1() && valid.nll() < bestValid.nll());
            if (best) {
                selected = e + 1;
                bestValid = valid;
                if (testLogits != null) {
                    logits(model, data.test(), testLogits);
                    bestTest = Metrics.evaluate(testLogits, data.test().rows(), classes, data.testLabels(),
                            data.minority());
                }
            }
            if (listener != null) {
                listener.epoch(e + 1, objective[e], valid, best, model);
            }
        }
        double seconds = trainNanos / 1e9;
        return new Result(objective, validNll, validAccuracy, validF1, gatedShare, gateByClass, gradByClass,
                selected, bestValid, bestTest, seconds, tokens / Math.max(seconds, 1e-9), guard.skipped(),
                guard.firstSkipped());
    }

    /**
     * Accumulates, per class, the rows whose gate is closed ({@code p_t > m}: gated out; for the soft
     * gate, weight below 1/2), open ({@code p_t < m}) or on the edge ({@code p_t == m}, weight 1/2),
     * and the L2 norm of each row's gradient at the logits.
     */
    static void gateAndGradient(Tensor logitsView, Tensor gradView, int rows, int classes, int[] targets,
                                Double margin, int[] closedOpenEdge, double[] gradNorm) {
        float[] logits = logitsView.data();
        float[] grad = gradView.data();
        int lo = logitsView.offset();
        int go = gradView.offset();
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (margin != null) {
                double pt = Math.exp(Metrics.logSoftmax(logits, lo / classes + r, classes, t));
                int state = pt > margin ? 0 : pt < margin ? 1 : 2;
                closedOpenEdge[t * 3 + state]++;
            }
            double sq = 0;
            for (int j = 0; j < classes; j++) {
                double g = grad[go + r * classes + j];
                sq += g * g;
            }
            gradNorm[t] += Math.sqrt(sq);
        }
    }

    /** Logits of every row of {@code bags} into {@code out} ({@code rows x classes}). */
    public static void logits(BagOfEmbeddingsClassifier model, FeatureBags bags, float[] out) {
        model.logits(bags.ids(), bags.offsets(), bags.rows(), out);
    }

    private static double[] shares(double[] values) {
        double total = Arrays.stream(values).sum();
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = total == 0 ? Double.NaN : values[i] / total;
        }
        return out;
    }
}

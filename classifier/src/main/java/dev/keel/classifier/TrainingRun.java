package dev.keel.classifier;

import dev.keel.core.IdBags;
import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.Init;
import dev.keel.nn.WorkerPool;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.LogitAdjustedLoss;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.AdamW;
import dev.keel.nn.optim.LrSchedule;
import dev.keel.nn.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * One training run: epochs of shuffled mini-batches, then after every epoch an evaluation on the
 * validation rows (and the test rows, kept only for the epoch that validation chooses).
 *
 * <p>The epoch is chosen by the best validation macro-F1, ties broken by the lower validation NLL
 * (the earlier epoch on a full tie). Without validation rows, the last epoch. With
 * {@code keepChosenEpoch}, the returned model holds the chosen epoch's parameters (a copy is kept
 * whenever validation finds a better epoch); otherwise the last epoch's.
 */
public final class TrainingRun {

    /** Featurized rows: train, validation (may be empty), test (may be null). */
    public record Prepared(IdBags train, int[] trainLabels, IdBags valid, int[] validLabels,
                           IdBags test, int[] testLabels, int classes, int minority, int embeddingRows) {

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
     * @param gateMargin       the margin of {@code gateShareByClass}: the loss's own, or for a loss
     *                         without a gate the reference margin of the run
     * @param gateShareByClass [epoch][class][closed, open, edge] shares of that class's rows, against
     *                         {@code gateMargin} (closed {@code p_t > m}, open {@code p_t < m}, edge
     *                         {@code p_t == m}), from the loss kernel's {@code GateStats}
     * @param gradShareByClass [epoch][class] each class's share of the squared gradient norm at the
     *                         logits, summed over the epoch's batches
     * @param model            the trained classifier (see the class comment for which epoch's parameters)
     * @param validLogitsByEpoch [epoch] the validation rows' logits after each epoch, or null without validation rows
     */
    public record Result(BagOfEmbeddingsClassifier model, double[] trainObjective, double[] validNll, double[] validAccuracy, double[] validMacroF1,
                         double[] gatedShare, double gateMargin, double[][][] gateShareByClass,
                         double[][] gradShareByClass,
                         int selectedEpoch, Evaluation validAtSelected, Evaluation testAtSelected,
                         double trainSeconds, double tokensPerSecond, int skippedBatches, String firstSkipped,
                         float[][] validLogitsByEpoch) {
    }

    /**
     * How an epoch is scored on the validation rows, higher is better (ties: lower NLL, then the
     * earlier epoch); by default their macro-F1 under argmax.
     */
    public interface EpochScore {
        double score(float[] validLogits, Evaluation valid);
    }

    /** Tests only: wraps each run's loss (to make chosen batches' loss or gradient non-finite). */
    static volatile java.util.function.UnaryOperator<Loss> lossHookForTests;

    private TrainingRun() {
    }

    /** A run whose model ends at the last epoch; see {@link #run(Prepared, LossSpec, TrainSettings, Listener, double, boolean)}. */
    public static Result run(Prepared data, LossSpec spec, TrainSettings s, Listener listener) {
        return run(data, spec, s, listener, LossSpec.DEFAULT_MARGIN, false);
    }

    /**
     * One training run; a loss without a gate of its own is watched against {@code referenceMargin}
     * in {@link Result#gateShareByClass}.
     *
     * @param keepChosenEpoch end with the parameters of the epoch validation chose, not the last
     */
    public static Result run(Prepared data, LossSpec spec, TrainSettings s, Listener listener, double referenceMargin,
                             boolean keepChosenEpoch) {
        return run(data, spec, s, listener, referenceMargin, keepChosenEpoch, s.epochs());
    }

    /**
     * As {@link #run(Prepared, LossSpec, TrainSettings, Listener, double, boolean)}, but stops after
     * the first {@code epochsToRun} epochs of the settings' run (the learning rate follows the
     * schedule of all {@code s.epochs()}): the model of epoch {@code epochsToRun}, as a validation run
     * saw it there.
     */
    public static Result run(Prepared data, LossSpec spec, TrainSettings s, Listener listener, double referenceMargin,
                             boolean keepChosenEpoch, int epochsToRun) {
        return run(data, spec, s, listener, referenceMargin, keepChosenEpoch, epochsToRun, null);
    }

    /** As above, with the validation epochs scored by {@code epochScore} (null: macro-F1 under argmax). */
    public static Result run(Prepared data, LossSpec spec, TrainSettings s, Listener listener, double referenceMargin,
                             boolean keepChosenEpoch, int epochsToRun, EpochScore epochScore) {
        if (epochsToRun < 1 || epochsToRun > s.epochs()) {
            throw new IllegalArgumentException("epochsToRun " + epochsToRun + " is outside [1, " + s.epochs() + "]");
        }
        int classes = data.classes();
        int[] trainCounts = data.trainCounts();
        FusedLoss loss = spec.create(trainCounts);
        // deferred re-weighting: the epochs before reweightFrom train without the loss's class weights
        FusedLoss unweighted = s.reweightFrom() > 1 ? FusedLoss.of(spec.kind().forClasses(trainCounts).unweighted())
                : loss;
        Loss[] stepLosses = {s.reweightFrom() > 1 ? stepLoss(unweighted, s, trainCounts) : null,
            stepLoss(loss, s, trainCounts)};
        KeelRandom random = new KeelRandom(s.seed());
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(
                data.embeddingRows(), s.dim(), s.hidden(), classes, (float) s.dropout(), random.nextLong()));
        // fastText's embedding init, uniform(-1/dim, 1/dim), instead of PyTorch's normal(0, 1): hash
        // buckets that training never touches (n-grams first seen at test time) then add almost
        // nothing to a text's mean, rather than noise of the size of a trained row.
        Init.uniform(model.embedding().weight().data(), -1.0 / s.dim(), 1.0 / s.dim(), random.split());
        IdBags train = data.train();
        int rows = train.size();
        if (rows == 0) {
            throw new InputException("the training set is empty");
        }
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        int[] batchIds = new int[train.maxIds(s.batch())];
        float[] batchWeights = train.weighted() ? new float[batchIds.length] : null;
        int[] batchOffsets = new int[s.batch() + 1];
        int[] batchTargets = new int[s.batch()];
        int batches = (rows + s.batch() - 1) / s.batch();
        int epochs = epochsToRun;
        Optimizer optimizer = s.weightDecay() > 0
                ? new AdamW(model.parameters(), s.lr(), 0.9, 0.999, 1e-8, s.weightDecay())
                : new Adam(model.parameters(), s.lr());
        // Linear decay to 0 over the run (fastText's schedule): late epochs refine rather than overfit.
        optimizer.setSchedule(TrainSettings.LINEAR.equals(s.lrSchedule())
                ? LrSchedule.linearDecay(s.lr(), (long) s.epochs() * batches) : LrSchedule.constant(s.lr()));
        double[] objective = new double[epochs];
        double[] validNll = new double[epochs];
        double[] validAccuracy = new double[epochs];
        double[] validF1 = new double[epochs];
        double[] gatedShare = new double[epochs];
        Double margin = spec.margin();
        double gateMargin = margin != null ? margin : referenceMargin;
        double[][][] gateByClass = new double[epochs][][];
        double[][] gradByClass = new double[epochs][];
        boolean hasValid = data.valid() != null && data.valid().size() > 0;
        float[] validLogits = hasValid ? new float[data.valid().size() * classes] : null;
        float[][] validLogitsByEpoch = new float[epochs][];
        float[] testLogits = data.test() != null ? new float[data.test().size() * classes] : null;
        int selected = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        Evaluation bestValid = null;
        Evaluation bestTest = null;
        long trainNanos = 0;
        long tokens = 0;
        List<Tensor> chosen = new ArrayList<>(); // the chosen epoch's parameters, when kept and not the last
        // One pool for the run: its threads start once; any thread count gives the same bits.
        WorkerPool pool = new WorkerPool(s.threads());
        NonFiniteGuard guard = new NonFiniteGuard(model, s.skipNonFinite(), pool);
        try (pool) {
            for (int e = 0; e < epochs; e++) {
                ClassSampling.order(s.sampling(), order, data.trainLabels(), classes, random);
                Loss stepLoss = stepLosses[e + 1 >= s.reweightFrom() ? 1 : 0];
                FusedLoss epochLoss = e + 1 >= s.reweightFrom() ? loss : unweighted;
                long start = System.nanoTime();
                double sum = 0;
                int trainedRows = 0;
                ClassGateTally gates = new ClassGateTally(classes, gateMargin);
                for (int b = 0; b < batches; b++) {
                    int from = b * s.batch();
                    int n = Math.min(s.batch(), rows - from);
                    IdBags batch = train.gather(order, from, n, batchIds, batchOffsets, batchWeights);
                    for (int i = 0; i < n; i++) {
                        batchTargets[i] = data.trainLabels()[order[from + i]];
                    }
                    double value = guard.step(batch, batchTargets, stepLoss, optimizer, e + 1, b + 1,
                            batches);
                    if (Double.isNaN(value)) {
                        continue; // skipped and counted by the guard
                    }
                    sum += value * n;
                    trainedRows += n;
                    gates.add(epochLoss, model.lastLogits(), n, batchTargets);
                    if (listener != null) {
                        double seconds = (trainNanos + System.nanoTime() - start) / 1e9;
                        double tokensSoFar = tokens + (double) train.tokens() * (from + n) / rows;
                        listener.batch(e + 1, b + 1, batches, sum / trainedRows, tokensSoFar / Math.max(seconds, 1e-9));
                    }
                }
                guard.endEpoch(e + 1);
                if (trainedRows == 0) {
                    throw new NonFiniteGuard.TrainingStoppedException("training stopped: every batch of epoch " + (e + 1)
                            + " had non-finite values (the first skipped: " + guard.firstSkipped() + "); nothing was saved");
                }
                trainNanos += System.nanoTime() - start;
                tokens += train.tokens();
                objective[e] = sum / trainedRows;
                gradByClass[e] = gates.gradientShares();
                gateByClass[e] = gates.closedOpenEdgeShares();
                gatedShare[e] = margin != null ? gates.closedShare() : Double.NaN;
                Evaluation valid = null;
                if (hasValid) {
                    logits(model, data.valid(), validLogits);
                    guard.checkEvaluation(validLogits, validLogits.length, "validation", e + 1);
                    valid = Metrics.evaluate(validLogits, data.valid().size(), classes, data.validLabels(), data.minority());
                    validLogitsByEpoch[e] = validLogits.clone();
                    validNll[e] = valid.nll();
                    validAccuracy[e] = valid.accuracy();
                    validF1[e] = valid.macroF1();
                } else {
                    validNll[e] = validAccuracy[e] = validF1[e] = Double.NaN;
                }
                double score = !hasValid ? 0 : epochScore != null ? epochScore.score(validLogits, valid) : valid.macroF1();
                boolean best = !hasValid || bestValid == null || score > bestScore
                        || (score == bestScore && valid.nll() < bestValid.nll());
                if (best) {
                    selected = e + 1;
                    bestScore = score;
                    bestValid = valid;
                    if (keepChosenEpoch && hasValid && e + 1 < epochs) {
                        keep(model, chosen);
                    }
                    if (testLogits != null) {
                        logits(model, data.test(), testLogits);
                        guard.checkEvaluation(testLogits, testLogits.length, "test", e + 1);
                        bestTest = Metrics.evaluate(testLogits, data.test().size(), classes, data.testLabels(),
                                data.minority());
                    }
                }
                if (listener != null) {
                    listener.epoch(e + 1, objective[e], valid, best, model);
                }
            }
        }
        guard.endTraining(epochs);
        if (keepChosenEpoch && selected < epochs) {
            List<Parameter> params = model.parameters();
            for (int i = 0; i < params.size(); i++) {
                params.get(i).data().copyFrom(chosen.get(i));
            }
        }
        double seconds = trainNanos / 1e9;
        return new Result(model, objective, validNll, validAccuracy, validF1, gatedShare, gateMargin, gateByClass, gradByClass,
                selected, bestValid, bestTest, seconds, tokens / Math.max(seconds, 1e-9), guard.skipped(),
                guard.firstSkipped(), hasValid ? validLogitsByEpoch : null);
    }

    /** The loss a step computes: logit-adjusted if the settings say so, and the tests' hook around it. */
    private static Loss stepLoss(FusedLoss loss, TrainSettings s, int[] trainCounts) {
        Loss step = s.logitAdjust() > 0
                ? new LogitAdjustedLoss(loss, LogitAdjustedLoss.offsets(s.logitAdjust(), trainCounts)) : loss;
        java.util.function.UnaryOperator<Loss> hook = lossHookForTests;
        return hook != null ? hook.apply(step) : step;
    }

    /** Copies the model's parameters into {@code into} (reusing its tensors after the first time). */
    private static void keep(BagOfEmbeddingsClassifier model, List<Tensor> into) {
        List<Parameter> params = model.parameters();
        for (int i = 0; i < params.size(); i++) {
            if (into.size() == i) {
                into.add(params.get(i).data().copy());
            } else {
                into.get(i).copyFrom(params.get(i).data());
            }
        }
    }

    /** Logits of every row of {@code bags} into {@code out} ({@code rows x classes}). */
    public static void logits(BagOfEmbeddingsClassifier model, IdBags bags, float[] out) {
        model.logits(bags, out);
    }
}

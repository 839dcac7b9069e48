package dev.keel.classifier;

import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.core.IdBags;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.data.LabeledDataset;
import dev.keel.text.data.Splits;

/**
 * How a training run's epoch and decision rule are chosen, by the settings' {@code selection} and
 * {@code decision}:
 * <ul>
 *   <li>{@code selection none}: one run on all training rows; with validation rows the epoch with the
 *       best validation macro-F1 is kept (ties: lower NLL), otherwise the last;</li>
 *   <li>{@code holdout:F}: a stratified fraction {@code F} of the training rows is held out, a run on
 *       the rest is scored on it after every epoch; then a run on all rows stops at the best epoch;</li>
 *   <li>{@code cv:K}: stratified K-fold cross-validation: K runs, each scored after every epoch on the
 *       fold it did not see, so every training row is scored once per epoch (out of fold); then a run
 *       on all rows stops at the best epoch. Where a minority class has few rows, a held-out tenth
 *       holds a handful of them and its best epoch is noise; out-of-fold scores use them all.</li>
 * </ul>
 * The epoch's score is the decision metric of the held-out logits under the decision rule:
 * {@code argmax}; {@code tuned} (offsets tuned on those logits for the metric, {@link DecisionRule});
 * or {@code prior:TAU} (logit adjustment's post-hoc form, offsets {@code -TAU log prior}, no held-out
 * rows needed). Each fold's features (vocabulary, TF-IDF) are fitted on that fold's training rows
 * only. The final run's learning rate follows the schedule of all the settings' epochs, as the
 * scored runs did.
 */
final class ModelSelection {

    /**
     * What was chosen.
     *
     * @param run       the final training run (its model is the one to keep)
     * @param features  the final run's features
     * @param decision  the decision rule, or null for argmax
     * @param heldOut   the held-out (or validation) evaluation at the chosen epoch under the decision rule, or null
     * @param how       how the epoch was chosen, for the manifest
     */
    record Outcome(TrainingRun.Result run, Engine.Features features, DecisionRule decision, Evaluation heldOut,
                   String how) {
    }

    private ModelSelection() {
    }

    static Outcome train(LabeledDataset train, LabeledDataset valid, LossSpec spec, TrainSettings s,
                         TrainingRun.Listener listener) {
        DecisionRule.Metric metric = metric(s, train);
        int minority = Engine.minority(train.classCounts());
        if (s.selection().equals("none")) {
            Engine.Features features = Engine.fit(train.texts(), s);
            TokenIdFeaturizer featurizer = features.featurizer();
            TrainingRun.Prepared data = prepared(train, features.trainBags(), valid, featurizer, minority);
            TrainingRun.Result result = TrainingRun.run(data, spec, s, listener, LossSpec.DEFAULT_MARGIN, true);
            DecisionRule decision = null;
            Evaluation heldOut = result.validAtSelected();
            if (s.decision().equals("tuned")) {
                if (valid == null) {
                    throw new InvalidSettingException("{decision} tuned needs held-out rows: validation rows, or "
                            + "{selection} cv:K or holdout:F");
                }
                float[] logits = result.validLogitsByEpoch()[result.selectedEpoch() - 1];
                decision = DecisionRule.tune(logits, valid.size(), train.numClasses(), valid.labelIds(), metric);
                heldOut = evaluate(logits, valid.labelIds(), train.numClasses(), minority, decision);
            } else if (s.decision().startsWith("prior:")) {
                decision = priorRule(s, train);
                if (valid != null) {
                    heldOut = evaluate(result.validLogitsByEpoch()[result.selectedEpoch() - 1], valid.labelIds(),
                            train.numClasses(), minority, decision);
                }
            }
            return new Outcome(result, features, decision, heldOut,
                    valid != null ? "best validation macro-F1 (ties: lower NLL)" : "last epoch");
        }
        if (valid != null) {
            throw new InvalidSettingException("{selection} " + s.selection() + " holds out training rows itself;"
                    + " give validation rows or a selection, not both");
        }
        int classes = train.numClasses();
        int[] foldOfRow;
        int folds;
        if (s.selection().startsWith("cv:")) {
            folds = Integer.parseInt(s.selection().substring(3));
            foldOfRow = Splits.stratifiedFolds(train, folds, s.seed());
        } else {
            double fraction = Double.parseDouble(s.selection().substring("holdout:".length()));
            boolean[] heldOut = Splits.stratifiedValidation(train, fraction, s.seed());
            folds = 1; // fold 0 held out, the rest (fold 1) trained on
            foldOfRow = new int[train.size()];
            for (int r = 0; r < foldOfRow.length; r++) {
                foldOfRow[r] = heldOut[r] ? 0 : 1;
            }
        }
        // out-of-fold logits of every held-out row, by epoch
        float[][] oof = new float[s.epochs()][train.size() * classes];
        boolean[] scored = new boolean[train.size()];
        for (int f = 0; f < folds; f++) {
            LabeledDataset part = train.subset(Splits.rowsOf(foldOfRow, f, false));
            int[] outRows = Splits.rowsOf(foldOfRow, f, true);
            LabeledDataset out = train.subset(outRows);
            Engine.Features features = Engine.fit(part.texts(), s);
            TrainingRun.Prepared data = prepared(part, features.trainBags(), out, features.featurizer(),
                    Engine.minority(part.classCounts()));
            TrainingRun.Result result = TrainingRun.run(data, spec, s, listener, LossSpec.DEFAULT_MARGIN, false);
            for (int e = 0; e < s.epochs(); e++) {
                for (int i = 0; i < outRows.length; i++) {
                    System.arraycopy(result.validLogitsByEpoch()[e], i * classes, oof[e], outRows[i] * classes, classes);
                }
            }
            for (int r : outRows) {
                scored[r] = true;
            }
        }
        int[] rows = new int[train.size()];
        int n = 0;
        for (int r = 0; r < scored.length; r++) {
            if (scored[r]) {
                rows[n++] = r;
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = train.labelId(rows[i]);
        }
        int bestEpoch = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        double bestNll = Double.POSITIVE_INFINITY;
        DecisionRule bestRule = null;
        float[] bestLogits = null;
        for (int e = 0; e < s.epochs(); e++) {
            float[] logits = new float[n * classes];
            for (int i = 0; i < n; i++) {
                System.arraycopy(oof[e], rows[i] * classes, logits, i * classes, classes);
            }
            DecisionRule rule = s.decision().equals("tuned") ? DecisionRule.tune(logits, n, classes, labels, metric)
                    : s.decision().startsWith("prior:") ? priorRule(s, train) : null;
            int[] predicted = rule != null ? rule.decide(logits, n, classes) : Metrics.argmax(logits, n, classes);
            double score = metric.of(Metrics.confusion(labels, predicted, classes));
            double nll = Metrics.nll(logits, n, classes, labels);
            if (score > bestScore || (score == bestScore && nll < bestNll)) { // the earlier epoch on a full tie
                bestEpoch = e + 1;
                bestScore = score;
                bestNll = nll;
                bestRule = rule;
                bestLogits = logits;
            }
        }
        Engine.Features features = Engine.fit(train.texts(), s);
        TrainingRun.Prepared data = prepared(train, features.trainBags(), null, features.featurizer(), minority);
        TrainingRun.Result result = TrainingRun.run(data, spec, s, listener, LossSpec.DEFAULT_MARGIN, false, bestEpoch);
        Evaluation heldOut = evaluate(bestLogits, labels, classes, minority, bestRule);
        String how = (folds > 1 ? "best out-of-fold " : "best held-out ") + metric.name()
                + (s.decision().equals("tuned") ? " with tuned decision offsets" : "") + " over " + s.selection()
                + " (ties: lower NLL), then all rows to that epoch";
        return new Outcome(result, features, bestRule, heldOut, how);
    }

    /** Logit adjustment's post-hoc offsets, {@code -tau log prior_c}, from the training rows' class shares. */
    private static DecisionRule priorRule(TrainSettings s, LabeledDataset train) {
        double tau = Double.parseDouble(s.decision().substring("prior:".length()));
        int[] counts = train.classCounts();
        float[] offsets = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            offsets[c] = (float) (-tau * Math.log(Math.max(counts[c], 1) / (double) train.size()));
        }
        return new DecisionRule(offsets, "logit_adjustment:" + LossSpec.format(tau));
    }

    private static DecisionRule.Metric metric(TrainSettings s, LabeledDataset train) {
        try {
            return DecisionRule.Metric.parse(s.decisionMetric(), train.labelNames());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("{decisionMetric}: " + e.getMessage());
        }
    }

    private static TrainingRun.Prepared prepared(LabeledDataset train, IdBags trainBags, LabeledDataset valid,
                                                 TokenIdFeaturizer featurizer, int minority) {
        return new TrainingRun.Prepared(trainBags, train.labelIds(), valid == null ? null : featurizer.bags(valid.texts()),
                valid == null ? null : valid.labelIds(), null, null, train.numClasses(), minority,
                featurizer.dimension());
    }

    private static Evaluation evaluate(float[] logits, int[] labels, int classes, int minority, DecisionRule rule) {
        int rows = labels.length;
        int[] predicted = rule != null ? rule.decide(logits, rows, classes) : Metrics.argmax(logits, rows, classes);
        return Metrics.evaluate(logits, rows, classes, labels, minority, predicted);
    }
}

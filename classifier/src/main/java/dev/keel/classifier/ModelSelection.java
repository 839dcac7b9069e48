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
 *       best validation score is kept, otherwise the last;</li>
 *   <li>{@code holdout:F}: a stratified fraction {@code F} of the training rows is held out, a run on
 *       the rest is scored on it after every epoch; then a run on all rows stops at the best epoch;</li>
 *   <li>{@code cv:K}: stratified K-fold cross-validation: K runs, each scored after every epoch on the
 *       fold it did not see, so every training row is scored once per epoch (out of fold); then a run
 *       on all rows stops at the best epoch. Where a minority class has few rows, a held-out tenth
 *       holds a handful of them and its best epoch is noise; out-of-fold scores use them all.</li>
 * </ul>
 * An epoch's score is the decision metric of the held-out logits under the decision rule:
 * {@code argmax}; {@code tuned} (offsets tuned on those logits for the metric, {@link DecisionRule});
 * or {@code prior:TAU} (logit adjustment's post-hoc form, offsets {@code -TAU log prior}, no held-out
 * rows needed). Ties: lower NLL, then the earlier epoch. Each fold's features (vocabulary, TF-IDF)
 * are fitted on that fold's training rows only. The final run's learning rate follows the schedule
 * of all the settings' epochs, as the scored runs did.
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

    /**
     * The best epoch on held-out rows and what it scored.
     *
     * @param epoch    the best epoch (1-based)
     * @param score    the metric there, under {@code rule}
     * @param rule     the decision rule there, or null for argmax
     * @param heldOut  the held-out evaluation there, under {@code rule}
     */
    record Scored(int epoch, double score, DecisionRule rule, Evaluation heldOut) {
    }

    private ModelSelection() {
    }

    static Outcome train(LabeledDataset train, LabeledDataset valid, LossSpec spec, TrainSettings s,
                         TrainingRun.Listener listener) {
        DecisionRule.Metric metric = metric(s, train);
        int classes = train.numClasses();
        int minority = Engine.minority(train.classCounts());
        boolean holdsOut = !s.selection().equals("none");
        if (holdsOut && valid != null) {
            throw new InvalidSettingException("{selection} " + s.selection() + " holds out training rows itself;"
                    + " give validation rows or a selection, not both");
        }
        if (!holdsOut) {
            if (s.decision().equals("tuned") && valid == null) {
                throw new InvalidSettingException("{decision} tuned needs held-out rows: validation rows, or "
                        + "{selection} cv:K or holdout:F");
            }
            // one run; with validation rows, its own best epoch is kept
            Engine.Features features = Engine.fit(train.texts(), s);
            TokenIdFeaturizer featurizer = features.featurizer();
            TrainingRun.Prepared data = prepared(train, features.trainBags(), valid, featurizer, minority);
            TrainingRun.Result result = TrainingRun.run(data, spec, s, listener, LossSpec.DEFAULT_MARGIN, true,
                    s.epochs(), epochScore(s, train, metric, valid));
            DecisionRule rule = s.decision().startsWith("prior:") ? priorRule(s, train) : null;
            Evaluation heldOut = result.validAtSelected();
            if (valid != null) {
                float[] logits = result.validLogitsByEpoch()[result.selectedEpoch() - 1];
                if (s.decision().equals("tuned")) {
                    rule = DecisionRule.tune(logits, valid.size(), classes, valid.labelIds(), metric);
                }
                heldOut = evaluate(logits, valid.labelIds(), classes, minority, rule);
            }
            return new Outcome(result, features, rule, heldOut, valid == null ? "last epoch"
                    : "best validation " + metricWords(s, metric) + " (ties: lower NLL)");
        }
        return finish(train, spec, s, score(train, spec, s, listener), listener);
    }

    /** The final run of a holdout or cv selection whose held-out scoring is done: all rows to the best epoch. */
    static Outcome finish(LabeledDataset train, LossSpec spec, TrainSettings s, Scored best,
                          TrainingRun.Listener listener) {
        DecisionRule.Metric metric = metric(s, train);
        int minority = Engine.minority(train.classCounts());
        Engine.Features features = Engine.fit(train.texts(), s);
        TrainingRun.Prepared data = prepared(train, features.trainBags(), null, features.featurizer(), minority);
        TrainingRun.Result result = TrainingRun.run(data, spec, s, listener, LossSpec.DEFAULT_MARGIN, false, best.epoch());
        String how = (s.selection().startsWith("cv:") ? "best out-of-fold " : "best held-out ") + metricWords(s, metric)
                + " over " + s.selection() + " (ties: lower NLL), then all rows to that epoch";
        return new Outcome(result, features, best.rule(), best.heldOut(), how);
    }

    /**
     * Scores every epoch of the settings' run on training rows held out by the settings' selection
     * ({@code holdout:F} or {@code cv:K}) and returns the best.
     */
    static Scored score(LabeledDataset train, LossSpec spec, TrainSettings s, TrainingRun.Listener listener) {
        DecisionRule.Metric metric = metric(s, train);
        int classes = train.numClasses();
        int[] foldOfRow;
        int folds;
        if (s.selection().startsWith("cv:")) {
            folds = Integer.parseInt(s.selection().substring(3));
            foldOfRow = Splits.stratifiedFolds(train, folds, s.seed());
        } else if (s.selection().startsWith("holdout:")) {
            double fraction = Double.parseDouble(s.selection().substring("holdout:".length()));
            boolean[] heldOut = Splits.stratifiedValidation(train, fraction, s.seed());
            folds = 1; // fold 0 held out, the rest (fold 1) trained on
            foldOfRow = new int[train.size()];
            for (int r = 0; r < foldOfRow.length; r++) {
                foldOfRow[r] = heldOut[r] ? 0 : 1;
            }
        } else {
            throw new IllegalArgumentException("scoring needs a selection that holds rows out, got " + s.selection());
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
        int[] rows = Splits.rowsOf(toFolds(scored), 1, true);
        int n = rows.length;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = train.labelId(rows[i]);
        }
        int minority = Engine.minority(train.classCounts());
        Scored best = null;
        double bestNll = Double.POSITIVE_INFINITY;
        for (int e = 0; e < s.epochs(); e++) {
            float[] logits = new float[n * classes];
            for (int i = 0; i < n; i++) {
                System.arraycopy(oof[e], rows[i] * classes, logits, i * classes, classes);
            }
            DecisionRule rule = rule(s, train, metric, logits, labels);
            Evaluation heldOut = evaluate(logits, labels, classes, minority, rule);
            double score = metric.of(heldOut.confusion());
            if (best == null || score > best.score() || (score == best.score() && heldOut.nll() < bestNll)) {
                best = new Scored(e + 1, score, rule, heldOut);
                bestNll = heldOut.nll();
            }
        }
        return best;
    }

    /** The decision rule of the settings for these held-out logits: tuned on them, the prior's, or null (argmax). */
    private static DecisionRule rule(TrainSettings s, LabeledDataset train, DecisionRule.Metric metric, float[] logits,
                                     int[] labels) {
        if (s.decision().equals("tuned")) {
            return DecisionRule.tune(logits, labels.length, train.numClasses(), labels, metric);
        }
        return s.decision().startsWith("prior:") ? priorRule(s, train) : null;
    }

    /** How a validation epoch is scored: null (argmax macro-F1, TrainingRun's own) unless the settings say otherwise. */
    private static TrainingRun.EpochScore epochScore(TrainSettings s, LabeledDataset train, DecisionRule.Metric metric,
                                                     LabeledDataset valid) {
        if (valid == null || (s.decision().equals("argmax") && metric == DecisionRule.Metric.MACRO_F1)) {
            return null;
        }
        int[] labels = valid.labelIds();
        return (logits, evaluation) -> {
            DecisionRule rule = rule(s, train, metric, logits, labels);
            int[] predicted = rule != null ? rule.decide(logits, labels.length, train.numClasses())
                    : Metrics.argmax(logits, labels.length, train.numClasses());
            return metric.of(Metrics.confusion(labels, predicted, train.numClasses()));
        };
    }

    private static String metricWords(TrainSettings s, DecisionRule.Metric metric) {
        String name = metric == DecisionRule.Metric.MACRO_F1 ? "macro-F1" : "F1 of " + metric.name().substring(3);
        return name + (s.decision().equals("tuned") ? " with tuned decision offsets"
                : s.decision().startsWith("prior:") ? " with logit adjustment " + s.decision() : "");
    }

    private static int[] toFolds(boolean[] scored) {
        int[] folds = new int[scored.length];
        for (int r = 0; r < scored.length; r++) {
            folds[r] = scored[r] ? 1 : 0;
        }
        return folds;
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

    static DecisionRule.Metric metric(TrainSettings s, LabeledDataset train) {
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

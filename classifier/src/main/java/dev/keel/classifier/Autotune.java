package dev.keel.classifier;

import dev.keel.core.KeelRandom;
import dev.keel.text.data.LabeledDataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * fastText's autotune, aimed at the metric imbalanced text is judged by (macro-F1, or one class's
 * F1): a search over the loss and its options, the learning rate, epochs, dim, word n-grams, token
 * weighting, batch sampling, dropout, logit adjustment and the decision rule, each trial scored on
 * held-out rows (validation rows when given; otherwise out of fold with {@code cv:3}, or a held-out
 * fifth when the rarest class has at least {@value #HOLDOUT_MIN_MINORITY} rows), for a time budget.
 *
 * <p>Trial 0 is the settings as given; the next {@value #RANDOM_TRIALS} are drawn at random from the
 * space; later ones change one to three settings of the best so far. The sequence of trials is a
 * function of the seed, so a search with a trial cap ({@code maxTrials}) is deterministic; with a
 * time budget, how many of them run depends on the machine. The search stops before a trial that
 * would likely end past the budget (judged by the mean trial time so far); at least one trial runs.
 */
final class Autotune {

    static final int RANDOM_TRIALS = 8;
    static final int HOLDOUT_MIN_MINORITY = 200;

    private static final String[] LOSSES = {"ce", "weighted_ce", "weighted_ce:b=0.9", "weighted_ce:b=0.99",
        "weighted_ce:b=0.999", "focal:g=0.5", "focal:g=1", "focal:g=2", "gated:m=0.7", "gated:m=0.9"};
    private static final int[] EPOCHS = {5, 10, 15, 20, 30};
    private static final int[] DIMS = {16, 32, 64, 100};
    private static final int[] NGRAMS = {1, 2, 3};
    private static final String[][] WEIGHTS = {{"none", "mean"}, {"tfidf", "l2"}, {"tfidf", "mean"}, {"none", "l2"}};
    private static final String[] SAMPLINGS = {"natural", "sqrt", "balanced"};
    private static final double[] DROPOUTS = {0, 0.1, 0.3};
    private static final String[] DECISIONS = {"tuned", "argmax"};
    private static final double[] LOGIT_ADJUST = {0, 1};
    private static final int DIMENSIONS = 10; // the settings a trial varies, for mutations

    /**
     * One trial: the settings tried and how they scored.
     *
     * @param index   0 for the given settings
     * @param loss    the loss, as written
     * @param score   the metric on held-out rows at the best epoch, with its decision rule
     * @param scored  the scoring (best epoch, rule, held-out evaluation); null when only validation rows scored it
     * @param seconds the trial's wall time
     */
    record Trial(int index, TrainSettings settings, String loss, double score, ModelSelection.Scored scored,
                 double seconds) {

        /** The trial's settings as {@code keel train} options. */
        String options() {
            TrainSettings s = settings;
            return String.format(Locale.ROOT, "--loss %s --lr %.4g --epochs %d --dim %d --ngrams %d --token-weights %s"
                            + " --bag-norm %s --sampling %s --dropout %s --logit-adjust %s --decision %s", loss, s.lr(),
                    s.epochs(), s.dim(), s.ngrams(), s.tokenWeights(), s.bagNorm(), s.sampling(),
                    LossSpec.format(s.dropout()), LossSpec.format(s.logitAdjust()), s.decision());
        }
    }

    /** The search's outcome: the best trial, every trial in order, and how trials were scored. */
    record Result(Trial best, List<Trial> trials, String scoredOn, double seconds) {
    }

    private Autotune() {
    }

    /**
     * Searches from {@code base} (with loss {@code baseLoss}) for {@code budgetSeconds}, at most
     * {@code maxTrials} trials; {@code onTrial} hears of each as it ends.
     */
    static Result search(LabeledDataset train, LabeledDataset valid, TrainSettings base, String baseLoss,
                         double budgetSeconds, int maxTrials, Consumer<Trial> onTrial) {
        int minorityRows = train.classCounts()[Engine.minority(train.classCounts())];
        String selection = valid != null ? "none" : minorityRows >= HOLDOUT_MIN_MINORITY ? "holdout:0.2" : "cv:3";
        KeelRandom random = new KeelRandom(base.seed() ^ 0x6175746f74756e65L); // "autotune"
        long start = System.nanoTime();
        List<Trial> trials = new ArrayList<>();
        Trial best = null;
        for (int index = 0; index < maxTrials; index++) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (index > 0 && elapsed + elapsed / index > budgetSeconds) {
                break;
            }
            Choice choice = index == 0 ? Choice.of(base, baseLoss) : index <= RANDOM_TRIALS ? Choice.random(random)
                    : Choice.of(best.settings, best.loss).mutated(random);
            TrainSettings s = choice.settings(base, selection);
            long trialStart = System.nanoTime();
            Trial trial = run(index, train, valid, s, choice.loss);
            trial = new Trial(trial.index, trial.settings, trial.loss, trial.score, trial.scored,
                    (System.nanoTime() - trialStart) / 1e9);
            trials.add(trial);
            if (best == null || trial.score > best.score) {
                best = trial;
            }
            if (onTrial != null) {
                onTrial.accept(trial);
            }
        }
        return new Result(best, trials, valid != null ? "validation rows" : selection, (System.nanoTime() - start) / 1e9);
    }

    private static Trial run(int index, LabeledDataset train, LabeledDataset valid, TrainSettings s, String loss) {
        LossSpec spec = LossSpec.parse(loss);
        spec.validateFor(train.numClasses());
        DecisionRule.Metric metric = ModelSelection.metric(s, train);
        if (valid != null) {
            ModelSelection.Outcome outcome = ModelSelection.train(train, valid, spec, s, null);
            return new Trial(index, s, loss, metric.of(outcome.heldOut().confusion()), null, 0);
        }
        ModelSelection.Scored scored = ModelSelection.score(train, spec, s, null);
        return new Trial(index, s, loss, scored.score(), scored, 0);
    }

    /** The values a trial varies. */
    private record Choice(String loss, double lr, int epochs, int dim, int ngrams, String tokenWeights, String bagNorm,
                          String sampling, double dropout, String decision, double logitAdjust) {

        static Choice of(TrainSettings s, String loss) {
            return new Choice(loss, s.lr(), s.epochs(), s.dim(), s.ngrams(), s.tokenWeights(), s.bagNorm(), s.sampling(),
                    s.dropout(), s.decision().equals("argmax") ? "argmax" : "tuned", s.logitAdjust());
        }

        static Choice random(KeelRandom r) {
            String[] weights = WEIGHTS[r.nextInt(WEIGHTS.length)];
            return new Choice(LOSSES[r.nextInt(LOSSES.length)], learningRate(r), EPOCHS[r.nextInt(EPOCHS.length)],
                    DIMS[r.nextInt(DIMS.length)], NGRAMS[r.nextInt(NGRAMS.length)], weights[0], weights[1],
                    SAMPLINGS[r.nextInt(SAMPLINGS.length)], DROPOUTS[r.nextInt(DROPOUTS.length)],
                    DECISIONS[r.nextInt(DECISIONS.length)], LOGIT_ADJUST[r.nextInt(LOGIT_ADJUST.length)]);
        }

        /** Log-uniform in [0.001, 0.1]. */
        private static double learningRate(KeelRandom r) {
            return Math.exp(Math.log(0.001) + r.nextDouble() * (Math.log(0.1) - Math.log(0.001)));
        }

        /** This choice with one to three of its values drawn again. */
        Choice mutated(KeelRandom r) {
            Choice fresh = random(r);
            boolean[] change = new boolean[DIMENSIONS];
            int count = 1 + r.nextInt(3);
            for (int k = 0; k < count; k++) {
                change[r.nextInt(DIMENSIONS)] = true;
            }
            return new Choice(change[0] ? fresh.loss : loss,
                    change[1] ? Math.min(0.1, Math.max(0.001, lr * Math.exp(r.nextGaussian() * 0.7))) : lr,
                    change[2] ? fresh.epochs : epochs, change[3] ? fresh.dim : dim, change[4] ? fresh.ngrams : ngrams,
                    change[5] ? fresh.tokenWeights : tokenWeights, change[5] ? fresh.bagNorm : bagNorm,
                    change[6] ? fresh.sampling : sampling, change[7] ? fresh.dropout : dropout,
                    change[8] ? fresh.decision : decision, change[9] ? fresh.logitAdjust : logitAdjust);
        }

        /** The settings of this choice on top of {@code base}, scored with {@code selection}. */
        TrainSettings settings(TrainSettings base, String selection) {
            return new TrainSettings(epochs, dim, base.hidden(), lr, base.batch(), base.buckets(), ngrams,
                    base.weightDecay(), base.lrSchedule(), base.seed(), base.threads(), base.skipNonFinite(), tokenWeights,
                    bagNorm, selection, decision, base.decisionMetric(), dropout, sampling, 1, logitAdjust);
        }
    }
}

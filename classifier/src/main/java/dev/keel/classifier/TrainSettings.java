package dev.keel.classifier;

import java.util.List;

/**
 * Model and training options shared by {@code train} and {@code compare}.
 *
 * @param buckets     hash buckets for words and word n-grams (the embedding table's rows)
 * @param ngrams      longest word n-gram (1 = words only)
 * @param hidden      hidden layer width (0 = none: the embedding bag feeds the output layer)
 * @param weightDecay decoupled weight decay (AdamW style), 0 for none
 * @param lrSchedule  {@code linear}: the learning rate falls linearly to 0 over the run (fastText's
 *                    schedule); {@code constant}: it stays at {@code lr}
 * @param threads     worker threads of a training step (data-parallel; any count gives the same
 *                    model bits, see {@code dev.keel.nn.WorkerPool})
 * @param skipNonFinite a batch with a non-finite logit, loss or gradient is skipped and counted
 *                    instead of stopping training (see {@link NonFiniteGuard})
 * @param tokenWeights {@code none}: every id of a text counts the same; {@code tfidf}: each counts its
 *                    inverse document frequency over the training texts ({@code dev.keel.text.TokenWeighting})
 * @param bagNorm     how a text's weights are scaled: {@code mean} (they sum to 1), {@code l2} (the
 *                    vector of per-id totals has length 1, scikit-learn's TF-IDF), {@code sum} (not at all)
 * @param selection   how the epoch is chosen: {@code none} (validation rows if any, else the last epoch),
 *                    {@code holdout:F} or {@code cv:K} (see {@link ModelSelection})
 * @param decision    how logits become a class: {@code argmax}, {@code tuned} (offsets tuned on held-out
 *                    rows for {@code decisionMetric}) or {@code prior:TAU} (logit adjustment, post hoc)
 * @param decisionMetric what selection and tuning maximise: {@code macro_f1} or {@code f1:LABEL}
 * @param dropout     dropout probability on a text's vector in training, in [0, 0.9]
 * @param sampling    how a batch's rows are drawn: {@code natural} (a shuffle of all rows), {@code balanced}
 *                    (each row's class uniform over the classes, rare classes oversampled) or {@code sqrt}
 *                    (class probability proportional to the square root of its rows); seeded
 * @param reweightFrom deferred re-weighting (Cao et al. 2019): the loss's class weights apply from this
 *                    epoch on, the epochs before train without them; 1 = from the start
 * @param logitAdjust logit adjustment's loss form (Menon et al. 2020): train on {@code z + tau log prior};
 *                    0 for none, 1 is balanced softmax
 */
public record TrainSettings(int epochs, int dim, int hidden, double lr, int batch, int buckets, int ngrams,
                            double weightDecay, String lrSchedule, long seed, int threads, boolean skipNonFinite,
                            String tokenWeights, String bagNorm, String selection, String decision,
                            String decisionMetric, double dropout, String sampling, int reweightFrom,
                            double logitAdjust) {

    public static final String LINEAR = "linear";
    public static final String CONSTANT = "constant";
    public static final List<String> TOKEN_WEIGHTS = List.of("none", "tfidf");
    public static final List<String> BAG_NORMS = List.of("mean", "l2", "sum");
    public static final String DEFAULT_SELECTION = "none";
    public static final String DEFAULT_DECISION = "argmax";
    public static final String DEFAULT_DECISION_METRIC = "macro_f1";
    public static final List<String> SAMPLINGS = List.of("natural", "balanced", "sqrt");

    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_DIM = 64;
    public static final double DEFAULT_LR = 0.003;
    public static final int DEFAULT_BATCH = 64;
    public static final int DEFAULT_BUCKETS = 1 << 18;
    public static final int DEFAULT_NGRAMS = 2;

    public TrainSettings {
        check(epochs >= 1, "{epochs} must be at least 1, got " + epochs);
        check(dim >= 1 && dim <= 4096, "{dim} must be in [1, 4096], got " + dim);
        check(hidden >= 0 && hidden <= 4096, "{hidden} must be in [0, 4096], got " + hidden);
        check(lr > 0 && lr <= 10, "{lr} must be in (0, 10], got " + lr);
        check(batch >= 1 && batch <= 65536, "{batch} must be in [1, 65536], got " + batch);
        check(buckets >= 1 && (long) buckets * dim <= Integer.MAX_VALUE - 8,
                "{buckets} must be at least 1 and buckets * dim below 2^31, got " + buckets + " x " + dim);
        check(ngrams >= 1 && ngrams <= 5, "{ngrams} must be in [1, 5], got " + ngrams);
        check(weightDecay >= 0 && weightDecay < 1, "{weightDecay} must be in [0, 1), got " + weightDecay);
        // AdamW multiplies the weights by 1 - lr * decay each step: at or past 1 they flip sign.
        check(lr * weightDecay < 1, "{lr} times {weightDecay} must be below 1, got " + lr + " x " + weightDecay);
        check(LINEAR.equals(lrSchedule) || CONSTANT.equals(lrSchedule),
                "{lrSchedule} must be linear or constant, got " + lrSchedule);
        check(threads >= 1 && threads <= 256, "{threads} must be in [1, 256], got " + threads);
        check(TOKEN_WEIGHTS.contains(tokenWeights), "{tokenWeights} must be one of " + TOKEN_WEIGHTS + ", got "
                + tokenWeights);
        check(BAG_NORMS.contains(bagNorm), "{bagNorm} must be one of " + BAG_NORMS + ", got " + bagNorm);
        check(validSelection(selection), "{selection} must be none, holdout:F with 0 < F < 1, or cv:K with 2 <= K <= 20,"
                + " got " + selection);
        check(decision != null && (decision.equals("argmax") || decision.equals("tuned") || validPrior(decision)),
                "{decision} must be argmax, tuned or prior:TAU with 0 < TAU <= 10, got " + decision);
        check(decisionMetric != null && (decisionMetric.equals("macro_f1") || decisionMetric.startsWith("f1:")
                && decisionMetric.length() > 3), "{decisionMetric} must be macro_f1 or f1:LABEL, got " + decisionMetric);
        check(dropout >= 0 && dropout <= 0.9, "{dropout} must be in [0, 0.9], got " + dropout);
        check(SAMPLINGS.contains(sampling), "{sampling} must be one of " + SAMPLINGS + ", got " + sampling);
        check(reweightFrom >= 1 && reweightFrom <= epochs + 1, "{reweightFrom} must be in [1, {epochs} + 1] = [1, "
                + (epochs + 1) + "], got " + reweightFrom);
        check(logitAdjust >= 0 && logitAdjust <= 10, "{logitAdjust} must be in [0, 10], got " + logitAdjust);
    }

    private static boolean validSelection(String selection) {
        if (selection == null) {
            return false;
        }
        try {
            if (selection.startsWith("holdout:")) {
                double f = Double.parseDouble(selection.substring("holdout:".length()));
                return f > 0 && f < 1;
            }
            if (selection.startsWith("cv:")) {
                int k = Integer.parseInt(selection.substring(3));
                return k >= 2 && k <= 20;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return selection.equals("none");
    }

    private static boolean validPrior(String decision) {
        if (!decision.startsWith("prior:")) {
            return false;
        }
        try {
            double tau = Double.parseDouble(decision.substring("prior:".length()));
            return tau > 0 && tau <= 10;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Settings that stop training at the first non-finite value, with unweighted bags (each the mean of its rows). */
    public TrainSettings(int epochs, int dim, int hidden, double lr, int batch, int buckets, int ngrams,
                         double weightDecay, String lrSchedule, long seed, int threads) {
        this(epochs, dim, hidden, lr, batch, buckets, ngrams, weightDecay, lrSchedule, seed, threads, false, "none",
                "mean", "none", "argmax", "macro_f1", 0, "natural", 1, 0);
    }

    public TrainSettings withSeed(long newSeed) {
        return new TrainSettings(epochs, dim, hidden, lr, batch, buckets, ngrams, weightDecay, lrSchedule, newSeed,
                threads, skipNonFinite, tokenWeights, bagNorm, selection, decision, decisionMetric, dropout, sampling,
                reweightFrom, logitAdjust);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new InvalidSettingException(message);
        }
    }
}

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
 */
public record TrainSettings(int epochs, int dim, int hidden, double lr, int batch, int buckets, int ngrams,
                            double weightDecay, String lrSchedule, long seed, int threads, boolean skipNonFinite,
                            String tokenWeights, String bagNorm) {

    public static final String LINEAR = "linear";
    public static final String CONSTANT = "constant";
    public static final List<String> TOKEN_WEIGHTS = List.of("none", "tfidf");
    public static final List<String> BAG_NORMS = List.of("mean", "l2", "sum");

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
    }

    /** Settings that stop training at the first non-finite value, with unweighted bags (each the mean of its rows). */
    public TrainSettings(int epochs, int dim, int hidden, double lr, int batch, int buckets, int ngrams,
                         double weightDecay, String lrSchedule, long seed, int threads) {
        this(epochs, dim, hidden, lr, batch, buckets, ngrams, weightDecay, lrSchedule, seed, threads, false, "none",
                "mean");
    }

    public TrainSettings withSeed(long newSeed) {
        return new TrainSettings(epochs, dim, hidden, lr, batch, buckets, ngrams, weightDecay, lrSchedule, newSeed,
                threads, skipNonFinite, tokenWeights, bagNorm);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new InvalidSettingException(message);
        }
    }
}

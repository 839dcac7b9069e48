package dev.keel.text;

import dev.keel.core.IdBags;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-id weights for an embedding bag (PyTorch's {@code per_sample_weights}): how much each id of a
 * text counts in the text's vector. An id's base weight is 1, or with TF-IDF its inverse document
 * frequency {@code idf = ln((1 + N) / (1 + df)) + 1} (scikit-learn's smoothed form: {@code N} training
 * texts, {@code df} of them holding the id); each of its occurrences counts, so a word twice in a
 * text weighs {@code 2 idf} in all. The weights of a text are then normalised ({@link Norm}).
 *
 * <p>With TF-IDF and {@link Norm#L2}, a bag of one-hot rows is exactly scikit-learn's
 * {@code TfidfVectorizer} row (with ids for words and hashed n-grams): a linear model over TF-IDF
 * features is one configuration of keel's classifier (no hidden layer). {@link #none()} (uniform
 * weights, {@link Norm#MEAN}) is the plain mean of the rows, and gives no weights at all: bags stay
 * unweighted, exactly as before weights existed. Immutable.
 */
public final class TokenWeighting {

    /** The base weight of an id. */
    public enum Scheme {
        /** 1 for every id. */
        UNIFORM,
        /** The id's inverse document frequency over the training texts. */
        TFIDF;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a text's weights are scaled. */
    public enum Norm {
        /** Divided by their sum: the bag is a weighted mean of its rows. */
        MEAN,
        /** Divided by the Euclidean norm of the text's vector of per-id totals ({@code tf * idf}). */
        L2,
        /** Not scaled: a weighted sum (long texts make long vectors). */
        SUM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Scheme scheme;
    private final Norm norm;
    private final int documents;
    private final int[] documentFrequency; // per id; null for UNIFORM
    private final float[] idf;             // per id; null for UNIFORM

    private TokenWeighting(Scheme scheme, Norm norm, int documents, int[] documentFrequency) {
        this.scheme = scheme;
        this.norm = norm;
        this.documents = documents;
        this.documentFrequency = documentFrequency;
        if (documentFrequency != null) {
            idf = new float[documentFrequency.length];
            for (int id = 0; id < idf.length; id++) {
                idf[id] = (float) (Math.log((1.0 + documents) / (1.0 + documentFrequency[id])) + 1);
            }
        } else {
            idf = null;
        }
    }

    /** The mean of the rows: no weights. */
    public static TokenWeighting none() {
        return new TokenWeighting(Scheme.UNIFORM, Norm.MEAN, 0, null);
    }

    /** Uniform base weights with another normalisation ({@link Norm#MEAN} is {@link #none()}). */
    public static TokenWeighting uniform(Norm norm) {
        return new TokenWeighting(Scheme.UNIFORM, norm, 0, null);
    }

    /**
     * TF-IDF fitted on the training texts' bags: each id's document frequency, over
     * {@code dimension} ids.
     */
    public static TokenWeighting tfidf(IdBags trainBags, int dimension, Norm norm) {
        int[] df = new int[dimension];
        int[] seen = new int[dimension]; // the last bag (+ 1) that counted the id
        int[] ids = trainBags.ids();
        for (int b = 0; b < trainBags.size(); b++) {
            for (int j = trainBags.offsets()[b]; j < trainBags.offsets()[b + 1]; j++) {
                int id = ids[j];
                if (seen[id] != b + 1) {
                    seen[id] = b + 1;
                    df[id]++;
                }
            }
        }
        return new TokenWeighting(Scheme.TFIDF, norm, trainBags.size(), df);
    }

    /**
     * TF-IDF from stored document frequencies (a model folder's), checked: {@code documents >= 1},
     * each frequency in {@code [0, documents]}.
     */
    public static TokenWeighting tfidf(int documents, int[] documentFrequency, Norm norm) {
        if (documents < 1) {
            throw new IllegalArgumentException("TF-IDF needs at least one training text, got " + documents);
        }
        for (int id = 0; id < documentFrequency.length; id++) {
            if (documentFrequency[id] < 0 || documentFrequency[id] > documents) {
                throw new IllegalArgumentException("document frequency " + documentFrequency[id] + " of id " + id
                        + " is outside [0, " + documents + "]");
            }
        }
        return new TokenWeighting(Scheme.TFIDF, norm, documents, documentFrequency.clone());
    }

    public Scheme scheme() {
        return scheme;
    }

    public Norm norm() {
        return norm;
    }

    /** Whether bags get weights at all (everything but {@link #none()}). */
    public boolean weighs() {
        return scheme != Scheme.UNIFORM || norm != Norm.MEAN;
    }

    /** TF-IDF's training texts ({@code N}); 0 without TF-IDF. */
    public int documents() {
        return documents;
    }

    /** The ids TF-IDF's document frequencies cover, or -1 without TF-IDF. */
    public int idCount() {
        return documentFrequency == null ? -1 : documentFrequency.length;
    }

    /** TF-IDF's document frequency of each id (a copy), or null without TF-IDF. */
    public int[] documentFrequencies() {
        return documentFrequency == null ? null : documentFrequency.clone();
    }

    /** The base weight of {@code id}: its idf, or 1. */
    public float base(int id) {
        return idf != null ? idf[id] : 1f;
    }

    /** {@code bags} with their weights, or {@code bags} itself when this weighs nothing. */
    public IdBags apply(IdBags bags) {
        if (!weighs()) {
            return bags;
        }
        float[] weights = new float[bags.idCount()];
        int[] scratch = new int[0];
        for (int b = 0; b < bags.size(); b++) {
            int from = bags.offsets()[b], to = bags.offsets()[b + 1];
            if (norm == Norm.L2 && scratch.length < to - from) {
                scratch = new int[Math.max(to - from, 2 * scratch.length)];
            }
            weigh(bags.ids(), from, to, weights, scratch);
        }
        return new IdBags(bags.ids(), bags.offsets(), weights, bags.size(), bags.tokens());
    }

    /** The weights of the ids {@code [from, to)} into {@code out[from, to)}; {@code scratch} holds {@code to - from} ints (L2). */
    private void weigh(int[] ids, int from, int to, float[] out, int[] scratch) {
        double total = 0;
        for (int j = from; j < to; j++) {
            out[j] = base(ids[j]);
            total += out[j];
        }
        double scale;
        switch (norm) {
            case MEAN -> scale = total > 0 ? 1 / total : 1;
            case L2 -> {
                // the norm of the per-id totals: repeated ids add up before squaring
                int n = to - from;
                System.arraycopy(ids, from, scratch, 0, n);
                Arrays.sort(scratch, 0, n);
                double squares = 0;
                for (int k = 0; k < n; ) {
                    int id = scratch[k];
                    int run = 0;
                    while (k < n && scratch[k] == id) {
                        run++;
                        k++;
                    }
                    double t = (double) run * base(id);
                    squares += t * t;
                }
                scale = squares > 0 ? 1 / Math.sqrt(squares) : 1;
            }
            default -> scale = 1;
        }
        for (int j = from; j < to; j++) {
            out[j] = (float) (out[j] * scale);
        }
    }

    /** E.g. {@code "tfidf, l2 (4000 texts)"}. */
    @Override
    public String toString() {
        return scheme.label() + ", " + norm.label() + (scheme == Scheme.TFIDF ? " (" + documents + " texts)" : "");
    }
}

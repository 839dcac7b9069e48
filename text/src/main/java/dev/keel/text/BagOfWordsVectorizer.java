package dev.keel.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sparse bag-of-words vectors: term counts, binary presence or TF-IDF, fitted on training texts
 * only and then applied unchanged to any text.
 *
 * <p>Terms are the tokens and, up to {@link Options#maxNgram}, word n-grams joined by one space.
 * {@link #fit} builds a {@link Vocabulary} of the training terms ({@code minCount},
 * {@code maxFeatures}, deterministic order) and, for TF-IDF, each term's document frequency; feature
 * {@code j} is vocabulary id {@code j + 1} (id 0, {@code <unk>}, is not a feature: terms never seen in
 * training are ignored).
 *
 * <p>Weights for a term seen {@code c > 0} times in a text:
 * <ul>
 *   <li>{@code tf = c}, or {@code 1 + ln c} with {@link Options#sublinearTf} (for COUNT and TF_IDF);</li>
 *   <li>COUNT: {@code tf}; BINARY: 1; TF_IDF: {@code tf * idf} with the smoothed
 *       {@code idf = ln((1 + N) / (1 + df)) + 1} over the {@code N} training texts;</li>
 *   <li>then, with {@link Options#l2Normalize}, the vector is divided by its Euclidean norm
 *       (a vector with no known term stays empty).</li>
 * </ul>
 * Not thread-safe ({@link #transform} reuses buffers): one vectorizer per thread.
 */
public final class BagOfWordsVectorizer {

    public enum Weighting { COUNT, BINARY, TF_IDF }

    /**
     * Vectorizer settings.
     *
     * @param weighting how counts become values
     * @param sublinearTf use {@code 1 + ln(count)} instead of the count
     * @param l2Normalize scale each vector to unit Euclidean norm
     * @param maxNgram longest word n-gram used as a term (1 = words only)
     * @param minCount keep terms seen at least this often in the training texts
     * @param maxFeatures keep at most this many terms (the most frequent)
     */
    public record Options(Weighting weighting, boolean sublinearTf, boolean l2Normalize, int maxNgram,
                          int minCount, int maxFeatures) {

        public Options {
            if (weighting == null) {
                throw new IllegalArgumentException("weighting must not be null");
            }
            if (maxNgram < 1) {
                throw new IllegalArgumentException("maxNgram must be at least 1, got " + maxNgram);
            }
            if (minCount < 1) {
                throw new IllegalArgumentException("minCount must be at least 1, got " + minCount);
            }
            if (maxFeatures < 1) {
                throw new IllegalArgumentException("maxFeatures must be at least 1, got " + maxFeatures);
            }
        }

        /** TF-IDF with sublinear tf and L2 normalization, words only, every term kept. */
        public static Options tfIdf() {
            return new Options(Weighting.TF_IDF, true, true, 1, 1, Integer.MAX_VALUE);
        }

        /** Raw counts, words only, every term kept. */
        public static Options counts() {
            return new Options(Weighting.COUNT, false, false, 1, 1, Integer.MAX_VALUE);
        }

        /** 0/1 presence, words only, every term kept. */
        public static Options binary() {
            return new Options(Weighting.BINARY, false, false, 1, 1, Integer.MAX_VALUE);
        }

        public Options withSublinearTf(boolean on) {
            return new Options(weighting, on, l2Normalize, maxNgram, minCount, maxFeatures);
        }

        public Options withL2Normalize(boolean on) {
            return new Options(weighting, sublinearTf, on, maxNgram, minCount, maxFeatures);
        }

        public Options withMaxNgram(int n) {
            return new Options(weighting, sublinearTf, l2Normalize, n, minCount, maxFeatures);
        }

        public Options withMinCount(int count) {
            return new Options(weighting, sublinearTf, l2Normalize, maxNgram, count, maxFeatures);
        }

        public Options withMaxFeatures(int count) {
            return new Options(weighting, sublinearTf, l2Normalize, maxNgram, minCount, count);
        }
    }

    private final Tokenizer tokenizer;
    private final Options options;
    private final Vocabulary terms;
    private final int[] documentFrequency;
    private final float[] idf;
    private final int trainingDocuments;

    private final TokenBuffer tokens = new TokenBuffer();
    private final Joiner joiner = new Joiner();
    private final int[] countOf;
    private final IntList touched = new IntList(64);

    private BagOfWordsVectorizer(Tokenizer tokenizer, Options options, Vocabulary terms, int[] documentFrequency,
                                 int trainingDocuments) {
        this.tokenizer = tokenizer;
        this.options = options;
        this.terms = terms;
        this.documentFrequency = documentFrequency;
        this.trainingDocuments = trainingDocuments;
        this.countOf = new int[terms.size() - 1];
        this.idf = new float[countOf.length];
        for (int j = 0; j < idf.length; j++) {
            idf[j] = (float) (Math.log((1.0 + trainingDocuments) / (1.0 + documentFrequency[j])) + 1.0);
        }
    }

    /** Fits the terms (and document frequencies) on {@code trainingTexts}. */
    public static BagOfWordsVectorizer fit(List<? extends CharSequence> trainingTexts, Tokenizer tokenizer,
                                           Options options) {
        Vocabulary.Builder builder = Vocabulary.builder();
        TokenBuffer tk = new TokenBuffer();
        Joiner joiner = new Joiner();
        // per builder entry: in how many texts it occurs, and the last text (1-based) that counted it
        int[] entryDf = new int[1024];
        int[] lastText = new int[1024];
        int textNumber = 0;
        for (CharSequence text : trainingTexts) {
            textNumber++;
            tokenizer.tokenize(text, tk);
            for (int n = 1; n <= options.maxNgram; n++) {
                for (int i = 0; i + n <= tk.size(); i++) {
                    int e;
                    if (n == 1) {
                        e = builder.addAndGetEntry(tk.chars(), tk.start(i), tk.length(i));
                    } else {
                        int len = joiner.join(tk, i, n);
                        e = builder.addAndGetEntry(joiner.chars, 0, len);
                    }
                    if (e >= entryDf.length) {
                        entryDf = Arrays.copyOf(entryDf, 2 * e);
                        lastText = Arrays.copyOf(lastText, 2 * e);
                    }
                    if (lastText[e] != textNumber) {
                        lastText[e] = textNumber;
                        entryDf[e]++;
                    }
                }
            }
        }
        Vocabulary terms = builder.build(options.minCount, options.maxFeatures);
        int[] df = new int[terms.size() - 1];
        for (int j = 0; j < df.length; j++) {
            df[j] = entryDf[builder.entryOf(terms.token(j + 1))];
        }
        return new BagOfWordsVectorizer(tokenizer, options, terms, df, trainingTexts.size());
    }

    public Options options() {
        return options;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The number of features. */
    public int dimension() {
        return countOf.length;
    }

    /** The term of feature {@code index}. */
    public String feature(int index) {
        checkIndex(index);
        return terms.token(index + 1);
    }

    /** The feature index of {@code term}, or -1. */
    public int indexOf(CharSequence term) {
        int id = terms.lookup(term);
        return id <= 0 ? -1 : id - 1;
    }

    /** The terms and their training counts (id {@code j + 1} is feature {@code j}). */
    public Vocabulary terms() {
        return terms;
    }

    /** In how many training texts feature {@code index} occurs. */
    public int documentFrequency(int index) {
        checkIndex(index);
        return documentFrequency[index];
    }

    /** The smoothed inverse document frequency of feature {@code index}. */
    public float idf(int index) {
        checkIndex(index);
        return idf[index];
    }

    /** The number of training texts. */
    public int trainingDocuments() {
        return trainingDocuments;
    }

    /** The vector of {@code text}. */
    public SparseVector transform(CharSequence text) {
        countTerms(text);
        int nnz = touched.size();
        int[] indices = new int[nnz];
        for (int k = 0; k < nnz; k++) {
            indices[k] = touched.get(k);
        }
        Arrays.sort(indices);
        float[] values = new float[nnz];
        double squares = 0;
        for (int k = 0; k < nnz; k++) {
            int j = indices[k];
            int c = countOf[j];
            countOf[j] = 0;
            double tf = options.weighting == Weighting.BINARY ? 1.0 : options.sublinearTf ? 1.0 + Math.log(c) : c;
            double v = options.weighting == Weighting.TF_IDF ? tf * idf[j] : tf;
            values[k] = (float) v;
            squares += v * v;
        }
        if (options.l2Normalize && squares > 0) {
            double scale = 1.0 / Math.sqrt(squares);
            for (int k = 0; k < nnz; k++) {
                values[k] = (float) (values[k] * scale);
            }
        }
        return new SparseVector(dimension(), indices, values);
    }

    /** The vectors of {@code texts}, in order. */
    public List<SparseVector> transformAll(List<? extends CharSequence> texts) {
        List<SparseVector> vectors = new ArrayList<>(texts.size());
        for (CharSequence text : texts) {
            vectors.add(transform(text));
        }
        return vectors;
    }

    /** Counts the known terms of {@code text} into {@link #countOf}, listing them in {@link #touched}. */
    private void countTerms(CharSequence text) {
        touched.clear();
        tokenizer.tokenize(text, tokens);
        for (int n = 1; n <= options.maxNgram; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                int id;
                if (n == 1) {
                    id = terms.lookup(tokens, i);
                } else {
                    int len = joiner.join(tokens, i, n);
                    id = terms.lookup(joiner.chars, 0, len);
                }
                if (id > 0) {
                    if (countOf[id - 1]++ == 0) {
                        touched.add(id - 1);
                    }
                }
            }
        }
    }

    /** Joins n-grams of tokens with single spaces into a reused buffer. */
    private static final class Joiner {

        char[] chars = new char[64];

        /** Writes tokens {@code i .. i + n - 1} of {@code tk}, space-separated, into {@link #chars}. */
        int join(TokenBuffer tk, int i, int n) {
            int len = n - 1;
            for (int k = i; k < i + n; k++) {
                len += tk.length(k);
            }
            if (chars.length < len) {
                chars = new char[Math.max(len, chars.length * 2)];
            }
            int at = 0;
            for (int k = i; k < i + n; k++) {
                if (k > i) {
                    chars[at++] = ' ';
                }
                System.arraycopy(tk.chars(), tk.start(k), chars, at, tk.length(k));
                at += tk.length(k);
            }
            return len;
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= countOf.length) {
            throw new IndexOutOfBoundsException("feature " + index + " of " + countOf.length);
        }
    }
}

package dev.keel.text;

import dev.keel.core.IdBags;

import java.util.Arrays;
import java.util.List;

/**
 * Turns texts into id bags for an embedding bag, fastText style: the ids of the words, plus hashed
 * ids of word n-grams and (optionally) character n-grams, so n-grams never seen in training still
 * land on a trained row.
 *
 * <p>Id layout, {@link #dimension()} ids in all: {@code [0, V)} are the vocabulary's words
 * ({@code V = vocabulary.size()}, {@code 0 = <unk>}); when the options use hashing,
 * {@code [V, V + buckets)} are the buckets: a string {@code s} maps to
 * {@code V + Fnv1a32.bucket(Fnv1a32.hash(s), buckets)}. A word n-gram is hashed as its tokens joined
 * by one space ({@code "not good"}); a character n-gram as the code points of {@code "<" + word + ">"}
 * it covers ({@code "<go"}), 1-grams {@code "<"} and {@code ">"} excluded, as in fastText.
 *
 * <p>Unknown words ({@link UnknownWords}): {@code UNK} maps them to id 0, {@code DROP} leaves them
 * out (fastText's choice), {@code HASH} hashes the word itself into the buckets. In every mode they
 * still take part in word and character n-grams. A text that yields no id at all (empty, only
 * punctuation, or only dropped words) gets the single id 0, so every bag is non-empty.
 *
 * <p>Order within a bag: for each token its word id, then its character n-grams (shortest first
 * from each start); then all word bigrams in text order, then trigrams, and so on.
 *
 * <p>Not thread-safe (it reuses buffers across calls): one featurizer per thread.
 */
public final class TokenIdFeaturizer {

    /** What happens to words outside the vocabulary. */
    public enum UnknownWords { UNK, DROP, HASH }

    /**
     * Featurizer settings.
     *
     * @param wordNgrams longest word n-gram (1 = words only, 2 = words and bigrams, ...), like
     *     fastText's {@code -wordNgrams}
     * @param charNgramMin shortest character n-gram, or 0 (with {@code charNgramMax} 0) for none
     * @param charNgramMax longest character n-gram, or 0 for none
     * @param buckets number of hash buckets (used only when hashing is on)
     * @param unknownWords what unknown words become
     */
    public record Options(int wordNgrams, int charNgramMin, int charNgramMax, int buckets, UnknownWords unknownWords) {

        /** 262,144 buckets (2^18). */
        public static final int DEFAULT_BUCKETS = 1 << 18;

        public Options {
            if (wordNgrams < 1) {
                throw new IllegalArgumentException("wordNgrams must be at least 1, got " + wordNgrams);
            }
            boolean noCharNgrams = charNgramMin == 0 && charNgramMax == 0;
            if (!noCharNgrams && (charNgramMin < 1 || charNgramMax < charNgramMin)) {
                throw new IllegalArgumentException("character n-grams need 1 <= min <= max (or both 0), got min "
                        + charNgramMin + ", max " + charNgramMax);
            }
            if (buckets < 1) {
                throw new IllegalArgumentException("buckets must be positive, got " + buckets);
            }
            if (unknownWords == null) {
                throw new IllegalArgumentException("unknownWords must not be null");
            }
        }

        /** Words and word bigrams, no character n-grams, 2^18 buckets, unknown words as {@code <unk>}. */
        public static Options defaults() {
            return new Options(2, 0, 0, DEFAULT_BUCKETS, UnknownWords.UNK);
        }

        public Options withWordNgrams(int n) {
            return new Options(n, charNgramMin, charNgramMax, buckets, unknownWords);
        }

        public Options withCharNgrams(int min, int max) {
            return new Options(wordNgrams, min, max, buckets, unknownWords);
        }

        public Options withBuckets(int count) {
            return new Options(wordNgrams, charNgramMin, charNgramMax, count, unknownWords);
        }

        public Options withUnknownWords(UnknownWords mode) {
            return new Options(wordNgrams, charNgramMin, charNgramMax, buckets, mode);
        }

        /** Whether any id comes from hashing (and so the buckets exist). */
        public boolean usesBuckets() {
            return wordNgrams > 1 || charNgramMax > 0 || unknownWords == UnknownWords.HASH;
        }
    }

    private final Tokenizer tokenizer;
    private final Vocabulary vocabulary;
    private final Options options;
    private final TokenWeighting weighting;
    private final int vocabularySize;

    private final TokenBuffer tokens = new TokenBuffer();
    private final IntList ids = new IntList(256);
    private int[] tokenHashes = new int[64];
    private int[] codePoints = new int[64];

    /** A featurizer whose bags are unweighted (each the mean of its rows). */
    public TokenIdFeaturizer(Tokenizer tokenizer, Vocabulary vocabulary, Options options) {
        this(tokenizer, vocabulary, options, TokenWeighting.none());
    }

    /** A featurizer whose {@link #bags} carry {@code weighting}'s per-id weights. */
    public TokenIdFeaturizer(Tokenizer tokenizer, Vocabulary vocabulary, Options options, TokenWeighting weighting) {
        if (tokenizer == null || vocabulary == null || options == null || weighting == null) {
            throw new IllegalArgumentException("tokenizer, vocabulary, options and weighting must not be null");
        }
        if ((long) vocabulary.size() + (options.usesBuckets() ? options.buckets() : 0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("vocabulary size " + vocabulary.size() + " plus " + options.buckets()
                    + " buckets exceeds the int range");
        }
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.options = options;
        this.weighting = weighting;
        this.vocabularySize = vocabulary.size();
        if (weighting.idCount() >= 0 && weighting.idCount() != dimension()) {
            throw new IllegalArgumentException("the weighting has document frequencies for " + weighting.idCount()
                    + " ids, but the features have " + dimension());
        }
    }

    /** The same features with other weights (e.g. TF-IDF fitted on this featurizer's training bags). */
    public TokenIdFeaturizer withWeighting(TokenWeighting newWeighting) {
        return new TokenIdFeaturizer(tokenizer, vocabulary, options, newWeighting);
    }

    /** A featurizer of its own for another thread: the same immutable tokenizer, vocabulary and weighting. */
    public TokenIdFeaturizer copy() {
        return withWeighting(weighting);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public Options options() {
        return options;
    }

    /** How {@link #bags} weighs each id. */
    public TokenWeighting weighting() {
        return weighting;
    }

    /** The number of distinct ids: the rows an embedding table needs. */
    public int dimension() {
        return vocabularySize + (options.usesBuckets() ? options.buckets() : 0);
    }

    /** The bucket id of the string {@code s} (a joined word n-gram, a character n-gram). */
    public int bucketId(CharSequence s) {
        return vocabularySize + Fnv1a32.bucket(Fnv1a32.hash(s), options.buckets());
    }

    /** The ids of one text. */
    public int[] ids(CharSequence text) {
        tokenizer.tokenize(text, tokens);
        return ids(tokens);
    }

    /** The ids of already tokenized text. */
    public int[] ids(TokenBuffer tokenized) {
        collect(tokenized);
        return ids.toArray();
    }

    /**
     * The id bags of the texts, in one tokenization pass: every text's ids back to back, its bag's
     * bounds, how many word tokens the texts had (for tokens per second), and the ids' weights when
     * this featurizer's {@link TokenWeighting} gives any.
     */
    public IdBags bags(List<? extends CharSequence> texts) {
        int[] offsets = new int[texts.size() + 1];
        int[] all = new int[Math.max(16, texts.size() * 64)];
        int at = 0;
        long wordTokens = 0;
        for (int t = 0; t < texts.size(); t++) {
            tokenizer.tokenize(texts.get(t), tokens);
            wordTokens += tokens.size();
            collect(tokens);
            if ((long) at + ids.size() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("the texts give more than 2^31 ids (at text " + t + "); featurize them in parts");
            }
            if (at + ids.size() > all.length) {
                all = Arrays.copyOf(all, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * all.length, at + ids.size())));
            }
            for (int k = 0; k < ids.size(); k++) {
                all[at++] = ids.get(k);
            }
            offsets[t + 1] = at;
        }
        return weighting.apply(new IdBags(Arrays.copyOf(all, at), offsets, texts.size(), wordTokens));
    }

    /** Fills {@link #ids} with the ids of {@code tk}. */
    private void collect(TokenBuffer tk) {
        ids.clear();
        int n = tk.size();
        boolean hashing = options.usesBuckets();
        int buckets = options.buckets();
        if (tokenHashes.length < n) {
            tokenHashes = new int[Math.max(n, tokenHashes.length * 2)];
        }
        char[] chars = tk.chars();
        for (int i = 0; i < n; i++) {
            int start = tk.start(i);
            int length = tk.length(i);
            if (hashing) {
                tokenHashes[i] = Fnv1a32.update(Fnv1a32.OFFSET_BASIS, chars, start, length);
            }
            int id = vocabulary.lookup(chars, start, length);
            if (id >= 0) {
                ids.add(id);
            } else if (options.unknownWords() == UnknownWords.UNK) {
                ids.add(Vocabulary.UNK_ID);
            } else if (options.unknownWords() == UnknownWords.HASH) {
                ids.add(vocabularySize + Fnv1a32.bucket(tokenHashes[i], buckets));
            }
            if (options.charNgramMax() > 0) {
                addCharNgrams(chars, start, length);
            }
        }
        for (int len = 2; len <= options.wordNgrams(); len++) {
            for (int i = 0; i + len <= n; i++) {
                int h = tokenHashes[i];
                for (int k = i + 1; k < i + len; k++) {
                    h = Fnv1a32.update(h, ' ');
                    h = Fnv1a32.update(h, chars, tk.start(k), tk.length(k));
                }
                ids.add(vocabularySize + Fnv1a32.bucket(h, buckets));
            }
        }
        if (ids.size() == 0) {
            ids.add(Vocabulary.UNK_ID);
        }
    }

    /** Adds the hashed character n-grams of {@code "<" + token + ">"}. */
    private void addCharNgrams(char[] chars, int start, int length) {
        if (codePoints.length < length + 2) {
            codePoints = new int[Math.max(length + 2, codePoints.length * 2)];
        }
        int m = 0;
        codePoints[m++] = '<';
        for (int i = start, end = start + length; i < end; ) {
            int cp = Character.codePointAt(chars, i, end);
            // a lone surrogate hashes as '?', as in Fnv1a32.hash(String)
            codePoints[m++] = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE ? '?' : cp;
            i += Character.charCount(cp);
        }
        codePoints[m++] = '>';
        int min = options.charNgramMin();
        int max = options.charNgramMax();
        int buckets = options.buckets();
        for (int from = 0; from < m; from++) {
            int h = Fnv1a32.OFFSET_BASIS;
            for (int to = from; to < m && to - from < max; to++) {
                h = Fnv1a32.updateCodePoint(h, codePoints[to]);
                int len = to - from + 1;
                boolean bracketAlone = len == 1 && (from == 0 || from == m - 1);
                if (len >= min && !bracketAlone) {
                    ids.add(vocabularySize + Fnv1a32.bucket(h, buckets));
                }
            }
        }
    }
}

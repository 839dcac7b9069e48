package dev.keel.examples.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Interim featurizer (replaced by the {@code text} module's tokenizer and n-gram hashing): lower-cased
 * words (runs of letters and digits; each CJK ideograph is a word of its own) and word n-grams up to
 * {@code maxN}, all hashed into {@code buckets} feature ids.
 */
public final class HashedNgramFeaturizer {

    private final int buckets;
    private final int maxN;

    public HashedNgramFeaturizer(int buckets, int maxN) {
        if (buckets < 1 || maxN < 1) {
            throw new IllegalArgumentException("buckets and maxN must be positive, got " + buckets + ", " + maxN);
        }
        this.buckets = buckets;
        this.maxN = maxN;
    }

    private static final java.util.regex.Pattern HTML_TAG = java.util.regex.Pattern.compile("</?[a-zA-Z][^<>]{0,200}>");

    public int buckets() {
        return buckets;
    }

    public int maxN() {
        return maxN;
    }

    public FeatureBags bags(List<String> texts) {
        int[] offsets = new int[texts.size() + 1];
        int[] ids = new int[1024];
        int n = 0;
        long tokens = 0;
        List<String> words = new ArrayList<>();
        for (int r = 0; r < texts.size(); r++) {
            words.clear();
            tokenize(texts.get(r), words);
            tokens += words.size();
            long[] hashes = new long[words.size()];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = fnv(words.get(i));
            }
            int needed = n + hashes.length * maxN;
            if (needed > ids.length) {
                ids = java.util.Arrays.copyOf(ids, Math.max(needed, ids.length * 2));
            }
            for (int i = 0; i < hashes.length; i++) {
                long h = hashes[i];
                ids[n++] = (int) Long.remainderUnsigned(mix(h), buckets);
                for (int k = 1; k < maxN && i + k < hashes.length; k++) {
                    h = h * 0x9E3779B97F4A7C15L + hashes[i + k];
                    ids[n++] = (int) Long.remainderUnsigned(mix(h + k), buckets);
                }
            }
            offsets[r + 1] = n;
        }
        return new FeatureBags(java.util.Arrays.copyOf(ids, n), offsets, tokens);
    }

    static void tokenize(String text, List<String> out) {
        text = HTML_TAG.matcher(text).replaceAll(" "); // review texts carry <br /> tags
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isIdeographic(cp)) {
                flush(word, out);
                out.add(new String(Character.toChars(cp)));
            } else if (Character.isLetterOrDigit(cp) || (cp == '\'' && word.length() > 0)) {
                word.appendCodePoint(Character.toLowerCase(cp));
            } else {
                flush(word, out);
            }
        }
        flush(word, out);
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(word.toString());
            word.setLength(0);
        }
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

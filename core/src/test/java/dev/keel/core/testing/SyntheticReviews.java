package dev.keel.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small labeled texts for tests that train a classifier: words that tell {@code great} from
 * {@code other} (every third row), mixed with noise words, so a model that learns them has found
 * the signal among the noise.
 */
public final class SyntheticReviews {

    private static final String[] POSITIVE = {"great", "tasty", "love", "excellent", "fresh", "perfect"};
    private static final String[] NEGATIVE = {"awful", "stale", "bland", "broken", "refund", "bad"};
    private static final String[] NEUTRAL = {"the", "box", "arrived", "coffee", "bag", "we", "it", "was", "a"};

    /** Texts and their labels, in order. */
    public record Rows(List<String> texts, List<String> labels) {
    }

    private SyntheticReviews() {
    }

    /** {@code rows} texts of eight words, a third of them {@code other}, the rest {@code great}. */
    public static Rows rows(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            boolean other = i % 3 == 0;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                String[] pool = random.nextInt(3) == 0 ? (other ? NEGATIVE : POSITIVE) : NEUTRAL;
                text.append(w > 0 ? " " : "").append(pool[random.nextInt(pool.length)]);
            }
            texts.add(text.toString());
            labels.add(other ? "other" : "great");
        }
        return new Rows(texts, labels);
    }
}

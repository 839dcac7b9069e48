package dev.keel.nn.testing;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;

/**
 * A synthetic text task: each text is a bag of noise token ids plus a few ids that signal its
 * class ({@code class * 3 .. class * 3 + 2}); some texts are empty. Learnable only through the
 * signal ids, so a model that learns it has found them among the noise.
 */
public final class ToyText {

    /** A batch in the classifier's layout (CSR offsets). */
    public record Batch(int[] ids, int[] offsets, int[] targets, int size) {

        /** The texts as the classifier takes them. */
        public IdBags bags() {
            return new IdBags(ids, offsets, size, 0);
        }

        /** The texts with a random weight in [0.1, 2) per id (as TF-IDF weights would be). */
        public IdBags weightedBags(KeelRandom random) {
            float[] weights = new float[ids.length];
            for (int j = 0; j < weights.length; j++) {
                weights[j] = 0.1f + 1.9f * random.nextFloat();
            }
            return new IdBags(ids, offsets, weights, size, 0);
        }
    }

    private ToyText() {
    }

    public static Batch batch(KeelRandom random, int size, int classes, int buckets, int meanLength) {
        int[] offsets = new int[size + 1];
        int[] targets = new int[size];
        int[] ids = new int[size * (2 * meanLength + 3)];
        int n = 0;
        for (int b = 0; b < size; b++) {
            int target = random.nextInt(Math.max(2, classes));
            targets[b] = target;
            boolean empty = random.nextInt(50) == 0;
            int noise = empty ? 0 : random.nextInt(2 * meanLength);
            int signal = empty ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < noise; i++) {
                ids[n++] = 3 * Math.max(2, classes) + random.nextInt(buckets - 3 * Math.max(2, classes));
            }
            for (int i = 0; i < signal; i++) {
                ids[n++] = 3 * target + random.nextInt(3);
            }
            offsets[b + 1] = n;
        }
        return new Batch(ids, offsets, targets, size);
    }
}

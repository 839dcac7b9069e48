package dev.keel.core;

import java.util.Arrays;

/**
 * Bags of ids in compressed-row (CSR) form, the one layout every step from featurizer to
 * classifier uses: bag {@code b} is {@code ids[offsets[b] .. offsets[b + 1])} for
 * {@code b < size}, so {@code offsets} holds at least {@code size + 1} entries starting at 0
 * (PyTorch's {@code EmbeddingBag} with {@code include_last_offset=True}).
 *
 * <p>The arrays are shared, not copied, and may be longer than needed, so that a training loop can
 * reuse one set of buffers for every batch. {@code tokens} is how many word tokens the texts had
 * before n-grams were added (for tokens per second), 0 where nobody counted.
 *
 * <p>{@code weights}, when present, holds one weight per id (PyTorch's {@code per_sample_weights}),
 * parallel to {@code ids}: a bag is then the weighted sum of its rows, the weights already carrying
 * any normalisation (TF-IDF, for instance). Without weights a bag is the mean of its rows.
 *
 * @param ids     the ids of every bag, back to back
 * @param offsets where each bag starts, then where the last one ends
 * @param weights one weight per id, or null for the mean of the rows
 * @param size    the number of bags
 * @param tokens  the word tokens behind the bags, or 0
 */
public record IdBags(int[] ids, int[] offsets, float[] weights, int size, long tokens) {

    public IdBags {
        if (ids == null || offsets == null) {
            throw new IllegalArgumentException("id bags need ids and offsets, got " + (ids == null ? "no ids" : "no offsets"));
        }
        if (size < 0 || offsets.length < size + 1) {
            throw new IllegalArgumentException(size + " bags need " + (size + 1L) + " offsets, got " + offsets.length);
        }
        if (offsets[0] != 0) {
            throw new IllegalArgumentException("bag offsets must start at 0, got " + offsets[0]);
        }
        for (int b = 0; b < size; b++) {
            if (offsets[b + 1] < offsets[b]) {
                throw new IllegalArgumentException("bag offsets decrease at bag " + b + ": " + offsets[b] + " then "
                        + offsets[b + 1]);
            }
        }
        if (offsets[size] > ids.length) {
            throw new IllegalArgumentException("the " + size + " bags end at " + offsets[size] + ", past the "
                    + ids.length + " ids");
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("token count " + tokens + " is negative");
        }
        if (weights != null && weights.length < offsets[size]) {
            throw new IllegalArgumentException("the " + size + " bags hold " + offsets[size] + " ids but only "
                    + weights.length + " weights");
        }
    }

    /** Unweighted bags (each the mean of its rows). */
    public IdBags(int[] ids, int[] offsets, int size, long tokens) {
        this(ids, offsets, null, size, tokens);
    }

    /** Bags of exactly-sized arrays ({@code offsets.length - 1} bags), no weights, no token count. */
    public IdBags(int[] ids, int[] offsets) {
        this(ids, offsets, offsets == null ? 0 : offsets.length - 1, 0);
    }

    /** Whether the bags carry per-id weights (else each is the mean of its rows). */
    public boolean weighted() {
        return weights != null;
    }

    /** The bags of {@code perText}, in order, copied into one array. */
    public static IdBags of(int[][] perText) {
        int[] offsets = new int[perText.length + 1];
        for (int b = 0; b < perText.length; b++) {
            offsets[b + 1] = offsets[b] + perText[b].length;
        }
        int[] ids = new int[offsets[perText.length]];
        for (int b = 0; b < perText.length; b++) {
            System.arraycopy(perText[b], 0, ids, offsets[b], perText[b].length);
        }
        return new IdBags(ids, offsets);
    }

    /** Where bag {@code b} starts in {@link #ids}. */
    public int start(int b) {
        checkBag(b);
        return offsets[b];
    }

    /** One past where bag {@code b} ends in {@link #ids}. */
    public int end(int b) {
        checkBag(b);
        return offsets[b + 1];
    }

    /** The ids in all bags. */
    public int idCount() {
        return offsets[size];
    }

    /** A copy of bag {@code b}'s ids. */
    public int[] bag(int b) {
        return Arrays.copyOfRange(ids, start(b), end(b));
    }

    /**
     * Copies the bags {@code order[from .. from + count)} back to back into {@code idsOut},
     * {@code offsetsOut} and, for weighted bags, {@code weightsOut} (a minibatch of rows whose ids
     * were computed once) and returns them as bags over those buffers; size them with {@link #maxIds}.
     */
    public IdBags gather(int[] order, int from, int count, int[] idsOut, int[] offsetsOut, float[] weightsOut) {
        int n = 0;
        offsetsOut[0] = 0;
        for (int i = 0; i < count; i++) {
            int r = order[from + i];
            int length = offsets[r + 1] - offsets[r];
            System.arraycopy(ids, offsets[r], idsOut, n, length);
            if (weights != null) {
                System.arraycopy(weights, offsets[r], weightsOut, n, length);
            }
            n += length;
            offsetsOut[i + 1] = n;
        }
        return new IdBags(idsOut, offsetsOut, weights != null ? weightsOut : null, count, 0);
    }

    /** The most ids that {@code count} of these bags hold together: the size of a {@link #gather} buffer. */
    public int maxIds(int count) {
        int[] lengths = new int[size];
        for (int b = 0; b < size; b++) {
            lengths[b] = offsets[b + 1] - offsets[b];
        }
        Arrays.sort(lengths);
        long sum = 0;
        for (int i = 0; i < Math.min(count, size); i++) {
            sum += lengths[size - 1 - i];
        }
        return (int) Math.min(sum, Integer.MAX_VALUE);
    }

    private void checkBag(int b) {
        if (b < 0 || b >= size) {
            throw new IndexOutOfBoundsException("bag " + b + " of " + size);
        }
    }

    @Override
    public String toString() {
        return "IdBags(" + size + " bags, " + idCount() + " ids, " + tokens + " tokens" + (weights != null ? ", weighted)" : ")");
    }
}

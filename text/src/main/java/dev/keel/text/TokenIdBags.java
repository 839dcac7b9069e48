package dev.keel.text;

import java.util.Arrays;

/**
 * A batch of id bags for an embedding bag, in PyTorch's {@code EmbeddingBag} layout: all ids back
 * to back, and {@code offsets[b]} the start of bag {@code b}; bag {@code b} is
 * {@code ids[offsets[b] .. (b + 1 < size() ? offsets[b + 1] : ids.length))}.
 * The arrays are shared, not copied (records compare them by identity).
 */
public record TokenIdBags(int[] ids, int[] offsets) {

    public TokenIdBags {
        if (ids == null || offsets == null) {
            throw new IllegalArgumentException("ids and offsets must not be null");
        }
        for (int b = 0; b < offsets.length; b++) {
            int previous = b == 0 ? 0 : offsets[b - 1];
            if (offsets[b] < previous || offsets[b] > ids.length || (b == 0 && offsets[0] != 0)) {
                throw new IllegalArgumentException("offsets must start at 0 and not decrease, within [0, "
                        + ids.length + "]; offset " + b + " is " + offsets[b]);
            }
        }
    }

    /** The bags of {@code perText}, in order. */
    public static TokenIdBags of(int[][] perText) {
        int[] rows = new int[perText.length];
        Arrays.setAll(rows, r -> r);
        return of(perText, rows, 0, rows.length);
    }

    /**
     * The bags {@code perText[rows[from]], ..., perText[rows[to - 1]]}: a minibatch of texts whose
     * ids were computed once (see {@link TokenIdFeaturizer#idsOfAll}).
     */
    public static TokenIdBags of(int[][] perText, int[] rows, int from, int to) {
        if (from < 0 || to > rows.length || from > to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") outside rows of length " + rows.length);
        }
        int total = 0;
        for (int k = from; k < to; k++) {
            total += perText[rows[k]].length;
        }
        int[] ids = new int[total];
        int[] offsets = new int[to - from];
        int at = 0;
        for (int k = from; k < to; k++) {
            int[] bag = perText[rows[k]];
            offsets[k - from] = at;
            System.arraycopy(bag, 0, ids, at, bag.length);
            at += bag.length;
        }
        return new TokenIdBags(ids, offsets);
    }

    /** The number of bags. */
    public int size() {
        return offsets.length;
    }

    public int start(int bag) {
        checkBag(bag);
        return offsets[bag];
    }

    public int end(int bag) {
        checkBag(bag);
        return bag + 1 < offsets.length ? offsets[bag + 1] : ids.length;
    }

    /** A copy of bag {@code bag}'s ids. */
    public int[] bag(int bag) {
        return Arrays.copyOfRange(ids, start(bag), end(bag));
    }

    private void checkBag(int bag) {
        if (bag < 0 || bag >= offsets.length) {
            throw new IndexOutOfBoundsException("bag " + bag + " of " + offsets.length);
        }
    }

    @Override
    public String toString() {
        return "TokenIdBags(" + size() + " bags, " + ids.length + " ids)";
    }
}

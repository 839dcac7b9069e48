package dev.keel.classifier;

/**
 * Texts turned into bags of feature ids: row {@code r} holds {@code ids[offsets[r] .. offsets[r+1])}.
 *
 * @param tokens how many word tokens the texts had (for tokens/second)
 */
public record FeatureBags(int[] ids, int[] offsets, long tokens) {

    public int rows() {
        return offsets.length - 1;
    }

    /** The bag of rows {@code order[from .. from+count)}, copied into {@code ids}/{@code offsets} buffers. */
    public int gather(int[] order, int from, int count, int[] idsOut, int[] offsetsOut) {
        int n = 0;
        offsetsOut[0] = 0;
        for (int i = 0; i < count; i++) {
            int r = order[from + i];
            int len = offsets[r + 1] - offsets[r];
            System.arraycopy(ids, offsets[r], idsOut, n, len);
            n += len;
            offsetsOut[i + 1] = n;
        }
        return n;
    }

    /** The longest bag, to size {@link #gather} buffers. */
    public int maxBatchIds(int batch) {
        int[] lengths = new int[rows()];
        for (int r = 0; r < rows(); r++) {
            lengths[r] = offsets[r + 1] - offsets[r];
        }
        java.util.Arrays.sort(lengths);
        long sum = 0;
        for (int i = 0; i < Math.min(batch, lengths.length); i++) {
            sum += lengths[lengths.length - 1 - i];
        }
        return (int) sum;
    }
}

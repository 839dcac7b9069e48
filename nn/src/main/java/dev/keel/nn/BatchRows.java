package dev.keel.nn;

import java.util.Arrays;

/**
 * The distinct embedding rows a batch uses, in order of first use ("slots"), and for each slot
 * the texts that use it, in batch order, once per use. With it the gradient of a table row is
 * the sum over its uses of {@code gradBag[text] / length(text)}, computed in one place, in batch
 * order, from the row's uses alone: no table-sized gradient, and any split of the slots over
 * threads gives the same bits.
 *
 * <p>Reused across batches: {@link #index} allocates only when a batch has more ids than any
 * before (and, once, the row-to-slot map of the table's size).
 */
final class BatchRows {

    private final int tableRows;
    private int[] slotOfRow;         // [tableRows]: slot of each row in this batch, -1 for others
    private int[] rowOfSlot = new int[0];
    private int[] slotStart = new int[1]; // uses of slot s: uses[slotStart[s] .. slotStart[s + 1])
    private int[] uses = new int[0];      // text of each use, grouped by slot
    private int[] positions = new int[0]; // id position of each use, grouped by slot
    private int[] slotOfId = new int[0];  // scratch: slot of each id position
    private int[] cursor = new int[0];    // scratch: next free use of each slot
    private int count;

    BatchRows(int tableRows) {
        this.tableRows = tableRows;
    }

    /** Indexes the rows of {@code ids[offsets[0] .. offsets[bags])} (ids already checked). */
    void index(int[] ids, int[] offsets, int bags) {
        clear();
        if (slotOfRow == null) {
            slotOfRow = new int[tableRows];
            Arrays.fill(slotOfRow, -1);
        }
        int n = offsets[bags];
        if (uses.length < n) {
            rowOfSlot = new int[n];
            slotStart = new int[n + 1];
            uses = new int[n];
            positions = new int[n];
            slotOfId = new int[n];
            cursor = new int[n];
        }
        int slots = 0;
        for (int j = 0; j < n; j++) {
            int row = ids[j];
            int s = slotOfRow[row];
            if (s < 0) {
                s = slots++;
                slotOfRow[row] = s;
                rowOfSlot[s] = row;
                cursor[s] = 0;
            }
            slotOfId[j] = s;
            cursor[s]++;
        }
        int start = 0;
        for (int s = 0; s < slots; s++) { // counts to starts
            slotStart[s] = start;
            start += cursor[s];
            cursor[s] = slotStart[s];
        }
        slotStart[slots] = start;
        for (int b = 0; b < bags; b++) {
            for (int j = offsets[b]; j < offsets[b + 1]; j++) {
                int u = cursor[slotOfId[j]]++;
                uses[u] = b;
                positions[u] = j;
            }
        }
        count = slots;
    }

    /** Forgets the last batch (resets the touched entries of the row-to-slot map). */
    void clear() {
        for (int s = 0; s < count; s++) {
            slotOfRow[rowOfSlot[s]] = -1;
        }
        count = 0;
    }

    /** Number of distinct rows. */
    int count() {
        return count;
    }

    /** The table row of slot {@code s}. */
    int row(int s) {
        return rowOfSlot[s];
    }

    /** The table row of each slot, {@code [0, count())} (read-only for callers). */
    int[] rows() {
        return rowOfSlot;
    }

    /** First use of slot {@code s} in {@link #uses()}. */
    int usesFrom(int s) {
        return slotStart[s];
    }

    /** One past the last use of slot {@code s}. */
    int usesTo(int s) {
        return slotStart[s + 1];
    }

    /** The text of each use, grouped by slot (read-only for callers). */
    int[] uses() {
        return uses;
    }

    /** The id position of each use in the batch's ids, grouped by slot (read-only for callers). */
    int[] positions() {
        return positions;
    }
}

package dev.keel.nn.optim;

import dev.keel.core.Tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An optimizer's per-element state for one parameter ({@code arrays} floats per element: Adam's
 * two moments, SGD's momentum buffer), all zero until first updated.
 *
 * <p>A small parameter gets dense arrays shaped like it. A matrix of at least {@link #LAZY_MIN_ROWS}
 * rows (an embedding table) gets its state a row at a time, on the row's first update: each row
 * is given the next free <em>slot</em> in pages of {@link #PAGE_ROWS} rows, the slot holding the
 * row's state of every array side by side (one memory neighbourhood per row: on a large table each
 * row's update misses the caches, and adjacent lines cost less than distant ones). A hashed table of two
 * million rows of which a training run touches a few hundred thousand then holds state for those
 * only (PyTorch's {@code SparseAdam} allocates both moments for the whole table up front: a
 * gigabyte of fresh memory, half a second of page faults, at 2,000,000 x 64). Where a row's
 * state lives has no effect on the numbers: a fresh row starts from zeros either way.
 */
final class ParameterState {

    /** Matrices with at least this many rows get their state a row at a time. */
    static final int LAZY_MIN_ROWS = 8192;
    /** Rows of state per allocated page. */
    static final int PAGE_ROWS = 1024;

    private final int arrays;
    private final int cols;
    private final float[][] dense;  // [array][element], or null when lazy
    // Lazy: slotOfRow[row] is the row's slot + 1 (0: no state yet); slot s is in pages[s / PAGE_ROWS]
    // at (s % PAGE_ROWS) * arrays * cols, array a's row at + a * cols.
    private final int[] slotOfRow;
    private final AtomicInteger slots;
    private final AtomicReferenceArray<float[]> pages;

    private ParameterState(Tensor parameter, int arrays) {
        this.arrays = arrays;
        boolean lazy = parameter.rank() == 2 && parameter.dim(0) >= LAZY_MIN_ROWS;
        this.cols = parameter.rank() == 2 ? parameter.dim(1) : parameter.size();
        if (lazy) {
            int rows = parameter.dim(0);
            dense = null;
            slotOfRow = new int[rows];
            slots = new AtomicInteger();
            pages = new AtomicReferenceArray<>((rows + PAGE_ROWS - 1) / PAGE_ROWS);
        } else {
            dense = new float[arrays][parameter.size()];
            slotOfRow = null;
            slots = null;
            pages = null;
        }
    }

    /** Zero state of {@code arrays} floats per element of {@code parameter}. */
    static ParameterState zeros(Tensor parameter, int arrays) {
        return new ParameterState(parameter, arrays);
    }

    /** Whether the state is kept a row at a time (then use {@link #slot} and {@link #page}). */
    boolean lazy() {
        return dense == null;
    }

    /** Dense state array {@code a}, indexed like the parameter's elements. */
    float[] dense(int a) {
        return dense[a];
    }

    /** Elements per row: the unit in which lazy state is addressed. */
    int cols() {
        return cols;
    }

    /**
     * The slot of {@code row}'s state, given one (zeroed) on the row's first call. Safe on several
     * threads at once for distinct rows; a row's later callers must see its first call (in a
     * training step they do: rows are split over threads within a step, and steps are ordered).
     */
    int slot(int row) {
        int slot = slotOfRow[row] - 1;
        if (slot < 0) {
            slot = slots.getAndIncrement();
            int page = slot / PAGE_ROWS;
            if (pages.get(page) == null) {
                allocatePage(page);
            }
            slotOfRow[row] = slot + 1;
        }
        return slot;
    }

    /** The slot of {@code row}'s state, or -1 if it has none yet. */
    int existingSlot(int row) {
        return slotOfRow[row] - 1;
    }

    /** Rows that have state so far. */
    int rowsWithState() {
        return lazy() ? slots.get() : dense[0].length / cols;
    }

    /** The page holding slot {@code slot}; state array {@code a}'s row starts at {@link #offset}. */
    float[] page(int slot) {
        return pages.get(slot / PAGE_ROWS);
    }

    /** Offset of state array {@code a}'s row of slot {@code slot} within the slot's page. */
    int offset(int a, int slot) {
        return ((slot % PAGE_ROWS) * arrays + a) * cols;
    }

    /**
     * Reads one element per cache line ({@code stride} floats) of every state array over elements
     * {@code [elementOffset, elementOffset + n)} and returns their sum (see
     * {@link Optimizer#updateRows}); 0 for a row that has no state yet.
     */
    float touch(int elementOffset, int n, int stride) {
        float sum = 0;
        if (!lazy()) {
            for (float[] array : dense) {
                for (int j = 0; j < n; j += stride) {
                    sum += array[elementOffset + j];
                }
            }
            return sum;
        }
        int slot = existingSlot(elementOffset / cols);
        if (slot < 0) {
            return 0f; // a fresh row: its state is not allocated yet
        }
        float[] page = page(slot);
        for (int j = offset(0, slot), end = j + arrays * n; j < end; j += stride) { // the slot's arrays are adjacent
            sum += page[j];
        }
        return sum;
    }

    // Threads that take the first slots of a page race to allocate it; one wins, all see it.
    private synchronized void allocatePage(int page) {
        if (pages.get(page) == null) {
            pages.set(page, new float[PAGE_ROWS * arrays * cols]);
        }
    }
}

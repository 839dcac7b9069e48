package dev.keel.nn.autograd;

import dev.keel.core.Tensor;

import java.util.Arrays;

/**
 * A trainable leaf: what modules own and optimizers update (PyTorch's {@code nn.Parameter}).
 *
 * <p>A <em>row-sparse</em> parameter (an embedding table, see {@link #sparse}) records which rows
 * its gradient touched, so that the optimizer updates and {@link #zeroGrad()} clears only those
 * rows: with 200,000 rows and a few thousand used per batch, that is the difference between a
 * cheap step and a full pass over the table. The gradient storage itself stays dense (allocated
 * once, reused), which keeps reads simple. If anything writes the gradient densely (through
 * {@link #gradBuffer()}), the parameter counts every row as touched for that step.
 */
public final class Parameter extends Value {

    private final boolean sparse;
    private long[] touchedBits; // one bit per row, set while the row is in touchedRows
    private int[] touchedRows;  // rows written since the last zeroGrad, in first-touch order
    private int touchedCount;
    private boolean allRowsTouched;

    private Parameter(Tensor data, boolean sparse) {
        super(data, true);
        this.sparse = sparse;
    }

    /** A parameter with an ordinary dense gradient. */
    public static Parameter dense(Tensor data) {
        return new Parameter(data, false);
    }

    /** A matrix parameter whose gradient is tracked by row (for embedding tables). */
    public static Parameter sparse(Tensor data) {
        if (data.rank() != 2) {
            throw new IllegalArgumentException("a row-sparse parameter must be a matrix, shape is "
                    + Arrays.toString(data.shape()));
        }
        return new Parameter(data, true);
    }

    /** True if this parameter tracks touched rows (it may still be dense this step, see {@link #hasRowSparseGrad}). */
    public boolean isSparse() {
        return sparse;
    }

    /** True when only the rows listed by {@link #touchedRow} carry gradient this step. */
    public boolean hasRowSparseGrad() {
        return sparse && !allRowsTouched;
    }

    /** Number of distinct rows written since the last {@link #zeroGrad()} (sparse parameters). */
    public int touchedRowCount() {
        return touchedCount;
    }

    /** The {@code i}-th touched row, in the order rows were first written. */
    public int touchedRow(int i) {
        if (i < 0 || i >= touchedCount) {
            throw new IllegalArgumentException("touched row index " + i + " out of range [0, " + touchedCount + ")");
        }
        return touchedRows[i];
    }

    /** Marks {@code row} as carrying gradient (for code that writes the gradient storage itself). */
    public void markRowTouched(int row) {
        if (!sparse) {
            return;
        }
        if (touchedBits == null) {
            int rows = data().dim(0);
            touchedBits = new long[(rows + 63) >>> 6];
            touchedRows = new int[rows];
        }
        long bit = 1L << row;
        int word = row >>> 6;
        if ((touchedBits[word] & bit) == 0) {
            touchedBits[word] |= bit;
            touchedRows[touchedCount++] = row;
        }
    }

    @Override
    public Tensor gradBuffer() {
        allRowsTouched = true; // a dense write: every row may now hold gradient
        return super.gradBuffer();
    }

    @Override
    public void accumulateGradRow(int row, float alpha, float[] src, int srcOffset) {
        int rows = data().dim(0);
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("gradient row " + row + " out of range [0, " + rows + ")");
        }
        markRowTouched(row);
        super.accumulateGradRow(row, alpha, src, srcOffset);
    }

    /** Zeroes the gradient: only the touched rows for a row-sparse one. */
    @Override
    public void zeroGrad() {
        Tensor g = grad();
        if (g != null && hasRowSparseGrad()) {
            int cols = g.cols();
            float[] gd = g.data();
            for (int i = 0; i < touchedCount; i++) {
                int from = g.offset() + touchedRows[i] * cols;
                Arrays.fill(gd, from, from + cols, 0f);
            }
        } else {
            super.zeroGrad();
        }
        clearTouched();
    }

    private void clearTouched() {
        if (touchedBits != null) {
            for (int i = 0; i < touchedCount; i++) {
                touchedBits[touchedRows[i] >>> 6] = 0L;
            }
        }
        touchedCount = 0;
        allRowsTouched = false;
    }

    @Override
    public String toString() {
        return "Parameter(shape " + Arrays.toString(data().shape()) + (sparse ? ", row-sparse grad)" : ")");
    }
}

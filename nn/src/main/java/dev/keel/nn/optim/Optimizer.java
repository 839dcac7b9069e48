package dev.keel.nn.optim;

import dev.keel.core.Tensor;
import dev.keel.nn.autograd.Parameter;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Updates parameters from their gradients (PyTorch's {@code torch.optim.Optimizer}).
 *
 * <p>{@link #step()} visits each parameter that has a gradient. A dense one is updated as one
 * run of elements; a row-sparse one ({@link Parameter#hasRowSparseGrad()}) only on the rows its
 * gradient touched, and only those rows' optimizer state (momentum, moments) changes: the lazy
 * update of fastText and PyTorch's {@code SparseAdam}. Rows not touched in a step keep their
 * weights and state as they were (no weight decay, no momentum drift), which is what makes an
 * embedding step cost the batch's rows rather than the table's.
 *
 * <p>The learning rate comes from an {@link LrSchedule} asked once per step. In steady state a
 * step allocates nothing (state is allocated on a parameter's first update).
 *
 * <p>A trainer that computes an embedding table's gradient one row at a time can drive the same
 * step itself through {@link #rowUpdates()} (a protocol of its own, so that this class's public
 * face stays PyTorch's): the table's gradient then never needs to be stored, and the result is
 * that of {@link #step()} on the same gradients.
 */
public abstract class Optimizer {

    /** Floats in a 64-byte cache line: the stride of {@link #touchState}'s reads. */
    protected static final int FLOATS_PER_CACHE_LINE = 16;

    private final Parameter[] params;
    private LrSchedule schedule;
    private long steps;
    private boolean inStep;
    private double lr; // of the step in progress
    @SuppressWarnings("unused")
    private float touchSink;
    private final RowUpdates rowUpdates = new RowUpdates() {
        @Override
        public void beginStep() {
            Optimizer.this.beginStep();
        }

        @Override
        public void updateFromGradient(int index) {
            Optimizer.this.updateFromGradient(index);
        }

        @Override
        public void beginRowUpdates(int index) {
            Optimizer.this.beginRowUpdates(index);
        }

        @Override
        public void updateRow(int index, int row, float[] g, int go) {
            Optimizer.this.updateRow(index, row, g, go);
        }

        @Override
        public void updateRows(int index, int[] rows, int from, int to, float[] g, int go) {
            Optimizer.this.updateRows(index, rows, from, to, g, go);
        }

        @Override
        public void endStep() {
            Optimizer.this.endStep();
        }

        @Override
        public int indexOf(Parameter p) {
            return Optimizer.this.indexOf(p);
        }

        @Override
        public int parameterCount() {
            return params.length;
        }
    };

    protected Optimizer(List<Parameter> params, double lr) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " got an empty parameter list");
        }
        this.params = params.toArray(new Parameter[0]);
        this.schedule = LrSchedule.constant(lr);
    }

    /** One update of every parameter with a gradient, at the schedule's current rate. */
    public final void step() {
        beginStep();
        for (int i = 0; i < params.length; i++) {
            updateFromGradient(i);
        }
        endStep();
    }

    /** This optimizer's step, driven by the caller a row at a time (see {@link RowUpdates}). */
    public final RowUpdates rowUpdates() {
        return rowUpdates;
    }

    // ---------------------------------------------------------------- a step driven by the caller: RowUpdates

    /**
     * Starts a step driven by the caller: fixes the learning rate from the schedule. (Calling it
     * again before {@code endStep} starts over, e.g. after a failed update.)
     */
    private void beginStep() {
        inStep = true;
        lr = schedule.learningRate(steps);
    }

    /**
     * Updates parameter {@code index} (of {@link #parameters()}) from its {@link Parameter#grad()}
     * as {@link #step()} does: skipped without a gradient, touched rows only when row-sparse.
     */
    private void updateFromGradient(int index) {
        requireStep();
        Parameter p = params[index];
        Tensor g = p.grad();
        if (g == null) {
            return;
        }
        Tensor w = p.data();
        beginParameter(index, lr, w.size());
        if (p.hasRowSparseGrad()) {
            int cols = w.cols();
            for (int t = 0; t < p.touchedRowCount(); t++) {
                int from = p.touchedRow(t) * cols;
                update(index, w.data(), w.offset() + from, g.data(), g.offset() + from, from, cols);
            }
        } else {
            update(index, w.data(), w.offset(), g.data(), g.offset(), 0, w.size());
        }
    }

    /**
     * Prepares matrix parameter {@code index} for {@code updateRow} calls in this step (once per
     * step, before them, on one thread), as {@link #updateFromGradient} would for a row-sparse one.
     */
    private void beginRowUpdates(int index) {
        requireStep();
        Tensor w = params[index].data();
        if (w.rank() != 2) {
            throw new IllegalArgumentException("row updates need a matrix parameter, parameter " + index + " is "
                    + params[index]);
        }
        beginParameter(index, lr, w.size());
    }

    /**
     * Updates row {@code row} of matrix parameter {@code index} (and that row's optimizer state)
     * with the gradient row {@code g[go .. go + cols)}. Safe to call from several threads at once
     * for distinct rows, between {@code beginRowUpdates} and {@code endStep}. Each row at most
     * once per step.
     */
    private void updateRow(int index, int row, float[] g, int go) {
        Tensor w = params[index].data();
        int cols = w.cols();
        if (row < 0 || row >= w.dim(0)) {
            throw new IllegalArgumentException("row " + row + " out of range [0, " + w.dim(0) + ") of parameter "
                    + index);
        }
        int from = row * cols;
        update(index, w.data(), w.offset() + from, g, go, from, cols);
    }

    /**
     * {@code updateRow} for rows {@code rows[from .. to)}, row {@code rows[i]} taking its gradient
     * from {@code g[go + (i - from) * cols ..]}: the same bits as one call per row, but faster on
     * a large table, because the rows' weights and state are first read once per cache line, all
     * of them, so that their cache misses overlap instead of queueing behind each row's
     * arithmetic (Java has no prefetch instruction). Same thread-safety as {@code updateRow}.
     */
    private void updateRows(int index, int[] rows, int from, int to, float[] g, int go) {
        Tensor w = params[index].data();
        int cols = w.cols(), tableRows = w.dim(0);
        float[] wd = w.data();
        float touched = 0;
        for (int i = from; i < to; i++) {
            int row = rows[i];
            if (row < 0 || row >= tableRows) {
                throw new IllegalArgumentException("row " + row + " out of range [0, " + tableRows
                        + ") of parameter " + index);
            }
            int start = w.offset() + row * cols;
            for (int j = 0; j < cols; j += FLOATS_PER_CACHE_LINE) {
                touched += wd[start + j];
            }
            touched += touchState(index, row * cols, cols);
        }
        for (int i = from; i < to; i++) {
            int start = rows[i] * cols;
            update(index, wd, w.offset() + start, g, go + (i - from) * cols, start, cols);
        }
        if (touched == Float.MAX_VALUE) { // practically never; keeps the reads above from being optimized away
            touchSink = touched;
        }
    }

    /**
     * Reads one element per cache line ({@link #FLOATS_PER_CACHE_LINE} floats) of the optimizer
     * state of elements {@code [stateOffset, stateOffset + n)} of parameter {@code index} and
     * returns their sum (see {@code updateRows}); none by default.
     */
    protected float touchState(int index, int stateOffset, int n) {
        return 0f;
    }

    /** Ends a step driven by the caller (counts it for the schedule). */
    private void endStep() {
        requireStep();
        inStep = false;
        steps++;
    }

    /** The index of {@code p} in {@link #parameters()}, or -1 if this optimizer does not update it. */
    private int indexOf(Parameter p) {
        for (int i = 0; i < params.length; i++) {
            if (params[i] == p) {
                return i;
            }
        }
        return -1;
    }

    private void requireStep() {
        if (!inStep) {
            throw new IllegalStateException("parameter updates outside beginStep() ... endStep()");
        }
    }

    /**
     * Called once per parameter per step before its {@link #update}s, on one thread: allocate
     * state on first use ({@code size} elements), compute per-step factors (kept per parameter:
     * updates of several parameters may interleave).
     */
    protected abstract void beginParameter(int index, double lr, int size);

    /**
     * Updates {@code n} elements of parameter {@code index}: weights at {@code w[wo..]}, gradient
     * at {@code g[go..]}, optimizer state at element {@code stateOffset} of the parameter. May run
     * on several threads at once for disjoint elements of one parameter: no shared scratch.
     */
    protected abstract void update(int index, float[] w, int wo, float[] g, int go, int stateOffset, int n);

    /** Zeroes every parameter's gradient (touched rows only for row-sparse ones). */
    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    /** The parameters this optimizer updates. */
    public List<Parameter> parameters() {
        return Collections.unmodifiableList(Arrays.asList(params));
    }

    /** Parameter {@code index} of {@link #parameters()} (allocation-free). */
    protected final Parameter parameter(int index) {
        return params[index];
    }

    /** Number of parameters this optimizer updates (allocation-free, unlike {@link #parameters()}). */
    public int parameterCount() {
        return params.length;
    }

    /** Steps taken so far. */
    public long stepCount() {
        return steps;
    }

    /** The rate the next {@link #step()} will use. */
    public double currentLearningRate() {
        return schedule.learningRate(steps);
    }

    /** Replaces the schedule by a constant rate. */
    public void setLearningRate(double lr) {
        schedule = LrSchedule.constant(lr);
    }

    /** Replaces the schedule; it is asked with the number of steps already taken. */
    public void setSchedule(LrSchedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null");
        }
        this.schedule = schedule;
    }

    static void checkNonNegative(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }

    static void checkUnitInterval(double v, String name) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
    }
}

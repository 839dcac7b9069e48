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
 */
public abstract class Optimizer {

    private final Parameter[] params;
    private LrSchedule schedule;
    private long steps;

    protected Optimizer(List<Parameter> params, double lr) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " got an empty parameter list");
        }
        this.params = params.toArray(new Parameter[0]);
        this.schedule = LrSchedule.constant(lr);
    }

    /** One update of every parameter with a gradient, at the schedule's current rate. */
    public final void step() {
        double lr = schedule.learningRate(steps);
        for (int i = 0; i < params.length; i++) {
            Parameter p = params[i];
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            Tensor w = p.data();
            beginParameter(i, lr, w.size());
            if (p.hasRowSparseGrad()) {
                int cols = w.cols();
                for (int t = 0; t < p.touchedRowCount(); t++) {
                    int from = p.touchedRow(t) * cols;
                    update(i, w.data(), w.offset() + from, g.data(), g.offset() + from, from, cols);
                }
            } else {
                update(i, w.data(), w.offset(), g.data(), g.offset(), 0, w.size());
            }
        }
        steps++;
    }

    /**
     * Called once per parameter per step before its {@link #update}s: allocate state on first
     * use ({@code size} elements), compute per-step factors.
     */
    protected abstract void beginParameter(int index, double lr, int size);

    /**
     * Updates {@code n} elements of parameter {@code index}: weights at {@code w[wo..]}, gradient
     * at {@code g[go..]}, optimizer state at element {@code stateOffset} of the parameter.
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

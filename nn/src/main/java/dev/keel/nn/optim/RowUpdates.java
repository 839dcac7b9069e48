package dev.keel.nn.optim;

import dev.keel.nn.autograd.Parameter;

/**
 * An {@link Optimizer}'s step driven by the caller, for a trainer that computes a row-sparse
 * gradient one row at a time (and may spread the rows over threads), so that a table-sized
 * gradient is never stored: {@link #beginStep}, {@link #updateFromGradient} for the parameters
 * whose gradient the trainer stored, {@link #beginRowUpdates} and {@link #updateRows} (or
 * {@link #updateRow}) for the touched rows of a table, {@link #endStep}. The result is exactly that
 * of {@link Optimizer#step()} on the same gradients. Get it from {@link Optimizer#rowUpdates()}.
 */
public interface RowUpdates {

    /**
     * Starts a step: fixes the learning rate from the schedule. (Calling it again before
     * {@link #endStep} starts over, e.g. after a failed update.)
     */
    void beginStep();

    /**
     * Updates parameter {@code index} (of {@link Optimizer#parameters()}) from its
     * {@link Parameter#grad()} as {@link Optimizer#step()} does: skipped without a gradient,
     * touched rows only when row-sparse.
     */
    void updateFromGradient(int index);

    /**
     * Prepares matrix parameter {@code index} for {@link #updateRow} calls in this step (once per
     * step, before them, on one thread), as {@link #updateFromGradient} would for a row-sparse one.
     */
    void beginRowUpdates(int index);

    /**
     * Updates row {@code row} of matrix parameter {@code index} (and that row's optimizer state)
     * with the gradient row {@code g[go .. go + cols)}. Safe to call from several threads at once
     * for distinct rows, between {@link #beginRowUpdates} and {@link #endStep}. Each row at most
     * once per step.
     */
    void updateRow(int index, int row, float[] g, int go);

    /**
     * {@link #updateRow} for rows {@code rows[from .. to)}, row {@code rows[i]} taking its gradient
     * from {@code g[go + (i - from) * cols ..]}: the same bits as one call per row, but faster on a
     * large table, because the rows' weights and state are first read once per cache line, all of
     * them, so that their cache misses overlap instead of queueing behind each row's arithmetic
     * (Java has no prefetch instruction). Same thread-safety as {@link #updateRow}.
     */
    void updateRows(int index, int[] rows, int from, int to, float[] g, int go);

    /** Ends the step (counts it for the schedule). */
    void endStep();

    /** The index of {@code p} in {@link Optimizer#parameters()}, or -1 if the optimizer does not update it. */
    int indexOf(Parameter p);

    /** Number of parameters the optimizer updates. */
    int parameterCount();
}

package dev.keel.nn.loss;

/** How a {@link FusedLoss} reduces the per-row losses of a batch. */
public enum Reduction {
    /**
     * The mean over rows (the default); for weighted cross entropy the weighted mean
     * {@code sum_i w_ti l_i / sum_i w_ti}.
     */
    MEAN,
    /** The sum over rows. */
    SUM,
    /**
     * No reduction: {@link FusedLoss#computeRows} writes each row's loss, and the gradient of each
     * row is that of its own loss (the same as for {@link #SUM}); {@code compute} returns the sum.
     */
    NONE
}

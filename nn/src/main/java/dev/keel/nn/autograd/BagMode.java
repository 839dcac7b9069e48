package dev.keel.nn.autograd;

/** How an embedding bag reduces the rows of its ids (PyTorch's {@code mode}). */
public enum BagMode {
    /** The sum of the rows; an empty bag gives zeros. */
    SUM,
    /** The mean of the rows; an empty bag gives zeros (not NaN). */
    MEAN
}

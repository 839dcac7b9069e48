package dev.keel.nn.loss;

/**
 * A loss over a batch of logits: a fused kernel that computes the loss and, on request, its
 * gradient with respect to the logits in the same pass.
 */
public interface Loss {

    /**
     * Reduced loss over the rows; if {@code grad != null}, writes d(loss)/d(logits) into it (same
     * length as {@code logits}, {@code rows * classes}).
     *
     * @param logits  {@code rows x classes}, row-major ({@code classes == 1} for the binary kinds)
     * @param targets the target class of each row ({@code 0} or {@code 1} for the binary kinds)
     */
    double compute(float[] logits, int rows, int classes, int[] targets, float[] grad);
}

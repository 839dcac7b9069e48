package dev.keel.nn.loss;

import java.util.Objects;

/**
 * Logit adjustment's loss form (Menon et al. 2020, "Long-tail learning via logit adjustment"): a
 * loss of the logits shifted per class, {@code l(z + offsets)}, with {@code offsets_c = tau log
 * prior_c} (balanced softmax is {@code tau = 1}). Training on the shifted logits makes the raw logits
 * {@code z} the balanced classifier: predict with their argmax. The gradient with respect to {@code z}
 * is the inner loss's gradient at {@code z + offsets}.
 *
 * <p>Keeps one buffer for the shifted logits: for one thread (a training loop's), not shared.
 */
public final class LogitAdjustedLoss implements Loss {

    private final Loss inner;
    private final float[] offsets;
    private float[] shifted = new float[0];

    /** {@code inner} on {@code z + offsets}, one offset per class. */
    public LogitAdjustedLoss(Loss inner, float[] offsets) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.offsets = offsets.clone();
        for (int c = 0; c < this.offsets.length; c++) {
            if (!Float.isFinite(this.offsets[c])) {
                throw new IllegalArgumentException("logit offset " + this.offsets[c] + " of class " + c + " is not finite");
            }
        }
    }

    /** {@code tau log prior_c} of classes with these counts (a class with no rows counts as one). */
    public static float[] offsets(double tau, int[] classCounts) {
        long total = 0;
        for (int n : classCounts) {
            total += n;
        }
        float[] out = new float[classCounts.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = (float) (tau * Math.log(Math.max(classCounts[c], 1) / (double) total));
        }
        return out;
    }

    public float[] offsets() {
        return offsets.clone();
    }

    @Override
    public double compute(float[] logits, int rows, int classes, int[] targets, float[] grad) {
        if (classes != offsets.length) {
            throw new IllegalArgumentException(offsets.length + " logit offsets for " + classes + " classes");
        }
        if (shifted.length != logits.length) { // the kernels take arrays of exactly rows x classes
            shifted = new float[logits.length];
        }
        for (int i = 0; i < Math.min(logits.length, rows * classes); i++) {
            shifted[i] = logits[i] + offsets[i % classes];
        }
        return inner.compute(shifted, rows, classes, targets, grad);
    }

    @Override
    public String toString() {
        return "logit-adjusted " + inner;
    }
}

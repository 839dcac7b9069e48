package dev.keel.nn.ops;

import dev.keel.core.KeelRandom;

/** Elementwise operations of the layers: dropout masks, the sigmoid, the ReLU's gradient. */
public final class ElementOps {

    private ElementOps() {
    }

    /**
     * Fills {@code mask[offset, offset + n)} with {@code 0} (probability {@code p}) or
     * {@code 1 / (1 - p)} (inverted dropout: the expectation is unchanged), one draw per element in
     * index order, so the same seed gives the same mask.
     */
    public static void dropoutMask(KeelRandom random, float p, float[] mask, int offset, int n) {
        checkDropoutProbability(p);
        float keep = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            mask[offset + i] = random.nextFloat() < p ? 0f : keep;
        }
    }

    /** Throws unless {@code 0 <= p < 1}. */
    public static void checkDropoutProbability(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
    }

    /** The logistic function {@code 1 / (1 + exp(-x))}, written so that neither branch overflows. */
    public static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    /**
     * The ReLU's backward pass in place: {@code grad[i] = 0} where {@code activation[i] <= 0} (the
     * unit was off; at exactly 0 the gradient is taken as 0, as in PyTorch), for {@code i < n}.
     */
    public static void reluBackward(float[] activation, int ao, float[] grad, int go, int n) {
        for (int i = 0; i < n; i++) {
            if (activation[ao + i] <= 0f) {
                grad[go + i] = 0f;
            }
        }
    }
}

package dev.keel.nn.optim;

/**
 * The Adam element update, the hot loop of a training step (a square root and a division per
 * element). Two implementations: {@link #SCALAR} and a Vector API one loaded only where the
 * vector path is available ({@code VectorAdamKernel}). Both perform the same IEEE operations in
 * the same order (no fused multiply-add), so they give bit-identical results.
 */
interface AdamKernel {

    /** Per-step coefficients, shared by the calls of one parameter's update. */
    final class Coefficients {
        float beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps;
        /** {@code lr / (1 - beta1^t)}. */
        float stepSize;
        /** {@code 1 / sqrt(1 - beta2^t)}. */
        float invSqrtBias2;
        /** {@code 1 - lr * weightDecay} for decoupled decay, else 1. */
        float decay;
        /** The L2 weight decay added to the gradient (0 for decoupled decay). */
        float l2;
    }

    /**
     * For {@code i < n}: {@code grad = g + l2 w; m = beta1 m + (1 - beta1) grad;
     * v = beta2 v + (1 - beta2) grad grad; w = decay w - stepSize m / (sqrt(v) invSqrtBias2 + eps)}.
     */
    void update(Coefficients c, float[] w, int wo, float[] g, int go, float[] m, int mo, float[] v, int vo, int n);

    AdamKernel SCALAR = AdamKernel::scalarUpdate;

    static void scalarUpdate(Coefficients c, float[] w, int wo, float[] g, int go, float[] m, int mo, float[] v,
                             int vo, int n) {
        for (int i = 0; i < n; i++) {
            float weight = w[wo + i];
            float grad = g[go + i] + c.l2 * weight;
            float mNew = c.beta1 * m[mo + i] + c.oneMinusBeta1 * grad;
            float vNew = c.beta2 * v[vo + i] + c.oneMinusBeta2 * grad * grad;
            m[mo + i] = mNew;
            v[vo + i] = vNew;
            w[wo + i] = c.decay * weight - c.stepSize * mNew / ((float) Math.sqrt(vNew) * c.invSqrtBias2 + c.eps);
        }
    }
}

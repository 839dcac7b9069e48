package dev.keel.nn.optim;

import dev.keel.nn.autograd.Parameter;

import java.util.List;

/**
 * Adam (Kingma and Ba, 2015), as PyTorch computes it:
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}, {@code t} counting this
 * parameter's steps. Weight decay here is the L2 kind ({@code g += weightDecay * w}); see
 * {@link AdamW} for the decoupled kind. Row-sparse parameters update only the touched rows and
 * their moments, as PyTorch's {@code SparseAdam}.
 */
public class Adam extends Optimizer {

    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupledWeightDecay;
    private final float[][] moments; // per parameter: m and v interleaved, m_i at 2i, v_i at 2i + 1
    private final long[] paramSteps;
    private float stepSize, invSqrtBias2, decayFactor;

    public Adam(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(params, lr, beta1, beta2, eps, weightDecay, false);
    }

    Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
         boolean decoupledWeightDecay) {
        super(params, lr);
        checkNonNegative(lr, "lr");
        checkUnitInterval(beta1, "beta1");
        checkUnitInterval(beta2, "beta2");
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
        }
        checkNonNegative(weightDecay, "weightDecay");
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.decoupledWeightDecay = decoupledWeightDecay;
        this.moments = new float[params.size()][];
        this.paramSteps = new long[params.size()];
    }

    @Override
    protected void beginParameter(int index, double lr, int size) {
        if (moments[index] == null) {
            // One array, the two moments of an element side by side: a sparse row's state is
            // one contiguous block, one cache-miss stream instead of two.
            moments[index] = new float[2 * size];
        }
        long t = ++paramSteps[index];
        stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        invSqrtBias2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        decayFactor = decoupledWeightDecay ? (float) (1 - lr * weightDecay) : 1f;
    }

    @Override
    protected void update(int index, float[] w, int wo, float[] g, int go, int stateOffset, int n) {
        float[] mv = moments[index];
        float l2 = decoupledWeightDecay ? 0f : weightDecay;
        for (int i = 0; i < n; i++) {
            int s = 2 * (stateOffset + i);
            float weight = w[wo + i] * decayFactor;
            float grad = g[go + i] + l2 * w[wo + i];
            float mNew = beta1 * mv[s] + (1 - beta1) * grad;
            float vNew = beta2 * mv[s + 1] + (1 - beta2) * grad * grad;
            mv[s] = mNew;
            mv[s + 1] = vNew;
            w[wo + i] = weight - stepSize * mNew / ((float) Math.sqrt(vNew) * invSqrtBias2 + eps);
        }
    }
}

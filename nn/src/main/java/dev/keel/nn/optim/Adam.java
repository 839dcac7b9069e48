package dev.keel.nn.optim;

import dev.keel.core.kernel.Kernels;
import dev.keel.nn.autograd.Parameter;

import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015), as PyTorch computes it:
 * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}, {@code t} counting this
 * parameter's steps. Weight decay here is the L2 kind ({@code g += weightDecay * w}); see
 * {@link AdamW} for the decoupled kind. Row-sparse parameters update only the touched rows and
 * their moments, as PyTorch's {@code SparseAdam}; the moments of a large table are allocated a row
 * at a time, on the row's first update (see {@link #rowsWithState}), where {@code SparseAdam}
 * allocates them for the whole table.
 */
public class Adam extends Optimizer {

    /** The vector kernel where this JVM can run it, else the scalar loop; both give the same bits. */
    static final AdamKernel KERNEL = Kernels.loadVectorImplementation(MethodHandles.lookup(),
            "dev.keel.nn.optim.VectorAdamKernel", AdamKernel.class).orElse(AdamKernel.SCALAR);

    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupledWeightDecay;
    private final ParameterState[] moments; // per parameter: arrays 0 (m) and 1 (v), null until first update
    private final long[] paramSteps;
    private final AdamKernel.Coefficients[] coefficients; // per parameter: updates of several may interleave

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
        this.moments = new ParameterState[params.size()];
        this.paramSteps = new long[params.size()];
        this.coefficients = new AdamKernel.Coefficients[params.size()];
        for (int i = 0; i < coefficients.length; i++) {
            coefficients[i] = new AdamKernel.Coefficients();
        }
    }

    @Override
    protected void beginParameter(int index, double lr, int size) {
        if (moments[index] == null) {
            moments[index] = ParameterState.zeros(parameter(index).data(), 2);
        }
        long t = ++paramSteps[index];
        AdamKernel.Coefficients c = coefficients[index];
        c.beta1 = beta1;
        c.oneMinusBeta1 = 1f - beta1;
        c.beta2 = beta2;
        c.oneMinusBeta2 = 1f - beta2;
        c.eps = eps;
        c.stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        c.invSqrtBias2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        c.decay = decoupledWeightDecay ? (float) (1 - lr * weightDecay) : 1f;
        c.l2 = decoupledWeightDecay ? 0f : weightDecay;
    }

    @Override
    protected float touchState(int index, int stateOffset, int n) {
        return moments[index].touch(stateOffset, n, FLOATS_PER_CACHE_LINE);
    }

    @Override
    protected void update(int index, float[] w, int wo, float[] g, int go, int stateOffset, int n) {
        ParameterState s = moments[index];
        AdamKernel.Coefficients c = coefficients[index];
        if (!s.lazy()) {
            KERNEL.update(c, w, wo, g, go, s.dense(0), stateOffset, s.dense(1), stateOffset, n);
            return;
        }
        int cols = s.cols(); // updates come as whole rows (a row, or the whole matrix)
        for (int done = 0; done < n; done += cols) {
            int slot = s.slot((stateOffset + done) / cols);
            float[] page = s.page(slot);
            KERNEL.update(c, w, wo + done, g, go + done, page, s.offset(0, slot), page, s.offset(1, slot), cols);
        }
    }

    /**
     * Rows of parameter {@code index} that hold moments: all of them for a small parameter once it
     * has been updated, only the rows updated so far for a matrix of at least 8,192 rows (an
     * embedding table), 0 before the first update.
     */
    public int rowsWithState(int index) {
        ParameterState s = moments[index];
        return s == null ? 0 : s.rowsWithState();
    }
}

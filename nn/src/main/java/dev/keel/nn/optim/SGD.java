package dev.keel.nn.optim;

import dev.keel.nn.autograd.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent, as PyTorch's {@code SGD} without dampening:
 * {@code g += weightDecay * w; buf = momentum * buf + g; w -= lr * (nesterov ? g + momentum * buf : buf)}
 * (plain {@code w -= lr * g} without momentum). Row-sparse parameters update touched rows only;
 * the momentum buffer of a large table is allocated a row at a time, on the row's first update.
 */
public final class SGD extends Optimizer {

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final ParameterState[] buffers; // null without momentum, or until first update
    private float lr;

    public SGD(List<Parameter> params, double lr) {
        this(params, lr, 0, false, 0);
    }

    public SGD(List<Parameter> params, double lr, double momentum, boolean nesterov, double weightDecay) {
        super(params, lr);
        checkNonNegative(lr, "lr");
        checkUnitInterval(momentum, "momentum");
        checkNonNegative(weightDecay, "weightDecay");
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
        this.buffers = new ParameterState[params.size()];
    }

    @Override
    protected void beginParameter(int index, double lr, int size) {
        this.lr = (float) lr;
        if (momentum != 0 && buffers[index] == null) {
            buffers[index] = ParameterState.zeros(parameter(index).data(), 1);
        }
    }

    @Override
    protected float touchState(int index, int stateOffset, int n) {
        ParameterState s = buffers[index];
        return s == null ? 0f : s.touch(stateOffset, n, FLOATS_PER_CACHE_LINE);
    }

    @Override
    protected void update(int index, float[] w, int wo, float[] g, int go, int stateOffset, int n) {
        ParameterState s = buffers[index];
        if (s == null) {
            update(w, wo, g, go, null, 0, n);
        } else if (!s.lazy()) {
            update(w, wo, g, go, s.dense(0), stateOffset, n);
        } else {
            int cols = s.cols(); // updates come as whole rows (a row, or the whole matrix)
            for (int done = 0; done < n; done += cols) {
                int slot = s.slot((stateOffset + done) / cols);
                update(w, wo + done, g, go + done, s.page(slot), s.offset(0, slot), cols);
            }
        }
    }

    private void update(float[] w, int wo, float[] g, int go, float[] buf, int bo, int n) {
        for (int i = 0; i < n; i++) {
            float grad = g[go + i] + weightDecay * w[wo + i];
            if (buf != null) {
                float b = momentum * buf[bo + i] + grad;
                buf[bo + i] = b;
                grad = nesterov ? grad + momentum * b : b;
            }
            w[wo + i] -= lr * grad;
        }
    }
}

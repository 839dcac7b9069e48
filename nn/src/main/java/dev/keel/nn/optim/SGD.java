package dev.keel.nn.optim;

import dev.keel.nn.autograd.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent, as PyTorch's {@code SGD} without dampening:
 * {@code g += weightDecay * w; buf = momentum * buf + g; w -= lr * (nesterov ? g + momentum * buf : buf)}
 * (plain {@code w -= lr * g} without momentum). Row-sparse parameters update touched rows only.
 */
public final class SGD extends Optimizer {

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final float[][] buffers;
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
        this.buffers = new float[params.size()][];
    }

    @Override
    protected void beginParameter(int index, double lr, int size) {
        this.lr = (float) lr;
        if (momentum != 0 && buffers[index] == null) {
            buffers[index] = new float[size];
        }
    }

    @Override
    protected float touchState(int index, int stateOffset, int n) {
        float[] buf = buffers[index];
        float sum = 0;
        if (buf != null) {
            for (int j = 0; j < n; j += FLOATS_PER_CACHE_LINE) {
                sum += buf[stateOffset + j];
            }
        }
        return sum;
    }

    @Override
    protected void update(int index, float[] w, int wo, float[] g, int go, int stateOffset, int n) {
        float[] buf = buffers[index];
        for (int i = 0; i < n; i++) {
            float grad = g[go + i] + weightDecay * w[wo + i];
            if (buf != null) {
                float b = momentum * buf[stateOffset + i] + grad;
                buf[stateOffset + i] = b;
                grad = nesterov ? grad + momentum * b : b;
            }
            w[wo + i] -= lr * grad;
        }
    }
}

package dev.keel.nn.optim;

import dev.keel.nn.autograd.Parameter;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as PyTorch's {@code AdamW}:
 * {@code w *= 1 - lr * weightDecay} before the Adam update, on touched rows only for row-sparse
 * parameters. PyTorch's default decay is 0.01.
 */
public final class AdamW extends Adam {

    public AdamW(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay, true);
    }
}

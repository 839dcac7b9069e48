package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.autograd.Value;

import java.util.Arrays;

/**
 * A dense layer {@code y = x W^T + b}: input {@code [batch x in]}, output {@code [batch x out]},
 * weight {@code [out x in]} as in PyTorch. Weights start Xavier-uniform, the bias at zero.
 */
public final class Linear extends Layer {

    private final Parameter weight;
    private final Parameter bias;

    /** A layer with a bias. */
    public Linear(int in, int out, KeelRandom random) {
        this(in, out, true, random);
    }

    public Linear(int in, int out, boolean withBias, KeelRandom random) {
        this(Init.xavierUniform(Tensor.zeros(checkedSize(out, in), in), random), withBias ? Tensor.zeros(out) : null);
    }

    private Linear(Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || (bias != null && (bias.rank() != 1 || bias.size() != weight.dim(0)))) {
            throw new IllegalArgumentException("Linear needs weight [out x in] and bias [out], got "
                    + Arrays.toString(weight.shape()) + " and " + (bias == null ? "none" : Arrays.toString(bias.shape())));
        }
        this.weight = registerParameter("weight", Parameter.dense(weight));
        this.bias = bias == null ? null : registerParameter("bias", Parameter.dense(bias));
    }

    /** A layer over existing tensors (shared, not copied): weight {@code [out x in]}, bias {@code [out]} or null. */
    public static Linear fromWeights(Tensor weight, Tensor bias) {
        return new Linear(weight, bias);
    }

    private static int checkedSize(int out, int in) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in " + in + ", out " + out);
        }
        return out;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return weight.data().dim(1);
    }

    public int outFeatures() {
        return weight.data().dim(0);
    }

    @Override
    public Value forward(Value input) {
        return Functional.linear(input, weight, bias);
    }
}

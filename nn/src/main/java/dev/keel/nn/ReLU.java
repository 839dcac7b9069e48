package dev.keel.nn;

import dev.keel.nn.autograd.Value;

/** {@code max(x, 0)}, elementwise. */
public final class ReLU extends Layer {

    public ReLU() {
    }

    @Override
    public Value forward(Value input) {
        return input.relu();
    }
}

package dev.keel.nn;

import dev.keel.nn.autograd.Value;

/** {@code tanh(x)}, elementwise. */
public final class Tanh extends Layer {

    public Tanh() {
    }

    @Override
    public Value forward(Value input) {
        return input.tanh();
    }
}

package dev.keel.nn;

import dev.keel.nn.autograd.Value;

/** The logistic function {@code 1 / (1 + exp(-x))}, elementwise. */
public final class Sigmoid extends Layer {

    public Sigmoid() {
    }

    @Override
    public Value forward(Value input) {
        return input.sigmoid();
    }
}

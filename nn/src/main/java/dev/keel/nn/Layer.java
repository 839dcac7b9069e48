package dev.keel.nn;

import dev.keel.nn.autograd.Value;

/** A module that maps one value to another, so layers can be chained in a {@link Sequential}. */
public abstract class Layer extends Module {

    protected Layer() {
    }

    public abstract Value forward(Value input);
}

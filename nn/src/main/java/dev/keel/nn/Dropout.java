package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.Value;
import dev.keel.nn.ops.ElementOps;

/**
 * Inverted dropout with probability {@code p} in training mode, the identity in evaluation mode.
 * Masks come from the layer's own seeded {@link KeelRandom}, so a run is reproducible.
 */
public final class Dropout extends Layer {

    private final float p;
    private final KeelRandom random;

    public Dropout(float p, KeelRandom random) {
        ElementOps.checkDropoutProbability(p);
        this.p = p;
        this.random = random;
    }

    public float p() {
        return p;
    }

    @Override
    public Value forward(Value input) {
        return Functional.dropout(input, p, random, isTraining());
    }
}

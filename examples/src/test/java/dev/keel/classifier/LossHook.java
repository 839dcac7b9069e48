package dev.keel.classifier;

import dev.keel.nn.loss.Loss;

import java.util.function.UnaryOperator;

/**
 * Fault injection for the command line's tests: wraps the loss of every training run (to make
 * chosen batches' loss or gradient non-finite). In {@code TrainingRun}'s package, on the test class
 * path only, since the hook it sets is package-private.
 */
public final class LossHook {

    private LossHook() {
    }

    /** Wraps each later run's loss with {@code hook}; null removes it. */
    public static void set(UnaryOperator<Loss> hook) {
        TrainingRun.lossHookForTests = hook;
    }
}

package dev.keel.nn.optim;

/**
 * A learning rate as a function of the optimizer step ({@code 0} for the first step). An
 * {@link Optimizer} asks its schedule at every {@link Optimizer#step()}.
 */
@FunctionalInterface
public interface LrSchedule {

    /** The learning rate for the step that has {@code step} steps before it. */
    double learningRate(long step);

    /** The same rate at every step. */
    static LrSchedule constant(double lr) {
        checkRate(lr, "lr");
        return step -> lr;
    }

    /** From {@code lr} down to 0 at {@code totalSteps} in a straight line (fastText's schedule), then 0. */
    static LrSchedule linearDecay(double lr, long totalSteps) {
        return linearDecay(lr, 0, totalSteps);
    }

    /** From {@code lr} to {@code endLr} at {@code totalSteps} in a straight line, then {@code endLr}. */
    static LrSchedule linearDecay(double lr, double endLr, long totalSteps) {
        checkRate(lr, "lr");
        checkRate(endLr, "endLr");
        checkSteps(totalSteps, "totalSteps");
        return step -> step >= totalSteps ? endLr : lr + (endLr - lr) * ((double) step / totalSteps);
    }

    /** Half a cosine from {@code lr} to {@code minLr} over {@code totalSteps} (Loshchilov and Hutter), then {@code minLr}. */
    static LrSchedule cosine(double lr, double minLr, long totalSteps) {
        checkRate(lr, "lr");
        checkRate(minLr, "minLr");
        checkSteps(totalSteps, "totalSteps");
        return step -> step >= totalSteps ? minLr
                : minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
    }

    /** {@code lr * gamma^(step / stepSize)}: multiplied by {@code gamma} every {@code stepSize} steps. */
    static LrSchedule step(double lr, long stepSize, double gamma) {
        checkRate(lr, "lr");
        checkSteps(stepSize, "stepSize");
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("step schedule needs 0 < gamma <= 1, got " + gamma);
        }
        return step -> lr * Math.pow(gamma, (double) (step / stepSize));
    }

    /** This schedule after a linear warm-up from near 0 over the first {@code warmupSteps} steps. */
    default LrSchedule withWarmup(long warmupSteps) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        LrSchedule after = this;
        return step -> step < warmupSteps ? after.learningRate(step) * (step + 1) / warmupSteps
                : after.learningRate(step);
    }

    private static void checkRate(double lr, String name) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + lr);
        }
    }

    private static void checkSteps(long steps, String name) {
        if (steps <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + steps);
        }
    }
}

package dev.keel.nn.testing;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.autograd.GradCheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers: random inputs and gradient-check assertions. */
public final class Checks {

    private Checks() {
    }

    public static void assertPasses(GradCheck.Result result) {
        assertTrue(result.passed(), result.toString());
        assertTrue(result.checked() > 0, "nothing was checked");
    }

    /** Normal(0, 1) draws. */
    public static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new KeelRandom(seed), 0f, 1f, shape);
    }

    /** Normal draws pushed at least {@code margin} away from 0, for functions with a kink there. */
    public static Tensor awayFromZero(long seed, float margin, int... shape) {
        Tensor t = randn(seed, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.copySign(Math.abs(d[i]) + margin, d[i]);
        }
        return t;
    }
}

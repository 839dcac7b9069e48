package dev.keel.nn.optim;

import dev.keel.core.KeelRandom;
import dev.keel.core.kernel.Kernels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vector Adam kernel performs the scalar loop's operations in the same order: same bits. */
class AdamKernelTest {

    @Test
    void vectorKernelIsBitIdenticalToTheScalarLoop() {
        AdamKernel vector = Kernels.loadVectorImplementation(MethodHandles.lookup(),
                "dev.keel.nn.optim.VectorAdamKernel", AdamKernel.class).orElse(null);
        Assumptions.assumeTrue(vector != null, "no vector path in this JVM (" + Kernels.describe() + ")");
        assertEquals(vector.getClass(), Adam.KERNEL.getClass(), "Adam uses the vector kernel where it loads");
        KeelRandom r = new KeelRandom(1);
        for (int n : new int[] {0, 1, 7, 16, 17, 64, 100, 1000}) {
            for (boolean decoupled : new boolean[] {false, true}) {
                AdamKernel.Coefficients c = new AdamKernel.Coefficients();
                c.beta1 = 0.9f;
                c.oneMinusBeta1 = 1f - c.beta1;
                c.beta2 = 0.999f;
                c.oneMinusBeta2 = 1f - c.beta2;
                c.eps = 1e-8f;
                c.stepSize = 0.0123f;
                c.invSqrtBias2 = 7.1f;
                c.decay = decoupled ? 0.999f : 1f;
                c.l2 = decoupled ? 0f : 0.01f;
                int wo = 3, go = 5, so = 2;
                float[] w = random(r, wo + n), g = random(r, go + n), m = random(r, so + n), v = random(r, so + n);
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.abs(v[i]) * (i % 3 == 0 ? 1e-12f : 1f); // tiny second moments: eps matters
                }
                float[] w2 = w.clone(), m2 = m.clone(), v2 = v.clone();
                for (int step = 0; step < 3; step++) {
                    AdamKernel.SCALAR.update(c, w, wo, g, go, m, so, v, so, n);
                    vector.update(c, w2, wo, g, go, m2, so, v2, so, n);
                }
                assertBits(w, w2, "w, n = " + n);
                assertBits(m, m2, "m, n = " + n);
                assertBits(v, v2, "v, n = " + n);
            }
        }
    }

    private static float[] random(KeelRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + " element " + i);
        }
    }
}

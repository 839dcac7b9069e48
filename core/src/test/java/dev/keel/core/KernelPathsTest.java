package dev.keel.core;

import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelPathsTest {

    @Test
    void activePathFollowsTheSwitchAndModule() {
        boolean forcedScalar = "false".equals(System.getProperty(Kernels.SIMD_PROPERTY));
        boolean moduleThere = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (forcedScalar || !moduleThere) {
            assertFalse(Kernels.simdActive(), Kernels.describe());
            assertEquals("scalar", Kernels.active().name());
        } else {
            assertTrue(Kernels.simdActive(), Kernels.describe());
            assertTrue(Kernels.active().floatLanes() >= 4, Kernels.describe());
        }
        assertTrue(Kernels.describe().startsWith("keel kernels: "));
    }

    @Test
    void vectorDotMatchesScalarOnOddLengths() {
        FloatKernels vector = Kernels.vector().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null, "no vector path in this JVM");
        KeelRandom random = new KeelRandom(7);
        for (int n : new int[] {0, 1, 3, 7, 15, 16, 17, 31, 33, 100, 1023}) {
            float[] a = Tensor.randn(random, 0f, 1f, n).toArray();
            float[] b = Tensor.randn(random, 0f, 1f, n).toArray();
            double exact = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) a[i] * b[i];
            }
            assertEquals(exact, vector.dot(a, 0, b, 0, n), 1e-4 * Math.sqrt(n + 1));
            assertEquals(exact, Kernels.scalar().dot(a, 0, b, 0, n), 1e-4 * Math.sqrt(n + 1));
        }
    }
}

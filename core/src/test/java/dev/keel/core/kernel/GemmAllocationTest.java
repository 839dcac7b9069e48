package dev.keel.core.kernel;

import dev.keel.core.testing.Allocations;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed GEMM keeps its packing buffers per thread, so a training loop that multiplies the
 * same shapes step after step allocates nothing once warm. Checked on the scalar path: the vector
 * path's objects are only scalar-replaced after C2 compiles it, which JMH's {@code -prof gc} measures.
 */
class GemmAllocationTest {

    @Test
    void packedProductsAllocateNothingOnceWarm() {
        Assumptions.assumeTrue(Allocations.supported(), "no per-thread allocation counter");
        FloatKernels kernels = Kernels.scalar();
        int m = 64, k = 96, n = 80; // large enough for the packed path in all three forms
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) - 3;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 5) - 2;
        }
        for (int warm = 0; warm < 3; warm++) { // grows this thread's buffers
            multiplyAllForms(kernels, a, b, c, m, k, n);
        }
        long before = Allocations.currentThreadAllocatedBytes();
        for (int step = 0; step < 20; step++) {
            multiplyAllForms(kernels, a, b, c, m, k, n);
        }
        long perStep = (Allocations.currentThreadAllocatedBytes() - before) / 20;
        assertTrue(perStep < 64, perStep + " bytes allocated per round of products");
    }

    private static void multiplyAllForms(FloatKernels kernels, float[] a, float[] b, float[] c, int m, int k, int n) {
        kernels.matmul(a, 0, b, 0, c, 0, m, k, n, false);
        kernels.matmulTransB(a, 0, b, 0, c, 0, m, k, n, true); // b read as n x k: same length
        kernels.matmulTransA(a, 0, b, 0, c, 0, m, k, n, true); // a read as k x m
    }
}

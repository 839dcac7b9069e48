package dev.keel.core.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector kernels give the same bits before and after the JIT has compiled them: code runs
 * interpreted (the Vector API's Java fallback) until C2 compiles it, and a reduction whose order
 * differs between the two made results depend on warm-up, so that the same training on one or two
 * threads, or twice, could differ in the last bit. A child JVM computes a digest of kernel results
 * interpreted only ({@code -Xint}); this JVM computes it after thousands of warm-up calls.
 */
class JitStateTest {

    @Test
    void vectorKernelsGiveTheSameBitsInterpretedAndCompiled() throws Exception {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "no vector path in this JVM");
        FloatKernels vector = Kernels.vector().get();
        long compiled = 0;
        for (int rep = 0; rep < 4000; rep++) {
            compiled = digest(vector);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), JitStateTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertTrue(out.contains("keel kernels: vector path"), out);
        assertEquals("digest " + Long.toHexString(compiled), out.lines().filter(l -> l.startsWith("digest "))
                .findFirst().orElse(out), "interpreted (child) against compiled (this JVM)");
    }

    /** Child entry point: the digest with the kernels interpreted. */
    public static void main(String[] args) {
        System.out.println(Kernels.describe());
        System.out.println("digest " + Long.toHexString(digest(Kernels.vector().orElseThrow())));
    }

    /** Bits of dot, sum, softmax and log-softmax rows and a small product, over fixed inputs. */
    static long digest(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(11);
        int n = 3 * k.floatLanes() * 4 + 5; // the unrolled loop, the single-vector loop and a tail
        float[] a = new float[n], b = new float[n], out = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }
        long h = Float.floatToRawIntBits(k.dot(a, 0, b, 0, n));
        h = 31 * h + Float.floatToRawIntBits(k.sum(a, 1, n - 1));
        k.softmaxRows(a, 0, out, 0, 1, n);
        h = 31 * h + hash(out);
        k.logSoftmaxRows(b, 0, out, 0, 1, n);
        h = 31 * h + hash(out);
        float[] c = new float[4 * 4];
        k.matmulTransB(a, 0, b, 0, c, 0, 4, n / 4, 4, false);
        return 31 * h + hash(c);
    }

    private static long hash(float[] x) {
        long h = 0;
        for (float v : x) {
            h = 31 * h + Float.floatToRawIntBits(v);
        }
        return h;
    }
}

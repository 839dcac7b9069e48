package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.BagOfEmbeddingsClassifier.Config;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.loss.CrossEntropy;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.Optimizer;
import dev.keel.nn.testing.ToyText;
import dev.keel.nn.testing.ToyText.Batch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training gives the same bits whether the JIT has compiled the vector kernels or not: a child
 * JVM trains interpreted only ({@code -Xint}, one thread), this JVM trains the same models after
 * thousands of warm-up steps, on two threads. Before the kernels' lane sums got a fixed order,
 * JDK 25 gave different bits before and after compilation, which showed up as runs on one and
 * two threads (or two runs) differing in the last bit.
 */
class JitStateTrainingTest {

    /** A 10-class model (the loss kernel's across-rows tiles) and an 80-class one (along the rows). */
    private static final List<Config> CONFIGS = List.of(new Config(2000, 64, 0, 10, 0.1f, 5),
            new Config(600, 32, 8, 80, 6));

    @Test
    void trainingGivesTheSameBitsInterpretedOnOneThreadAndCompiledOnTwo() throws Exception {
        Assumptions.assumeTrue(Kernels.simdActive(), "the scalar path has no Vector API fallback to differ from");
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int rep = 0; rep < 3; rep++) { // warm-up: C2 compiles the step's kernels
                digest(pool, 400);
            }
            long compiled = digest(pool, 4);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                    "-cp", System.getProperty("java.class.path"), JitStateTrainingTest.class.getName())
                    .redirectErrorStream(true).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(300, TimeUnit.SECONDS), "child JVM did not finish");
            assertEquals("digest " + Long.toHexString(compiled), out.lines().filter(l -> l.startsWith("digest "))
                    .findFirst().orElse(out), "interpreted on one thread (child) against compiled on two (this JVM)");
        }
    }

    /** Child entry point: the digest of the interpreted training, on the calling thread only. */
    public static void main(String[] args) {
        System.out.println("digest " + Long.toHexString(digest(null, 4)));
    }

    /** Trains each model {@code steps} steps from its seed; a digest of the losses and all parameters. */
    static long digest(WorkerPool pool, int steps) {
        long h = 0;
        for (Config c : CONFIGS) {
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
            Optimizer opt = new Adam(model.parameters(), 0.01);
            KeelRandom data = new KeelRandom(c.seed() + 1);
            for (int s = 0; s < steps; s++) {
                Batch b = ToyText.batch(data, 48, c.classes(), c.buckets(), 10);
                double loss = pool == null
                        ? model.trainStep(b.bags(), b.targets(), FusedLoss.of(new CrossEntropy()), opt)
                        : model.trainStep(b.bags(), b.targets(), FusedLoss.of(new CrossEntropy()), opt, pool);
                h = 31 * h + Double.doubleToRawLongBits(loss);
            }
            for (Parameter p : model.parameters()) {
                for (float v : p.data().toArray()) {
                    h = 31 * h + Float.floatToRawIntBits(v);
                }
            }
        }
        return h;
    }
}

package dev.keel.bench;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.WorkerPool;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.loss.CrossEntropy;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.Optimizer;
import dev.keel.nn.optim.SGD;
import dev.keel.nn.testing.TestLosses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One full training step of the bag-of-embeddings classifier: embedding-bag forward, dense
 * layer(s), fused loss, backward, row-sparse optimizer update (and the zeroing of the touched
 * rows). Run with {@code -prof gc} to see the bytes allocated per step ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * mvn -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar TrainStepBench -prof gc
 * java -jar bench/target/benchmarks.jar TrainStepBench -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc   # brief
 * </pre>
 *
 * Text ids are drawn log-uniformly over the buckets (a heavy head of frequent ids, as in real
 * text), 50 to 150 per text (100 on average); 64 batches are prepared and cycled through.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class TrainStepBench {

    private static final int PREPARED_BATCHES = 64;

    @Param({"32", "256"})
    int batch;

    @Param({"2", "10"})
    int classes;

    @Param({"64"})
    int dim;

    @Param({"0"})
    int hidden;

    @Param({"2000000"})
    int buckets;

    @Param({"100"})
    int idsPerText;

    /** {@code adam} (lazy sparse Adam on the table, as PyTorch's SparseAdam) or {@code sgd}. */
    @Param({"adam"})
    String optimizer;

    /**
     * {@code project}: the project's cross-entropy kernel ({@code FusedLoss.of(new CrossEntropy())});
     * {@code reference}: nn's double-precision reference, {@code TestLosses.crossEntropy()} (to compare with
     * runs from before the kernels existed).
     */
    @Param({"project"})
    String lossKernel;

    /** Threads of the step's {@link WorkerPool} (1: the calling thread only). */
    @Param({"1"})
    int threads;

    private BagOfEmbeddingsClassifier model;
    private Optimizer opt;
    private Loss loss;
    private int[][] ids;
    private int[][] offsets;
    private int[][] targets;
    private WorkerPool pool;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(buckets, dim, hidden, classes, 1));
        opt = optimizer.equals("sgd") ? new SGD(model.parameters(), 0.1) : new Adam(model.parameters(), 1e-3);
        loss = lossKernel.equals("reference") ? TestLosses.crossEntropy() : FusedLoss.of(new CrossEntropy());
        KeelRandom random = new KeelRandom(2);
        ids = new int[PREPARED_BATCHES][];
        offsets = new int[PREPARED_BATCHES][];
        targets = new int[PREPARED_BATCHES][];
        for (int b = 0; b < PREPARED_BATCHES; b++) {
            offsets[b] = new int[batch + 1];
            targets[b] = new int[batch];
            int[] batchIds = new int[batch * (idsPerText * 3 / 2 + 1)];
            int n = 0;
            for (int t = 0; t < batch; t++) {
                int length = idsPerText / 2 + random.nextInt(idsPerText + 1);
                for (int i = 0; i < length; i++) {
                    batchIds[n++] = (int) Math.pow(buckets, random.nextDouble()) - 1;
                }
                offsets[b][t + 1] = n;
                targets[b][t] = random.nextInt(classes);
            }
            ids[b] = batchIds;
        }
        pool = new WorkerPool(threads);
        System.out.println(Kernels.describe() + "; loss: " + loss.getClass().getName() + "; threads: " + threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public double trainStep() {
        int b = next;
        next = (next + 1) % PREPARED_BATCHES;
        return model.trainStep(new IdBags(ids[b], offsets[b], batch, 0), targets[b], loss, opt, pool);
    }
}

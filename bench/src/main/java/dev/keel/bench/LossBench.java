package dev.keel.bench;

import dev.keel.core.KeelRandom;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.LossKernels;
import dev.keel.nn.loss.LossKind;
import dev.keel.nn.loss.LossSyntax;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The fused loss kernels, forward and backward (loss and gradient at the logits) in one call, per
 * kind, shape and kernel path. The binary kinds take one logit per row, so a shape
 * {@code rows x classes} runs them on {@code rows * classes} rows: the same number of logits.
 * Divide the score (ns per call) by {@code rows * classes} for ns per logit. The vector path runs
 * about a thousand times slower until C2 has compiled it (the Vector API boxes every vector in the
 * interpreter and C1), which takes seconds on a loaded machine: keep the warm-up long.
 *
 * <pre>java -jar bench/target/benchmarks.jar LossBench -rf json -rff loss-bench.json</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class LossBench {

    /** rows x classes. */
    @Param({"4096x2", "4096x10", "65536x2", "1024x1000"})
    public String shape;

    /** The kind's name in the loss specification. */
    @Param({"ce", "weighted_ce", "gated", "soft_gated", "focal", "bce", "sigmoid_focal", "gated_bce"})
    public String kind;

    /** {@code vector} or {@code scalar}. */
    @Param({"vector", "scalar"})
    public String path;

    private FusedLoss loss;
    private float[] logits;
    private int[] targets;
    private float[] grad;
    private int rows;
    private int classes;

    @Setup
    public void setUp() {
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        classes = Integer.parseInt(rc[1]);
        boolean binary = LossSyntax.forKind(kind).binary();
        if (binary) {
            rows *= classes;
            classes = 1;
        }
        LossKernels kernels = path.equals("scalar") ? LossKernels.scalar()
                : LossKernels.vector().orElseThrow(() -> new IllegalStateException(
                        "no vector loss kernels in this JVM (needs --add-modules jdk.incubator.vector)"));
        loss = lossFor(kind, binary ? 2 : classes).withKernels(kernels);
        KeelRandom random = new KeelRandom(20190101L);
        logits = new float[rows * classes];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (3 * random.nextGaussian());
        }
        targets = new int[rows];
        for (int i = 0; i < rows; i++) {
            targets[i] = random.nextInt(binary ? 2 : classes);
        }
        grad = new float[logits.length];
    }

    /**
     * Each kind with typical parameters, written in the loss syntax: the report's margin 0.7 (above
     * 1/classes), sharpness 10, gamma 2, sigmoid_focal's alpha 0.25, class weights 1, 2, 3, 1, ...
     */
    static FusedLoss lossFor(String kind, int classes) {
        LossSyntax syntax = LossSyntax.forKind(kind);
        if (syntax == null) {
            throw new IllegalArgumentException("unknown loss kind " + kind);
        }
        StringBuilder text = new StringBuilder(kind);
        if (syntax.option("m") != null) {
            text.append(":m=").append(Math.max(0.7f, (1f + 1f / classes) / 2));
        }
        if (syntax.option("k") != null) {
            text.append(":k=10");
        }
        if (syntax.option("g") != null) {
            text.append(":g=2");
        }
        if (syntax.option("a") != null && !syntax.option("a").perClass()) {
            text.append(":a=0.25");
        }
        if (syntax.option("w") != null) {
            text.append(":w=");
            for (int c = 0; c < classes; c++) {
                text.append(c > 0 ? "/" : "").append(1 + c % 3);
            }
        }
        return FusedLoss.of(LossKind.parse(text.toString()));
    }

    @Benchmark
    public double forwardBackward() {
        return loss.compute(logits, rows, classes, targets, grad);
    }
}

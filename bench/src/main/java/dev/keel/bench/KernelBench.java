package dev.keel.bench;

import dev.keel.core.KeelRandom;
import dev.keel.core.kernel.FloatKernels;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Elementwise kernels on {@code size} floats, keel's vector path against its scalar path:
 * {@code exp}, {@code dot}, and {@code softmax} over rows of {@code cols} columns (a row costs two
 * lane reductions and a reciprocal besides its elements, so narrow rows gain less from vectors).
 * Inputs are normal draws with standard deviation 4, so exp sees a realistic spread of exponents.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KernelBench {

    @Param({"1024", "65536"})
    public int size;

    /** {@code vector} or {@code scalar}. */
    @Param({"vector", "scalar"})
    public String path;

    private FloatKernels kernels;
    private float[] x;
    private float[] y;
    private float[] out;

    @Setup(Level.Trial)
    public void setUp() {
        kernels = GemmBench.kernelsFor(path);
        if (kernels == null) {
            throw new IllegalArgumentException("KernelBench compares keel's paths only: vector or scalar, not " + path);
        }
        KeelRandom random = new KeelRandom(7);
        x = GemmBench.randomArray(random, size);
        y = GemmBench.randomArray(random, size);
        for (int i = 0; i < size; i++) {
            x[i] *= 4f;
        }
        out = new float[size];
    }

    @Benchmark
    public float exp() {
        kernels.exp(x, 0, out, 0, size);
        return out[size - 1];
    }

    /** The softmax row width; a separate state so that only {@link #softmax} runs once per width. */
    @State(Scope.Thread)
    public static class SoftmaxRows {
        @Param({"16", "128", "1024"})
        public int cols;
    }

    @Benchmark
    public float softmax(SoftmaxRows rows) {
        kernels.softmaxRows(x, 0, out, 0, size / rows.cols, rows.cols);
        return out[size - 1];
    }

    @Benchmark
    public float dot() {
        return kernels.dot(x, 0, y, 0, size);
    }
}

package dev.keel.bench;

import dev.keel.core.KeelRandom;
import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
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
 * Square single-precision GEMM, {@code C = op(A) . op(B)} with {@code n x n} operands: keel's
 * vector path, keel's scalar path and EJML's single-threaded {@code CommonOps_FDRM} on the same
 * data. Every form keel's layers use is measured: {@code AB} (matmul), {@code ABt} (matmulTransB,
 * a Linear forward pass) and {@code AtB} (matmulTransA, its weight gradient).
 *
 * <p>GFLOP/s = {@code 2 n^3 / time}. The vector path needs {@code jdk.incubator.vector}; the fork
 * adds it, and the {@code vector} runs fail loudly if the JVM still cannot use it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {

    @Param({"64", "256", "480", "960"})
    public int n;

    /** {@code vector}, {@code scalar} (keel's two kernel paths) or {@code ejml}. */
    @Param({"vector", "scalar", "ejml"})
    public String path;

    /** {@code AB}, {@code ABt} or {@code AtB}. */
    @Param({"AB", "ABt", "AtB"})
    public String form;

    private FloatKernels kernels;
    private float[] a;
    private float[] b;
    private float[] c;
    private FMatrixRMaj ea;
    private FMatrixRMaj eb;
    private FMatrixRMaj ec;

    @Setup(Level.Trial)
    public void setUp() {
        KeelRandom random = new KeelRandom(42);
        a = randomArray(random, n * n);
        b = randomArray(random, n * n);
        c = new float[n * n];
        ea = new FMatrixRMaj(n, n);
        eb = new FMatrixRMaj(n, n);
        ec = new FMatrixRMaj(n, n);
        System.arraycopy(a, 0, ea.data, 0, a.length);
        System.arraycopy(b, 0, eb.data, 0, b.length);
        kernels = kernelsFor(path);
        if (!form.equals("AB") && !form.equals("ABt") && !form.equals("AtB")) {
            throw new IllegalArgumentException("unknown form '" + form + "', expected AB, ABt or AtB");
        }
    }

    @Benchmark
    public float gemm() {
        if (kernels == null) {
            switch (form) {
                case "AB" -> CommonOps_FDRM.mult(ea, eb, ec);
                case "ABt" -> CommonOps_FDRM.multTransB(ea, eb, ec);
                default -> CommonOps_FDRM.multTransA(ea, eb, ec);
            }
            return ec.data[0];
        }
        switch (form) {
            case "AB" -> kernels.matmul(a, 0, b, 0, c, 0, n, n, n, false);
            case "ABt" -> kernels.matmulTransB(a, 0, b, 0, c, 0, n, n, n, false);
            default -> kernels.matmulTransA(a, 0, b, 0, c, 0, n, n, n, false);
        }
        return c[0];
    }

    /** The keel kernels named by {@code path}, or null for EJML. */
    static FloatKernels kernelsFor(String path) {
        return switch (path) {
            case "vector" -> Kernels.vector().orElseThrow(() -> new IllegalStateException(
                    "the vector path is unavailable in this JVM: " + Kernels.describe()));
            case "scalar" -> Kernels.scalar();
            case "ejml" -> null;
            default -> throw new IllegalArgumentException("unknown path '" + path + "', expected vector, scalar or ejml");
        };
    }

    static float[] randomArray(KeelRandom random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }
}

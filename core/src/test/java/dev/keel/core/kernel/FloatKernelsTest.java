package dev.keel.core.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static dev.keel.core.kernel.KernelPaths.U;
import static dev.keel.core.kernel.KernelPaths.sumErrorBound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every non-GEMM method of {@link FloatKernels} on each available path, against double-precision
 * references with error bounds derived from float rounding, on lengths around the vector width
 * (so both the vector body and the scalar tail run) and at offsets inside larger arrays. Special
 * values are placed both early (in the vector body) and last (in the tail).
 */
class FloatKernelsTest {

    /** Lengths around 4, 8 and 16 lanes and a long one; 0 checks the empty case. */
    private static final int[] LENGTHS = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 100, 1000};
    private static final int OFFSET = 3;

    static List<FloatKernels> paths() {
        return KernelPaths.available();
    }

    @ParameterizedTest
    @MethodSource("paths")
    void dotAndSumAreWithinTheSummationBound(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(1);
        for (int n : LENGTHS) {
            float[] a = gaussian(random, n + OFFSET, 1);
            float[] b = gaussian(random, n + OFFSET, 1);
            double dot = 0, absDot = 0, sum = 0, absSum = 0;
            for (int i = OFFSET; i < n + OFFSET; i++) {
                dot += (double) a[i] * b[i];
                absDot += Math.abs((double) a[i] * b[i]);
                sum += a[i];
                absSum += Math.abs(a[i]);
            }
            assertEquals(dot, k.dot(a, OFFSET, b, OFFSET, n), sumErrorBound(n + 1, absDot), k + " dot n=" + n);
            assertEquals(sum, k.sum(a, OFFSET, n), sumErrorBound(n, absSum), k + " sum n=" + n);
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void elementwiseArithmeticIsCorrectlyRounded(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(2);
        for (int n : LENGTHS) {
            float[] a = gaussian(random, n + OFFSET, 3);
            float[] b = gaussian(random, n + 1, 3);
            float[] add = new float[n + 2], sub = new float[n + 2], mul = new float[n + 2], scale = new float[n + 2];
            k.add(a, OFFSET, b, 1, add, 2, n);
            k.sub(a, OFFSET, b, 1, sub, 2, n);
            k.mul(a, OFFSET, b, 1, mul, 2, n);
            k.scale(-1.7f, a, OFFSET, scale, 2, n);
            for (int i = 0; i < n; i++) {
                float x = a[OFFSET + i], y = b[1 + i];
                // IEEE single add/sub/mul are correctly rounded: every path must give the same bits.
                assertEquals(x + y, add[2 + i], k + " add");
                assertEquals(x - y, sub[2 + i], k + " sub");
                assertEquals(x * y, mul[2 + i], k + " mul");
                assertEquals(-1.7f * x, scale[2 + i], k + " scale");
            }
            assertEquals(0f, add[0] + add[1] + sub[0] + mul[1] + scale[0], "written before the output offset");
            // In place: out aliases a.
            float[] inPlace = a.clone();
            k.add(inPlace, OFFSET, b, 1, inPlace, OFFSET, n);
            for (int i = 0; i < n; i++) {
                assertEquals(a[OFFSET + i] + b[1 + i], inPlace[OFFSET + i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void axpyIsWithinOneFusedOrTwoSeparateRoundings(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(3);
        for (int n : LENGTHS) {
            float[] x = gaussian(random, n + OFFSET, 2);
            float[] y = gaussian(random, n + 1, 2);
            float[] y0 = y.clone();
            float alpha = 0.37f;
            k.axpy(alpha, x, OFFSET, y, 1, n);
            assertEquals(y0[0], y[0], "element before the offset");
            for (int i = 0; i < n; i++) {
                double ax = (double) alpha * x[OFFSET + i];
                double exact = ax + y0[1 + i];
                assertEquals(exact, y[1 + i], sumErrorBound(2, Math.abs(ax) + Math.abs(y0[1 + i])), k + " axpy");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void maxFindsTheLargestAndPropagatesNaN(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(4);
        assertEquals(Float.NEGATIVE_INFINITY, k.max(new float[3], 1, 0), "empty max");
        for (int n : LENGTHS) {
            if (n == 0) {
                continue;
            }
            float[] x = gaussian(random, n + OFFSET, 5);
            float expected = Float.NEGATIVE_INFINITY;
            for (int i = OFFSET; i < n + OFFSET; i++) {
                expected = Math.max(expected, x[i]);
            }
            x[0] = 1e30f; // before the offset: must be ignored
            assertEquals(expected, k.max(x, OFFSET, n), k + " max n=" + n);
            for (int at : new int[] {0, n - 1}) {
                float[] withNaN = x.clone();
                withNaN[OFFSET + at] = Float.NaN;
                assertTrue(Float.isNaN(k.max(withNaN, OFFSET, n)), k + " max with NaN at " + at + " of " + n);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void reluKeepsPositivesAndNaN(FloatKernels k) {
        float[] x = {-2f, -0f, 0f, 3f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -1e-40f,
            1e-40f, -5f, 6f, -7f, 8f, -9f, 10f, -11f, 12f, -13f, 14f};
        float[] out = new float[x.length];
        k.relu(x, 0, out, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Math.max(x[i], 0f), out[i], k + " relu(" + x[i] + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void expLogTanhAreWithinTwoUlpsOnRandomInputs(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(5);
        for (int n : LENGTHS) {
            float[] x = gaussian(random, n + OFFSET, 30); // exp over most of its range, tanh saturating
            float[] pos = new float[n + OFFSET];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = (float) Math.exp(random.nextDouble(-80, 80));
            }
            checkUnary(k, "exp", k::exp, Math::exp, x, n);
            checkUnary(k, "tanh", k::tanh, Math::tanh, x, n);
            checkUnary(k, "log", k::log, Math::log, pos, n);
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void expLogTanhHandleSpecialValues(FloatKernels k) {
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f,
            88.7f, 88.8f, 100f, -87.3f, -88f, -100f, -104f, -110f, 1e-30f, Float.MIN_VALUE, Float.MIN_NORMAL,
            Float.MAX_VALUE, -Float.MAX_VALUE, 20f, -20f, 9f, -9f, 0.5f, 1e-7f, 3e38f};
        // Once in the vector body (first lanes), once in the scalar tail (last element of a long array).
        for (int pad : new int[] {0, 64 - 1}) {
            for (float v : specials) {
                float[] x = new float[pad + 1];
                Arrays.fill(x, 0.25f);
                x[pad] = v;
                float[] lead = {v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v};
                for (float[] input : new float[][] {x, lead}) {
                    int at = input == lead ? 0 : pad;
                    checkUnaryAt(k, "exp", k::exp, Math::exp, input, at);
                    checkUnaryAt(k, "tanh", k::tanh, Math::tanh, input, at);
                    checkUnaryAt(k, "log", k::log, Math::log, input, at);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void softmaxRowsMatchTheDoubleReference(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(6);
        for (int cols : new int[] {1, 2, 3, 5, 16, 17, 33, 100}) {
            int rows = 4;
            float[] x = gaussian(random, OFFSET + rows * cols, 8);
            x[OFFSET] = 1e4f; // huge logits: exp(x) overflows without the max shift
            x[OFFSET + rows * cols - 1] = -1e4f;
            float[] p = new float[rows * cols + 1];
            float[] logp = new float[rows * cols + 1];
            k.softmaxRows(x, OFFSET, p, 1, rows, cols);
            k.logSoftmaxRows(x, OFFSET, logp, 1, rows, cols);
            for (int r = 0; r < rows; r++) {
                int base = OFFSET + r * cols;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    m = Math.max(m, x[base + j]);
                }
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += Math.exp(x[base + j] - m);
                }
                double logS = Math.log(s);
                double total = 0;
                for (int j = 0; j < cols; j++) {
                    double shifted = x[base + j] - m;
                    double exactP = Math.exp(shifted) / s;
                    double got = p[1 + r * cols + j];
                    total += got;
                    // Rounding x - m costs u|x - m| relative after exp; exp itself ~2 ulps; the sum (cols + 2) u.
                    double relTol = (Math.abs(shifted) + cols + 8) * 2 * U;
                    assertEquals(exactP, got, relTol * exactP + Float.MIN_VALUE * 4,
                            k + " softmax row " + r + " col " + j + " of " + cols);
                    double exactLogP = shifted - logS;
                    double absTol = 4 * U * (Math.abs(x[base + j]) + Math.abs(m) + logS + cols);
                    assertEquals(exactLogP, logp[1 + r * cols + j], absTol,
                            k + " logSoftmax row " + r + " col " + j + " of " + cols);
                }
                assertEquals(1.0, total, sumErrorBound(2 * cols + 8, 1.0) * 4, k + " softmax row sum");
            }
            assertEquals(0f, p[0], "written before the output offset");
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void softmaxRowsWorkInPlace(FloatKernels k) {
        SplittableRandom random = new SplittableRandom(7);
        for (int cols : new int[] {3, 16, 37}) {
            float[] x = gaussian(random, 2 * cols, 3);
            float[] p = new float[x.length], logp = new float[x.length];
            k.softmaxRows(x, 0, p, 0, 2, cols);
            k.logSoftmaxRows(x, 0, logp, 0, 2, cols);
            float[] inPlace = x.clone();
            k.softmaxRows(inPlace, 0, inPlace, 0, 2, cols);
            assertTrue(Arrays.equals(p, inPlace), k + " softmax in place, cols " + cols);
            inPlace = x.clone();
            k.logSoftmaxRows(inPlace, 0, inPlace, 0, 2, cols);
            assertTrue(Arrays.equals(logp, inPlace), k + " logSoftmax in place, cols " + cols);
        }
    }

    @ParameterizedTest
    @MethodSource("paths")
    void emptyInputsAreNoOps(FloatKernels k) {
        float[] x = {1f, 2f};
        float[] out = {7f, 7f};
        k.softmaxRows(x, 0, out, 0, 0, 2);
        k.logSoftmaxRows(x, 0, out, 0, 2, 0);
        k.exp(x, 2, out, 2, 0);
        k.axpy(2f, x, 0, out, 0, 0);
        k.matmul(x, 0, x, 0, out, 0, 0, 2, 0, false);
        assertEquals(7f, out[0]);
        assertEquals(7f, out[1]);
        assertEquals(0f, k.dot(x, 2, x, 2, 0));
        assertEquals(0f, k.sum(x, 0, 0));
    }

    /** Both paths compute the same functions: each method, run on the same inputs, agrees. */
    @Test
    void vectorPathAgreesWithScalarOnEveryMethod() {
        FloatKernels v = Kernels.vector().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(v != null, "no vector path in this JVM");
        FloatKernels s = Kernels.scalar();
        assertEquals("scalar", s.name());
        assertEquals("vector", v.name());
        assertEquals(1, s.floatLanes());
        assertTrue(v.floatLanes() >= 4);
        SplittableRandom random = new SplittableRandom(8);
        for (int n : LENGTHS) {
            float[] a = gaussian(random, n, 4);
            float[] b = gaussian(random, n, 4);
            double absDot = 0, absSum = 0;
            for (int i = 0; i < n; i++) {
                absDot += Math.abs((double) a[i] * b[i]);
                absSum += Math.abs(a[i]);
            }
            assertEquals(s.dot(a, 0, b, 0, n), v.dot(a, 0, b, 0, n), 2 * sumErrorBound(n + 1, absDot), "dot " + n);
            assertEquals(s.sum(a, 0, n), v.sum(a, 0, n), 2 * sumErrorBound(n, absSum), "sum " + n);
            assertEquals(s.max(a, 0, n), v.max(a, 0, n), "max " + n);
            assertSameBits(n, a, b, s::add, v::add, "add");
            assertSameBits(n, a, b, s::sub, v::sub, "sub");
            assertSameBits(n, a, b, s::mul, v::mul, "mul");
            assertSameBits(n, a, b, (x, xo, unused, uo, out, oo, len) -> s.scale(0.3f, x, xo, out, oo, len),
                    (x, xo, unused, uo, out, oo, len) -> v.scale(0.3f, x, xo, out, oo, len), "scale");
            assertSameBits(n, a, b, (x, xo, unused, uo, out, oo, len) -> s.relu(x, xo, out, oo, len),
                    (x, xo, unused, uo, out, oo, len) -> v.relu(x, xo, out, oo, len), "relu");
            float[] ys = b.clone(), yv = b.clone();
            s.axpy(1.5f, a, 0, ys, 0, n);
            v.axpy(1.5f, a, 0, yv, 0, n);
            for (int i = 0; i < n; i++) {
                assertEquals(ys[i], yv[i], 4 * U * (Math.abs(1.5 * a[i]) + Math.abs(b[i])), "axpy " + i);
            }
            for (String op : new String[] {"exp", "log", "tanh"}) {
                float[] in = op.equals("log") ? abs(a) : a;
                float[] os = new float[n], ov = new float[n];
                unary(s, op, in, os);
                unary(v, op, in, ov);
                for (int i = 0; i < n; i++) {
                    assertEquals(os[i], ov[i], 4 * ulp(os[i]), op + "(" + in[i] + ")");
                }
            }
        }
        for (int cols : new int[] {1, 7, 16, 40}) {
            float[] x = gaussian(random, 3 * cols, 5);
            float[] ps = new float[x.length], pv = new float[x.length];
            s.softmaxRows(x, 0, ps, 0, 3, cols);
            v.softmaxRows(x, 0, pv, 0, 3, cols);
            float[] ls = new float[x.length], lv = new float[x.length];
            s.logSoftmaxRows(x, 0, ls, 0, 3, cols);
            v.logSoftmaxRows(x, 0, lv, 0, 3, cols);
            for (int i = 0; i < x.length; i++) {
                assertEquals(ps[i], pv[i], (cols + 40) * 4 * U * ps[i] + Float.MIN_VALUE, "softmax " + cols);
                assertEquals(ls[i], lv[i], (cols + 40) * 4 * U * (Math.abs(ls[i]) + 1), "logSoftmax " + cols);
            }
        }
        // The GEMM forms are compared path against path in GemmTest.vectorAgreesWithScalar.
    }

    // ------------------------------------------------------------------ helpers

    private interface Unary {
        void apply(float[] x, int xo, float[] out, int oo, int n);
    }

    private interface Binary {
        void apply(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);
    }

    private static void checkUnary(FloatKernels k, String name, Unary f, DoubleUnaryOperator ref, float[] x, int n) {
        float[] out = new float[n + 1];
        f.apply(x, OFFSET, out, 1, n);
        assertEquals(0f, out[0], "written before the output offset");
        for (int i = 0; i < n; i++) {
            assertUlps(k, name, x[OFFSET + i], ref.applyAsDouble(x[OFFSET + i]), out[1 + i]);
        }
    }

    private static void checkUnaryAt(FloatKernels k, String name, Unary f, DoubleUnaryOperator ref, float[] x, int at) {
        float[] out = new float[x.length];
        f.apply(x, 0, out, 0, x.length);
        assertUlps(k, name, x[at], ref.applyAsDouble(x[at]), out[at]);
    }

    /** Within two float ulps of the exact value (rounded to float), and NaN/infinity exactly where expected. */
    private static void assertUlps(FloatKernels k, String name, float x, double exact, float got) {
        float rounded = (float) exact;
        if (Float.isNaN(rounded) || Float.isInfinite(rounded)) {
            if (Float.compare(rounded, got) != 0) {
                fail(k + " " + name + "(" + x + ") = " + got + ", expected " + rounded);
            }
            return;
        }
        double tol = 2 * ulp(rounded);
        if (!(Math.abs(got - exact) <= tol)) {
            fail(k + " " + name + "(" + x + ") = " + got + ", exact " + exact + ", more than 2 ulps off");
        }
    }

    private static double ulp(float v) {
        return Math.ulp(Math.abs(v)) + 0.0;
    }

    private static void assertSameBits(int n, float[] a, float[] b, Binary scalar, Binary vector, String what) {
        float[] os = new float[n], ov = new float[n];
        scalar.apply(a, 0, b, 0, os, 0, n);
        vector.apply(a, 0, b, 0, ov, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToIntBits(os[i]), Float.floatToIntBits(ov[i]), what + " element " + i + " of " + n);
        }
    }

    private static void unary(FloatKernels k, String op, float[] in, float[] out) {
        switch (op) {
            case "exp" -> k.exp(in, 0, out, 0, in.length);
            case "log" -> k.log(in, 0, out, 0, in.length);
            default -> k.tanh(in, 0, out, 0, in.length);
        }
    }

    private static float[] abs(float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Math.abs(x[i]) + 1e-3f;
        }
        return r;
    }

    static float[] gaussian(SplittableRandom random, int n, double std) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (std * random.nextGaussian());
        }
        return x;
    }
}

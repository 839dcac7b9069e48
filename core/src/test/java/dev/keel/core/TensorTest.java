package dev.keel.core;

import dev.keel.core.kernel.Kernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Tensor} on the active kernel path (surefire runs this class once per path). Expected
 * values come from plain double-precision loops written here, not from the kernels.
 */
class TensorTest {

    private static final double U = 0x1.0p-24;

    // ---------------------------------------------------------------- creation and layout

    @Test
    void creationFillsAndWraps() {
        Tensor z = Tensor.zeros(2, 3);
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertEquals(6, z.size());
        assertEquals(2, z.rank());
        assertEquals(0f, z.sum());

        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(data, 3, 2);
        assertSame(data, t.data(), "of() wraps without copying");
        assertEquals(4f, t.get(1, 1));
        assertEquals(3, t.rows());
        assertEquals(2, t.cols());

        Tensor w = Tensor.wrap(data, 2, 2, 2);
        assertEquals(2, w.offset());
        assertArrayEquals(new float[] {3, 4, 5, 6}, w.toArray());

        Tensor f = Tensor.full(2.5f, 4);
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, f.toArray());

        Tensor scalar = Tensor.zeros();
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
        assertEquals(1, scalar.rows());
        assertEquals(1, scalar.cols());
        scalar.set(7f);
        assertEquals(7f, scalar.item());

        Tensor empty = Tensor.zeros(0, 5);
        assertEquals(0, empty.size());
        assertEquals(0, empty.rows());
        assertEquals(0f, empty.sum());
    }

    @Test
    void randomTensorsAreSeededAndHaveTheRightMoments() {
        Tensor a = Tensor.randn(new KeelRandom(5), 1f, 2f, 100, 100);
        Tensor b = Tensor.randn(new KeelRandom(5), 1f, 2f, 100, 100);
        assertArrayEquals(a.toArray(), b.toArray(), "same seed, same draws");
        assertFalse(Arrays.equals(a.toArray(), Tensor.randn(new KeelRandom(6), 1f, 2f, 100, 100).toArray()));
        double mean = 0, var = 0;
        for (float v : a.toArray()) {
            mean += v;
        }
        mean /= a.size();
        for (float v : a.toArray()) {
            var += (v - mean) * (v - mean);
        }
        var /= a.size() - 1;
        // 10^4 draws: the mean's standard error is 0.02, the variance's about 0.06.
        assertEquals(1.0, mean, 0.1);
        assertEquals(4.0, var, 0.3);

        Tensor u = Tensor.uniform(new KeelRandom(9), -3f, 5f, 10_000);
        float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
        for (float v : u.toArray()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -3f && max < 5f, "uniform out of [low, high): " + min + " .. " + max);
        assertTrue(min < -2.9f && max > 4.9f, "uniform does not cover its range: " + min + " .. " + max);
        assertEquals(1f, u.sum() / u.size(), 0.1f);
    }

    @Test
    void viewsShareStorage() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
        Tensor flat = t.reshape(12);
        flat.set(-1f, 5);
        assertEquals(-1f, t.get(1, 1), "writing a reshape writes the parent");

        Tensor row = t.row(2);
        assertArrayEquals(new int[] {4}, row.shape());
        assertArrayEquals(new float[] {8, 9, 10, 11}, row.toArray());
        row.fill(0f);
        assertEquals(0f, t.get(2, 3));

        Tensor middle = t.rows(1, 3);
        assertArrayEquals(new int[] {2, 4}, middle.shape());
        assertEquals(4, middle.offset());
        middle.scaleInPlace(2f);
        assertEquals(-2f, t.get(1, 1));
        assertEquals(0, t.rows(3, 3).size());

        Tensor cube = t.reshape(3, 2, 2);
        assertEquals(6, cube.rows());
        assertEquals(2, cube.cols());
        assertArrayEquals(new int[] {2, 2}, cube.row(1).shape());
        assertEquals(t.get(1, 2), cube.get(1, 1, 0));

        Tensor copy = t.copy();
        assertNotSame(t.data(), copy.data());
        copy.set(100f, 0, 0);
        assertEquals(0f, t.get(0, 0), "a copy does not alias");
        Tensor target = Tensor.zeros(2, 6);
        target.copyFrom(t);
        assertArrayEquals(t.toArray(), target.toArray());
        assertTrue(t.sameShape(copy));
        assertFalse(t.sameShape(target));
    }

    // ---------------------------------------------------------------- elementwise, on views too

    @Test
    void elementwiseOpsMatchPlainLoops() {
        KeelRandom random = new KeelRandom(11);
        // Views at odd offsets, with sizes that leave a vector tail.
        Tensor a = Tensor.randn(random, 0f, 2f, 5, 37).rows(1, 4);
        Tensor b = Tensor.randn(random, 0f, 2f, 7, 37).rows(3, 6);
        float[] x = a.toArray(), y = b.toArray();
        float[] add = a.add(b).toArray(), sub = a.sub(b).toArray(), mul = a.mul(b).toArray(),
                scale = a.scale(-0.5f).toArray(), relu = a.relu().toArray(), exp = a.exp().toArray(),
                tanh = a.tanh().toArray();
        float[] log = a.mul(a).log().toArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + y[i], add[i]);
            assertEquals(x[i] - y[i], sub[i]);
            assertEquals(x[i] * y[i], mul[i]);
            assertEquals(-0.5f * x[i], scale[i]);
            assertEquals(Math.max(x[i], 0f), relu[i]);
            assertEquals(Math.exp(x[i]), exp[i], 2 * Math.ulp((float) Math.exp(x[i])));
            assertEquals(Math.tanh(x[i]), tanh[i], 2 * Math.ulp((float) Math.tanh(x[i])));
            assertEquals(Math.log(x[i] * x[i]), log[i], 2 * Math.ulp((float) Math.log(x[i] * x[i])));
        }

        Tensor acc = a.copy();
        acc.axpy(3f, b);
        Tensor inPlace = a.copy().addInPlace(b);
        for (int i = 0; i < x.length; i++) {
            double exact = x[i] + 3.0 * y[i];
            assertEquals(exact, acc.data()[i], 2 * U * (Math.abs(x[i]) + Math.abs(3.0 * y[i])));
            assertEquals(x[i] + y[i], inPlace.data()[i]);
        }
        assertEquals(a.toArray()[0], x[0], "inputs are not modified");
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void reductionsOverTheLastAxis() {
        KeelRandom random = new KeelRandom(12);
        Tensor t = Tensor.randn(random, 0f, 1f, 2, 3, 21);
        float[] x = t.toArray();
        Tensor sums = t.sumLastAxis();
        Tensor maxes = t.maxLastAxis();
        assertArrayEquals(new int[] {2, 3}, sums.shape());
        double total = 0;
        for (int r = 0; r < 6; r++) {
            double s = 0, abs = 0;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < 21; j++) {
                s += x[r * 21 + j];
                abs += Math.abs(x[r * 21 + j]);
                m = Math.max(m, x[r * 21 + j]);
            }
            total += s;
            assertEquals(s, sums.data()[r], 22 * U * abs);
            assertEquals(m, maxes.data()[r]);
        }
        assertEquals(total, t.sum(), 130 * U * 126);
        assertEquals(0f, Tensor.zeros(4, 0).sumLastAxis().sum());
        assertArrayEquals(new float[] {0, 0, 0, 0}, Tensor.zeros(4, 0).sumLastAxis().toArray());
    }

    @Test
    void argmaxPicksTheFirstLargestAndTreatsNaNAsLargest() {
        Tensor t = Tensor.of(new float[] {
            1, 5, 5, 2,
            -3, -1, -2, -1,
            0, Float.NaN, 9, Float.NaN,
            Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 4, 4);
        assertArrayEquals(new int[] {1, 1, 1, 0}, t.argmaxLastAxis());
        assertArrayEquals(new int[] {3}, Tensor.of(new float[] {1, 2, 3, 4}, 4).argmaxLastAxis());
    }

    @Test
    void softmaxAndLogSoftmaxMatchTheDoubleReference() {
        KeelRandom random = new KeelRandom(13);
        Tensor logits = Tensor.randn(random, 0f, 5f, 3, 2, 19);
        float[] x = logits.toArray();
        float[] p = logits.softmax().toArray();
        float[] lp = logits.logSoftmax().toArray();
        for (int r = 0; r < 6; r++) {
            double m = Double.NEGATIVE_INFINITY, s = 0, sumP = 0;
            for (int j = 0; j < 19; j++) {
                m = Math.max(m, x[r * 19 + j]);
            }
            for (int j = 0; j < 19; j++) {
                s += Math.exp(x[r * 19 + j] - m);
            }
            for (int j = 0; j < 19; j++) {
                int i = r * 19 + j;
                double exact = Math.exp(x[i] - m) / s;
                double shifted = Math.abs(x[i] - m);
                assertEquals(exact, p[i], (shifted + 40) * 2 * U * exact + 1e-44);
                assertEquals(x[i] - m - Math.log(s), lp[i], 4 * U * (Math.abs(x[i]) + Math.abs(m) + 40));
                sumP += p[i];
            }
            assertEquals(1.0, sumP, 1e-5);
        }
    }

    @Test
    void softmaxOfHugeLogitsDoesNotOverflow() {
        // Row 0: exp(1e4) overflows; row 1: exp(-1e4) underflows. Both need the max shift.
        Tensor t = Tensor.of(new float[] {1e4f, 1e4f - 1f, -1e4f, -1e4f, -1e4f + 2f, -1e4f}, 2, 3);
        float[] p = t.softmax().toArray();
        float[] lp = t.logSoftmax().toArray();
        double s0 = 1 + Math.exp(-1);
        double s1 = 1 + 2 * Math.exp(-2);
        double[] expectedP = {1 / s0, Math.exp(-1) / s0, 0, Math.exp(-2) / s1, 1 / s1, Math.exp(-2) / s1};
        double[] expectedLogP = {-Math.log(s0), -1 - Math.log(s0), -2e4 - Math.log(s0),
            -2 - Math.log(s1), -Math.log(s1), -2 - Math.log(s1)};
        for (int i = 0; i < 6; i++) {
            assertEquals(expectedP[i], p[i], 1e-6, "softmax " + i + " of " + Arrays.toString(p));
            // |x| = 1e4 costs about 1e4 * u in absolute precision.
            assertEquals(expectedLogP[i], lp[i], 4 * U * (2e4 + 2), "logSoftmax " + i + " of " + Arrays.toString(lp));
        }
    }

    // ---------------------------------------------------------------- products

    @Test
    void matrixProductsMatchDoubleLoopsInAllThreeForms() {
        KeelRandom random = new KeelRandom(14);
        int m = 7, k = 13, n = 31;
        Tensor a = Tensor.randn(random, 0f, 1f, m, k);
        Tensor b = Tensor.randn(random, 0f, 1f, k, n);
        Tensor aT = transpose(a);
        Tensor bT = transpose(b);
        double[] exact = new double[m * n];
        double[] bound = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    double t = (double) a.get(i, p) * b.get(p, j);
                    exact[i * n + j] += t;
                    bound[i * n + j] += Math.abs(t) * (k + 2) * U * 1.01;
                }
            }
        }
        assertClose(exact, bound, Tensor.matmul(a, b));
        assertClose(exact, bound, Tensor.matmulTransB(a, bT));
        assertClose(exact, bound, Tensor.matmulTransA(aT, b));

        Tensor c = Tensor.full(1f, m, n);
        Tensor.matmulInto(a, b, c, true);
        Tensor.matmulTransBInto(a, bT, c, true);
        Tensor.matmulTransAInto(aT, b, c, true);
        double[] thrice = new double[m * n];
        double[] thriceBound = new double[m * n];
        for (int i = 0; i < m * n; i++) {
            thrice[i] = 1 + 3 * exact[i];
            thriceBound[i] = 3 * bound[i] + 6 * U * (1 + 3 * Math.abs(exact[i]));
        }
        assertClose(thrice, thriceBound, c);
        Tensor.matmulInto(a, b, c, false);
        assertClose(exact, bound, c);
    }

    @Test
    void gatherAndScatterAddAreAdjoint() {
        Tensor table = Tensor.of(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 2);
        int[] ids = {2, 0, 2, 3};
        Tensor rows = table.gatherRows(ids);
        assertArrayEquals(new float[] {20, 21, 0, 1, 20, 21, 30, 31}, rows.toArray());

        Tensor grad = Tensor.zeros(4, 2);
        Tensor src = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2);
        grad.scatterAddRows(ids, src);
        // Repeated ids accumulate: row 2 gets rows 0 and 2 of src.
        assertArrayEquals(new float[] {3, 4, 0, 0, 6, 8, 7, 8}, grad.toArray());
        assertEquals(0, table.gatherRows(new int[0]).size());
        // <gather(T), S> = <T, scatter(S)>: the defining property of a gradient pair.
        double lhs = dot(rows.toArray(), src.toArray());
        double rhs = dot(table.toArray(), grad.toArray());
        assertEquals(lhs, rhs, 1e-9);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badInputNamesTheShapesAndValues() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(3, 2);
        expectMessage(() -> Tensor.zeros(2, -1), "negative size", "[2, -1]");
        expectMessage(() -> Tensor.of(new float[5], 2, 3), "length 5", "[2, 3]");
        expectMessage(() -> Tensor.wrap(new float[6], 1, 2, 3), "offset 1", "length 6");
        expectMessage(() -> a.reshape(4, 2), "[2, 3]", "[4, 2]");
        expectMessage(() -> a.add(b), "add", "[2, 3]", "[3, 2]");
        expectMessage(() -> a.sub(b), "sub", "[2, 3]", "[3, 2]");
        expectMessage(() -> a.mul(b), "mul", "[2, 3]", "[3, 2]");
        expectMessage(() -> a.axpy(1f, b), "axpy", "[3, 2]");
        expectMessage(() -> a.addInPlace(b), "addInPlace", "[3, 2]");
        expectMessage(() -> a.copyFrom(Tensor.zeros(5)), "copyFrom", "[5]");
        expectMessage(() -> a.get(2, 0), "= 2", "[0, 2)");
        expectMessage(() -> a.get(0), "[0]", "[2, 3]");
        expectMessage(() -> a.set(1f, 0, 3), "= 3", "[0, 3)");
        expectMessage(() -> a.row(-1), "row = -1");
        expectMessage(() -> a.rows(1, 3), "rows [1, 3)", "[2, 3]");
        expectMessage(() -> a.dim(2), "axis 2", "[2, 3]");
        expectMessage(a::item, "[2, 3]");
        expectMessage(() -> Tensor.zeros().softmax(), "softmax", "[]");
        expectMessage(() -> Tensor.zeros(3, 0).maxLastAxis(), "maxLastAxis", "[3, 0]");
        expectMessage(() -> Tensor.zeros(3, 0).argmaxLastAxis(), "argmaxLastAxis", "[3, 0]");
        expectMessage(() -> Tensor.matmul(a, a), "matmul", "[2, 3]");
        expectMessage(() -> Tensor.matmul(a, Tensor.zeros(3)), "matmul B", "[3]");
        expectMessage(() -> Tensor.matmulTransB(a, b), "matmulTransB", "[3, 2]");
        expectMessage(() -> Tensor.matmulTransA(a, a.reshape(3, 2)), "matmulTransA", "[3, 2]");
        expectMessage(() -> Tensor.matmulInto(a, b, Tensor.zeros(3, 3), false), "C [3, 3]");
        Tensor square = Tensor.zeros(3, 3);
        expectMessage(() -> Tensor.matmulInto(square, square, square, false), "overlaps", "[3, 3]");
        expectMessage(() -> Tensor.matmulTransBInto(square, Tensor.zeros(3, 3), square, true), "overlaps");
        expectMessage(() -> b.gatherRows(new int[] {0, 3}), "position 1", "= 3", "[0, 3)");
        expectMessage(() -> b.scatterAddRows(new int[] {-1}, Tensor.zeros(1, 2)), "position 0", "= -1");
        expectMessage(() -> b.scatterAddRows(new int[] {0}, Tensor.zeros(2, 2)), "[2, 2]", "1 ids", "[3, 2]");
        expectMessage(() -> Tensor.randn(new KeelRandom(1), Float.NaN, 1f, 2), "mean NaN");
        expectMessage(() -> Tensor.randn(new KeelRandom(1), 0f, -1f, 2), "std -1.0");
        expectMessage(() -> Tensor.uniform(new KeelRandom(1), 2f, 1f, 2), "[2.0, 1.0)");
        expectMessage(() -> Tensor.of(new float[] {1, Float.NaN, 3}, 3).requireFinite("logits"),
                "logits", "element 1", "NaN");
        expectMessage(() -> Tensor.zeros(1 << 16, 1 << 16), "2^31");
        expectMessage(() -> new KeelRandom(1).nextInt(0), "bound", "0");
    }

    @Test
    void toStringShowsShapeAndLeadingValues() {
        assertEquals("Tensor[2] [1.0, 2.0]", Tensor.of(new float[] {1, 2}, 2).toString());
        assertTrue(Tensor.zeros(5, 5).toString().endsWith(", ...]"));
        assertTrue(Kernels.describe().startsWith("keel kernels: "));
    }

    // ---------------------------------------------------------------- helpers

    private static Tensor transpose(Tensor t) {
        int r = t.dim(0), c = t.dim(1);
        Tensor out = Tensor.zeros(c, r);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out.set(t.get(i, j), j, i);
            }
        }
        return out;
    }

    private static void assertClose(double[] exact, double[] bound, Tensor got) {
        float[] g = got.toArray();
        assertEquals(exact.length, g.length);
        for (int i = 0; i < g.length; i++) {
            assertEquals(exact[i], g[i], bound[i] + 1e-30, "element " + i);
        }
    }

    private static double dot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    private static void expectMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }
}

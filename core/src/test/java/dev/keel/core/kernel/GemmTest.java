package dev.keel.core.kernel;

import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The three GEMM forms on both kernel paths, against a double-precision reference and EJML, on
 * shapes chosen to hit every edge of the blocking: empty and unit sizes, one row (the row-loop
 * path), primes, sizes that are not a multiple of the vector width or of the micro-tile, depths past
 * one packed block (256) and widths past one packed panel block (1024 scalar, 2048 vector).
 */
class GemmTest {

    enum Form { AB, ABT, ATB }

    private static final int[][] SHAPES = { // m, k, n
        {0, 0, 0}, {0, 5, 3}, {4, 0, 3}, {4, 5, 0},
        {1, 1, 1}, {1, 37, 1}, {1, 19, 33}, {2, 64, 70}, {33, 19, 1}, {17, 1, 29},
        {7, 13, 31}, {6, 8, 32}, {12, 16, 64}, {5, 17, 15}, {3, 9, 8}, {3, 9, 9},
        {67, 129, 95}, {100, 31, 7}, {13, 300, 41}, {97, 257, 33}, {7, 3, 2100}, {130, 70, 1030},
    };

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (FloatKernels kernels : KernelPaths.available()) {
            for (Form form : Form.values()) {
                for (int[] s : SHAPES) {
                    cases.add(Arguments.of(kernels, form, s[0], s[1], s[2]));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} m={2} k={3} n={4}")
    @MethodSource("cases")
    void matchesDoubleReferenceAndEjml(FloatKernels kernels, Form form, int m, int k, int n) {
        SplittableRandom random = new SplittableRandom(31L * m + 7L * k + n);
        Operands x = Operands.random(random, form, m, k, n, 5, 3, 11);
        // C starts as NaN: without accumulate every element must be overwritten.
        float[] c = x.output(Float.NaN);
        multiply(kernels, form, x, c, false);
        double[] exact = x.exactProduct(null);
        double[] bound = x.errorBound(null);
        x.assertClose(kernels + " " + form, exact, bound, c);
        x.assertGuardsUntouched(c, Float.NaN);

        float[] ejml = x.ejml(form);
        for (int i = 0; i < m * n; i++) {
            assertEquals(ejml[i], c[x.co + i], 2 * bound[i],
                    () -> kernels + " " + form + " disagrees with EJML");
        }
    }

    @ParameterizedTest(name = "{0} {1} m={2} k={3} n={4}")
    @MethodSource("cases")
    void accumulateAddsToTheExistingOutput(FloatKernels kernels, Form form, int m, int k, int n) {
        SplittableRandom random = new SplittableRandom(1000L + 31L * m + 7L * k + n);
        Operands x = Operands.random(random, form, m, k, n, 0, 9, 2);
        float[] c = x.output(0f);
        float[] initial = new float[m * n];
        for (int i = 0; i < m * n; i++) {
            initial[i] = (float) random.nextGaussian();
            c[x.co + i] = initial[i];
        }
        multiply(kernels, form, x, c, true);
        x.assertClose(kernels + " " + form + " accumulate", x.exactProduct(initial), x.errorBound(initial), c);
        x.assertGuardsUntouched(c, 0f);
    }

    /**
     * The scalar path promises the rounding of the naive loop {@code c += a * b} in increasing p,
     * whatever the blocking: that makes its results the same on every JVM.
     */
    @ParameterizedTest(name = "{1} m={2} k={3} n={4}")
    @MethodSource("cases")
    void scalarPathRoundsLikeTheNaiveLoop(FloatKernels kernels, Form form, int m, int k, int n) {
        if (kernels != Kernels.scalar()) {
            return;
        }
        SplittableRandom random = new SplittableRandom(2000L + m + k + n);
        Operands x = Operands.random(random, form, m, k, n, 0, 0, 0);
        float[] c = x.output(0f);
        for (int i = 0; i < m * n; i++) {
            c[i] = (float) random.nextGaussian();
        }
        float[] naive = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    naive[i * n + j] += x.opA(i, p) * x.opB(p, j);
                }
            }
        }
        multiply(kernels, form, x, c, true);
        for (int i = 0; i < m * n; i++) {
            if (Float.floatToIntBits(naive[i]) != Float.floatToIntBits(c[i])) {
                fail(form + " element " + i + ": naive loop " + naive[i] + ", scalar GEMM " + c[i]);
            }
        }
    }

    @ParameterizedTest(name = "{1} m={2} k={3} n={4}")
    @MethodSource("cases")
    void vectorAgreesWithScalar(FloatKernels kernels, Form form, int m, int k, int n) {
        FloatKernels vector = Kernels.vector().orElse(null);
        if (vector == null || kernels != vector) {
            return;
        }
        SplittableRandom random = new SplittableRandom(3000L + m * 3L + k + n);
        Operands x = Operands.random(random, form, m, k, n, 0, 0, 0);
        float[] cv = x.output(0f);
        float[] cs = x.output(0f);
        multiply(vector, form, x, cv, false);
        multiply(Kernels.scalar(), form, x, cs, false);
        double[] bound = x.errorBound(null);
        for (int i = 0; i < m * n; i++) {
            assertEquals(cs[i], cv[i], 2 * bound[i], "element " + i);
        }
    }

    private static void multiply(FloatKernels kernels, Form form, Operands x, float[] c, boolean accumulate) {
        switch (form) {
            case AB -> kernels.matmul(x.a, x.ao, x.b, x.bo, c, x.co, x.m, x.k, x.n, accumulate);
            case ABT -> kernels.matmulTransB(x.a, x.ao, x.b, x.bo, c, x.co, x.m, x.k, x.n, accumulate);
            case ATB -> kernels.matmulTransA(x.a, x.ao, x.b, x.bo, c, x.co, x.m, x.k, x.n, accumulate);
        }
    }

    /** A and B stored as the form needs them, at offsets inside larger arrays, and the reference math. */
    private static final class Operands {
        final Form form;
        final int m, k, n, ao, bo, co;
        final float[] a, b;

        private Operands(Form form, int m, int k, int n, int ao, int bo, int co, float[] a, float[] b) {
            this.form = form;
            this.m = m;
            this.k = k;
            this.n = n;
            this.ao = ao;
            this.bo = bo;
            this.co = co;
            this.a = a;
            this.b = b;
        }

        static Operands random(SplittableRandom random, Form form, int m, int k, int n, int ao, int bo, int co) {
            float[] a = new float[ao + m * k + 3];
            float[] b = new float[bo + k * n + 3];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) random.nextGaussian();
            }
            return new Operands(form, m, k, n, ao, bo, co, a, b);
        }

        float opA(int i, int p) {
            return form == Form.ATB ? a[ao + p * m + i] : a[ao + i * k + p];
        }

        float opB(int p, int j) {
            return form == Form.ABT ? b[bo + j * k + p] : b[bo + p * n + j];
        }

        /** An output array with guard elements around C, all set to {@code fill}. */
        float[] output(float fill) {
            float[] c = new float[co + m * n + 5];
            java.util.Arrays.fill(c, fill);
            return c;
        }

        double[] exactProduct(float[] initial) {
            double[] r = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = initial == null ? 0 : initial[i * n + j];
                    for (int p = 0; p < k; p++) {
                        s += (double) opA(i, p) * opB(p, j);
                    }
                    r[i * n + j] = s;
                }
            }
            return r;
        }

        /** Per element: the bound for k products (each one rounding) plus the initial value. */
        double[] errorBound(float[] initial) {
            double[] r = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = initial == null ? 0 : Math.abs(initial[i * n + j]);
                    for (int p = 0; p < k; p++) {
                        s += Math.abs((double) opA(i, p) * opB(p, j));
                    }
                    r[i * n + j] = KernelPaths.sumErrorBound(k + 2, s);
                }
            }
            return r;
        }

        void assertClose(String what, double[] exact, double[] bound, float[] c) {
            for (int i = 0; i < m * n; i++) {
                double err = Math.abs(c[co + i] - exact[i]);
                if (!(err <= bound[i])) {
                    fail(what + " m=" + m + " k=" + k + " n=" + n + ": element (" + i / n + ", " + i % n + ") is "
                            + c[co + i] + ", exact " + exact[i] + ", error " + err + " > bound " + bound[i]);
                }
            }
        }

        void assertGuardsUntouched(float[] c, float guard) {
            for (int i = 0; i < c.length; i++) {
                if (i < co || i >= co + m * n) {
                    assertEquals(guard, c[i], "element " + i + " outside C was written");
                }
            }
        }

        float[] ejml(Form f) {
            FMatrixRMaj ea = f == Form.ATB ? new FMatrixRMaj(k, m) : new FMatrixRMaj(m, k);
            FMatrixRMaj eb = f == Form.ABT ? new FMatrixRMaj(n, k) : new FMatrixRMaj(k, n);
            System.arraycopy(a, ao, ea.data, 0, m * k);
            System.arraycopy(b, bo, eb.data, 0, k * n);
            FMatrixRMaj ec = new FMatrixRMaj(m, n);
            switch (f) {
                case AB -> CommonOps_FDRM.mult(ea, eb, ec);
                case ABT -> CommonOps_FDRM.multTransB(ea, eb, ec);
                case ATB -> CommonOps_FDRM.multTransA(ea, eb, ec);
            }
            assertTrue(ec.numRows == m && ec.numCols == n);
            return ec.data;
        }
    }
}

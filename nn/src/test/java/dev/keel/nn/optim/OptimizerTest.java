package dev.keel.nn.optim;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.autograd.Parameter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static dev.keel.nn.testing.Checks.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Optimizers against straightforward double-precision re-implementations of their published
 * update rules (PyTorch's formulations), on a quadratic whose gradient is {@code w - c}.
 */
class OptimizerTest {

    private static final int STEPS = 6;

    /** Reference state for one element. */
    private interface Rule {
        double step(double w, double g, int t, int element);
    }

    private static void setQuadraticGradient(Parameter p, float[] target) {
        Tensor g = p.gradBuffer();
        for (int i = 0; i < target.length; i++) {
            g.data()[i] = p.data().data()[i] - target[i];
        }
    }

    /** Runs {@code opt} and {@code rule} side by side on a dense parameter and compares every step. */
    private static void compareDense(Function<List<Parameter>, Optimizer> make, Rule rule) {
        Parameter p = Parameter.dense(randn(1, 3, 4));
        float[] target = randn(2, 3, 4).toArray();
        Optimizer opt = make.apply(List.of(p));
        double[] ref = new double[12];
        for (int i = 0; i < 12; i++) {
            ref[i] = p.data().data()[i];
        }
        for (int t = 1; t <= STEPS; t++) {
            opt.zeroGrad();
            setQuadraticGradient(p, target);
            float[] g = p.grad().toArray();
            opt.step();
            for (int i = 0; i < 12; i++) {
                ref[i] = rule.step(ref[i], g[i], t, i);
                assertEquals(ref[i], p.data().data()[i], 1e-5 * (1 + Math.abs(ref[i])), "step " + t + " element " + i);
            }
        }
    }

    @Test
    void plainSgd() {
        compareDense(ps -> new SGD(ps, 0.1), (w, g, t, i) -> w - 0.1 * g);
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        double[] buf = new double[12];
        compareDense(ps -> new SGD(ps, 0.05, 0.9, false, 0.01), (w, g, t, i) -> {
            double d = g + 0.01 * w;
            buf[i] = t == 1 ? d : 0.9 * buf[i] + d;
            return w - 0.05 * buf[i];
        });
    }

    @Test
    void sgdWithNesterovMomentum() {
        double[] buf = new double[12];
        compareDense(ps -> new SGD(ps, 0.05, 0.8, true, 0), (w, g, t, i) -> {
            buf[i] = t == 1 ? g : 0.8 * buf[i] + g;
            return w - 0.05 * (g + 0.8 * buf[i]);
        });
    }

    private static Rule adamRule(double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] m = new double[12], v = new double[12];
        return (w, g, t, i) -> {
            double grad = decoupled ? g : g + wd * w;
            double w0 = decoupled ? w * (1 - lr * wd) : w;
            m[i] = b1 * m[i] + (1 - b1) * grad;
            v[i] = b2 * v[i] + (1 - b2) * grad * grad;
            double mHat = m[i] / (1 - Math.pow(b1, t));
            double vHat = v[i] / (1 - Math.pow(b2, t));
            return w0 - lr * mHat / (Math.sqrt(vHat) + eps);
        };
    }

    @Test
    void adamAndAdamW() {
        compareDense(ps -> new Adam(ps, 0.01), adamRule(0.01, 0.9, 0.999, 1e-8, 0, false));
        compareDense(ps -> new Adam(ps, 0.02, 0.8, 0.99, 1e-6, 0.1), adamRule(0.02, 0.8, 0.99, 1e-6, 0.1, false));
        compareDense(ps -> new AdamW(ps, 0.02, 0.9, 0.999, 1e-8, 0.1), adamRule(0.02, 0.9, 0.999, 1e-8, 0.1, true));
    }

    @Test
    void adamFirstStepMovesEveryWeightByTheLearningRate() {
        Parameter p = Parameter.dense(Tensor.zeros(5));
        p.accumulateGrad(Tensor.of(new float[] {3f, -0.001f, 200f, -7f, 0.5f}, 5));
        new Adam(List.of(p), 0.01).step();
        float[] expected = {-0.01f, 0.01f, -0.01f, 0.01f, -0.01f}; // m-hat / sqrt(v-hat) = sign(g)
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], p.data().data()[i], 1e-6f);
        }
    }

    @Test
    void sparseRowsUpdateLazily() {
        // rows touched per step; untouched rows keep weights and state, as SparseAdam.
        int[][] touched = {{1, 4}, {4}, {0, 1}, {4}};
        for (boolean adam : new boolean[] {true, false}) {
            Parameter p = Parameter.sparse(randn(3, 6, 2));
            float[] target = randn(4, 6, 2).toArray();
            Optimizer opt = adam ? new Adam(List.of(p), 0.05) : new SGD(List.of(p), 0.1, 0.9, false, 0.01);
            Rule[] rows = new Rule[6];
            double[] sgdBuf = new double[12];
            for (int r = 0; r < 6; r++) {
                rows[r] = adam ? adamRule(0.05, 0.9, 0.999, 1e-8, 0, false) : (w, g, t, i) -> {
                    double d = g + 0.01 * w;
                    sgdBuf[i] = 0.9 * sgdBuf[i] + d;
                    return w - 0.1 * sgdBuf[i];
                };
            }
            double[] ref = new double[12];
            for (int i = 0; i < 12; i++) {
                ref[i] = p.data().data()[i];
            }
            for (int s = 0; s < touched.length; s++) {
                opt.zeroGrad();
                float[] rowGrad = new float[2];
                for (int row : touched[s]) {
                    for (int j = 0; j < 2; j++) {
                        rowGrad[j] = p.data().get(row, j) - target[row * 2 + j];
                    }
                    p.accumulateGradRow(row, 1f, rowGrad, 0);
                }
                float[] before = p.data().toArray();
                opt.step();
                for (int row = 0; row < 6; row++) {
                    boolean hit = contains(touched[s], row);
                    // bias correction counts this parameter's steps (PyTorch's SparseAdam does too)
                    int t = s + 1;
                    for (int j = 0; j < 2; j++) {
                        int i = row * 2 + j;
                        if (hit) {
                            ref[i] = rows[row].step(ref[i], before[i] - target[i], t, i);
                        }
                        assertEquals(ref[i], p.data().data()[i], 1e-5, (adam ? "Adam" : "SGD") + " step " + s
                                + " row " + row);
                        if (!hit) {
                            assertEquals(before[i], p.data().data()[i], "untouched row " + row + " must not move");
                        }
                    }
                }
            }
        }
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aStepDrivenRowByRowGivesTheBitsOfStep() {
        // Two copies of a dense parameter and a row-sparse table: one copy stepped by step() from
        // stored gradients, the other driven row by row (updateRow, and updateRows in uneven chunks)
        // from the same gradient rows, over several steps with schedule and weight decay.
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> new Adam(ps, 0.05, 0.9, 0.99, 1e-6, 0.01),
                ps -> new AdamW(ps, 0.05),
                ps -> new SGD(ps, 0.1, 0.9, true, 0.01),
                ps -> new SGD(ps, 0.1));
        for (Function<List<Parameter>, Optimizer> make : makers) {
            Parameter denseA = Parameter.dense(randn(5, 3, 4)), tableA = Parameter.sparse(randn(6, 50, 8));
            Parameter denseB = Parameter.dense(denseA.data().copy()), tableB = Parameter.sparse(tableA.data().copy());
            Optimizer a = make.apply(List.of(denseA, tableA)), b = make.apply(List.of(denseB, tableB));
            a.setSchedule(LrSchedule.linearDecay(0.05, 10));
            b.setSchedule(LrSchedule.linearDecay(0.05, 10));
            KeelRandom random = new KeelRandom(7);
            for (int step = 0; step < 5; step++) {
                Tensor denseGrad = randn(100 + step, 3, 4);
                int[] rows = new int[3 + 2 * step];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = (i * 17 + step * 5) % 50; // distinct within a step
                }
                float[] rowGrads = randn(200 + step, rows.length, 8).toArray();

                a.zeroGrad();
                denseA.accumulateGrad(denseGrad);
                for (int i = 0; i < rows.length; i++) {
                    tableA.accumulateGradRow(rows[i], 1f, rowGrads, i * 8);
                }
                a.step();

                b.zeroGrad();
                denseB.accumulateGrad(denseGrad);
                b.rowUpdates().beginStep();
                b.rowUpdates().updateFromGradient(b.rowUpdates().indexOf(denseB));
                int table = b.rowUpdates().indexOf(tableB);
                b.rowUpdates().beginRowUpdates(table);
                b.rowUpdates().updateRow(table, rows[0], rowGrads, 0);
                for (int from = 1; from < rows.length; ) {
                    int to = Math.min(rows.length, from + 1 + random.nextInt(4));
                    b.rowUpdates().updateRows(table, rows, from, to, rowGrads, from * 8);
                    from = to;
                }
                b.rowUpdates().endStep();

                assertBits(denseA.data(), denseB.data(), a.getClass().getSimpleName() + " dense, step " + step);
                assertBits(tableA.data(), tableB.data(), a.getClass().getSimpleName() + " table, step " + step);
            }
            assertEquals(a.stepCount(), b.stepCount());
            assertEquals(a.currentLearningRate(), b.currentLearningRate());
        }
    }

    /**
     * A table of {@link ParameterState#LAZY_MIN_ROWS} rows gets its optimizer state a row at a
     * time; one row fewer gets dense state. Both copies see the same gradients on the rows they
     * share (row-sparse steps, a dense step, and steps driven by rows from two threads on fresh
     * rows), so the shared rows must end with the same bits, and the large table's extra row
     * must stay untouched and stateless.
     */
    @Test
    void largeTablesGetStateRowByRowWithTheSameBits() throws Exception {
        int lazyRows = ParameterState.LAZY_MIN_ROWS, denseRows = lazyRows - 1, cols = 5;
        List<Function<List<Parameter>, Optimizer>> makers = List.of(
                ps -> new Adam(ps, 0.05, 0.9, 0.99, 1e-6, 0.01),
                ps -> new AdamW(ps, 0.05),
                ps -> new SGD(ps, 0.1, 0.9, true, 0.01));
        for (Function<List<Parameter>, Optimizer> make : makers) {
            Tensor start = randn(300, lazyRows, cols);
            Parameter denseTable = Parameter.sparse(Tensor.wrap(start.toArray(), 0, denseRows, cols).copy());
            Parameter lazyTable = Parameter.sparse(start.copy());
            Optimizer denseOpt = make.apply(List.of(denseTable)), lazyOpt = make.apply(List.of(lazyTable));
            String name = denseOpt.getClass().getSimpleName();
            KeelRandom random = new KeelRandom(301);
            for (int step = 0; step < 6; step++) {
                int count = 1 + random.nextInt(40);
                int[] rows = new int[count];
                for (int i = 0; i < count; i++) { // distinct rows, from the head (repeats across steps) and the whole table
                    do {
                        rows[i] = random.nextInt(2) == 0 ? random.nextInt(60) : random.nextInt(denseRows);
                    } while (contains(Arrays.copyOf(rows, i), rows[i]));
                }
                float[] grads = randn(400 + step, count, cols).toArray();
                if (step == 3) { // driven by rows, two threads at once: fresh rows take slots concurrently
                    for (Optimizer opt : List.of(denseOpt, lazyOpt)) {
                        opt.rowUpdates().beginStep();
                        opt.rowUpdates().beginRowUpdates(0);
                        int half = count / 2;
                        Thread other = new Thread(() -> opt.rowUpdates().updateRows(0, rows, half, count, grads, half * cols));
                        other.start();
                        opt.rowUpdates().updateRows(0, rows, 0, half, grads, 0);
                        other.join();
                        opt.rowUpdates().endStep();
                    }
                } else {
                    for (Parameter p : List.of(denseTable, lazyTable)) {
                        p.zeroGrad();
                        for (int i = 0; i < count; i++) {
                            p.accumulateGradRow(rows[i], 1f, grads, i * cols);
                        }
                    }
                    denseOpt.step();
                    lazyOpt.step();
                }
                float[] expected = denseTable.data().toArray(), actual = lazyTable.data().toArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                            name + " step " + step + ", element " + i);
                }
                for (int j = 0; j < cols; j++) {
                    assertEquals(start.get(denseRows, j), lazyTable.data().get(denseRows, j), "untouched last row");
                }
            }
            if (lazyOpt instanceof Adam) {
                Adam adam = (Adam) lazyOpt;
                assertTrue(adam.rowsWithState(0) > 0 && adam.rowsWithState(0) < 6 * 40,
                        "only touched rows hold state, got " + adam.rowsWithState(0));
                assertEquals(denseRows, ((Adam) denseOpt).rowsWithState(0));
            }
        }
    }

    @Test
    void rowsWithStateCountsTheDistinctRowsUpdated() {
        Parameter table = Parameter.sparse(Tensor.zeros(ParameterState.LAZY_MIN_ROWS * 3, 2));
        Adam adam = new Adam(List.of(table), 0.01);
        assertEquals(0, adam.rowsWithState(0));
        int[][] touched = {{5, 9000, 24000}, {9000, 7}, {5, 7, 24575, 0}};
        int[] expected = {3, 4, 6};
        for (int s = 0; s < touched.length; s++) {
            table.zeroGrad();
            for (int row : touched[s]) {
                table.accumulateGradRow(row, 1f, new float[] {1f, -2f}, 0);
            }
            adam.step();
            assertEquals(expected[s], adam.rowsWithState(0), "after step " + s);
        }
        // row 24000's state starts from zero moments wherever it landed: Adam's first step moves a
        // weight by -lr * sign(g) (bias-corrected m / sqrt(v) = g / |g|), and nothing moved it since
        assertEquals(-0.01f, table.data().get(24000, 0), 1e-6f);
        assertEquals(0.01f, table.data().get(24000, 1), 1e-6f);
    }

    private static void assertBits(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toArray(), x = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(x[i]), what + ", element " + i);
        }
    }

    @Test
    void drivenStepMisuseIsNamed() {
        Parameter table = Parameter.sparse(Tensor.zeros(4, 2));
        Adam adam = new Adam(List.of(table), 0.1);
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> adam.rowUpdates().beginRowUpdates(0));
        assertTrue(outside.getMessage().contains("beginStep"), outside.getMessage());
        adam.rowUpdates().beginStep();
        adam.rowUpdates().beginRowUpdates(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.rowUpdates().updateRows(0, new int[] {1, 4}, 0, 2, new float[4], 0));
        assertTrue(e.getMessage().contains("row 4 out of range [0, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> adam.rowUpdates().updateRow(0, -1, new float[2], 0));
        assertTrue(e.getMessage().contains("row -1"), e.getMessage());
        adam.rowUpdates().endStep();
        assertThrows(IllegalStateException.class, adam.rowUpdates()::endStep);
        Parameter vector = Parameter.dense(Tensor.zeros(3));
        SGD sgd = new SGD(List.of(vector), 0.1);
        sgd.rowUpdates().beginStep();
        e = assertThrows(IllegalArgumentException.class, () -> sgd.rowUpdates().beginRowUpdates(0));
        assertTrue(e.getMessage().contains("matrix"), e.getMessage());
        assertEquals(-1, sgd.rowUpdates().indexOf(table));
        assertEquals(1, sgd.parameterCount());
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Parameter used = Parameter.dense(Tensor.full(1f, 2));
        Parameter unused = Parameter.dense(Tensor.full(1f, 2));
        used.accumulateGrad(Tensor.full(1f, 2));
        new AdamW(List.of(used, unused), 0.1).step();
        assertEquals(1f, unused.data().get(0)); // not even weight decay
        assertTrue(used.data().get(0) < 1f);
    }

    @Test
    void clipGradNormScalesDenseAndTouchedSparseRowsTogether() {
        Parameter dense = Parameter.dense(Tensor.zeros(2, 2));
        dense.accumulateGrad(Tensor.of(new float[] {3, 0, 0, 4}, 2, 2)); // norm 5
        Parameter sparse = Parameter.sparse(Tensor.zeros(100, 2));
        sparse.accumulateGradRow(7, 1f, new float[] {12, 0}, 0); // with the dense: norm 13
        double norm = GradClipping.clipGradNorm(List.of(dense, sparse), 1.3);
        assertEquals(13.0, norm, 1e-6);
        assertEquals(0.3f, dense.grad().get(0, 0), 1e-6f);
        assertEquals(0.4f, dense.grad().get(1, 1), 1e-6f);
        assertEquals(1.2f, sparse.grad().get(7, 0), 1e-6f);
        assertEquals(1.3, GradClipping.clipGradNorm(List.of(dense, sparse), 100), 1e-5); // below: unchanged
        assertEquals(1.2f, sparse.grad().get(7, 0), 1e-6f);
    }

    @Test
    void schedules() {
        assertEquals(0.3, LrSchedule.constant(0.3).learningRate(1_000_000));
        LrSchedule linear = LrSchedule.linearDecay(1.0, 100);
        assertEquals(1.0, linear.learningRate(0));
        assertEquals(0.5, linear.learningRate(50), 1e-12);
        assertEquals(0.01, linear.learningRate(99), 1e-12);
        assertEquals(0.0, linear.learningRate(100));
        assertEquals(0.0, linear.learningRate(1000));
        LrSchedule cosine = LrSchedule.cosine(1.0, 0.1, 10);
        assertEquals(1.0, cosine.learningRate(0), 1e-12);
        assertEquals(0.55, cosine.learningRate(5), 1e-12);
        assertEquals(0.1, cosine.learningRate(10), 1e-12);
        LrSchedule step = LrSchedule.step(1.0, 3, 0.5);
        assertEquals(1.0, step.learningRate(2));
        assertEquals(0.5, step.learningRate(3));
        assertEquals(0.25, step.learningRate(7));
        LrSchedule warm = LrSchedule.constant(0.8).withWarmup(4);
        assertEquals(0.2, warm.learningRate(0), 1e-12);
        assertEquals(0.8, warm.learningRate(3), 1e-12);
        assertEquals(0.8, warm.learningRate(4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(Double.NaN));
    }

    @Test
    void optimizerAsksItsScheduleEachStep() {
        Parameter p = Parameter.dense(Tensor.zeros(1));
        SGD sgd = new SGD(List.of(p), 1.0);
        sgd.setSchedule(LrSchedule.linearDecay(1.0, 4));
        float[] moves = new float[4];
        for (int s = 0; s < 4; s++) {
            sgd.zeroGrad();
            p.accumulateGrad(Tensor.full(-1f, 1)); // each step moves w by +lr
            float before = p.data().get(0);
            sgd.step();
            moves[s] = p.data().get(0) - before;
        }
        assertEquals(1.0f, moves[0], 1e-6f);
        assertEquals(0.75f, moves[1], 1e-6f);
        assertEquals(0.25f, moves[3], 1e-6f);
        assertEquals(4, sgd.stepCount());
        assertEquals(0.0, sgd.currentLearningRate());
    }

    @Test
    void badHyperParametersAreRejectedByName() {
        List<Parameter> ps = List.of(Parameter.dense(Tensor.zeros(1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0))
                .getMessage().contains("beta1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -1))
                .getMessage().contains("lr"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 0, true, 0))
                .getMessage().contains("Nesterov"));
    }
}

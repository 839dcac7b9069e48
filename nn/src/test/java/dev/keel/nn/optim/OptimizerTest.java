package dev.keel.nn.optim;

import dev.keel.core.Tensor;
import dev.keel.nn.autograd.Parameter;
import org.junit.jupiter.api.Test;

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

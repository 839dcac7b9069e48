package dev.keel.nn.loss;

import dev.keel.nn.testing.ReferenceLosses;
import dev.keel.core.KeelRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gate statistics against counts and gradient norms computed here, independently. */
class GateStatsTest {

    @Test
    void countsAndGradientSharesBySoftmaxClass() {
        KeelRandom random = new KeelRandom(21);
        int rows = 203;
        int classes = 4;
        float margin = 0.6f;
        float[] logits = LossTestSupport.randomLogits(random, rows * classes, 3);
        int[] targets = LossTestSupport.randomTargets(random, rows, classes);
        FusedLoss gated = FusedLoss.of(new GatedCrossEntropy(margin));
        double[] pt = ReferenceLosses.targetProbabilities(gated.kind(), logits, rows, classes, targets);
        for (LossKernels path : LossTestSupport.paths()) {
            for (FusedLoss loss : new FusedLoss[] {gated, FusedLoss.of(new SoftGatedCrossEntropy(margin, 20f))}) {
                FusedLoss onPath = loss.withKernels(path);
                GateStats stats = onPath.gateStats(logits, rows, classes, targets);
                checkAgainstIndependentCounts(stats, onPath, margin, pt, logits, rows, classes, targets);
            }
        }
    }

    @Test
    void binaryClassesAreTheTargets() {
        KeelRandom random = new KeelRandom(22);
        int rows = 77;
        float margin = 0.8f;
        float[] logits = LossTestSupport.randomLogits(random, rows, 3);
        int[] targets = LossTestSupport.randomTargets(random, rows, 2);
        FusedLoss gated = FusedLoss.of(new GatedBinaryCrossEntropy(margin));
        double[] pt = ReferenceLosses.targetProbabilities(gated.kind(), logits, rows, 1, targets);
        for (LossKernels path : LossTestSupport.paths()) {
            GateStats stats = gated.withKernels(path).gateStats(logits, rows, 1, targets);
            assertEquals(2, stats.classes());
            checkAgainstIndependentCounts(stats, gated.withKernels(path), margin, pt, logits, rows, 1, targets);
        }
    }

    @Test
    void anyKindAtAGivenMargin() {
        float[] logits = {3f, 0f, 0f, 3f, 2f, 0f};
        int[] targets = {0, 0, 1};
        GateStats stats = FusedLoss.of(new CrossEntropy()).gateStats(0.9f, logits, 3, 2, targets);
        // p_t = sigma(3) = 0.953 (out), sigma(-3) (wrong easily), sigma(-2) (wrong easily)
        assertEquals(1, stats.gatedOut(0));
        assertEquals(1, stats.wrongEasily(0));
        assertEquals(1, stats.wrongEasily(1));
        assertEquals(0, stats.onEdge());
        assertEquals(1.0, stats.gradientShare(0) + stats.gradientShare(1), 1e-12);
        assertThrows(IllegalStateException.class, () -> FusedLoss.of(new CrossEntropy()).gateStats(logits, 3, 2, targets));
        assertTrue(stats.toString().contains("gated-out"));
    }

    private static void checkAgainstIndependentCounts(GateStats stats, FusedLoss loss, float margin, double[] pt,
                                                      float[] logits, int rows, int classes, int[] targets) {
        float[] grad = new float[logits.length];
        loss.compute(logits, rows, classes, targets, grad);
        int statClasses = stats.classes();
        long[] out = new long[statClasses];
        long[] easy = new long[statClasses];
        double[] squares = new double[statClasses];
        double total = 0;
        for (int i = 0; i < rows; i++) {
            assertTrue(Math.abs(pt[i] - margin) > 1e-5, "a row too near the edge for this check: " + pt[i]);
            int c = targets[i];
            if (pt[i] > margin) {
                out[c]++;
            } else {
                easy[c]++;
            }
            for (int j = i * classes; j < (i + 1) * classes; j++) {
                squares[c] += (double) grad[j] * grad[j];
                total += (double) grad[j] * grad[j];
            }
        }
        double shares = 0;
        for (int c = 0; c < statClasses; c++) {
            assertEquals(out[c], stats.gatedOut(c), loss + " class " + c);
            assertEquals(easy[c], stats.wrongEasily(c), loss + " class " + c);
            assertEquals(0, stats.onEdge(c));
            assertEquals(out[c] + easy[c], stats.rows(c));
            assertEquals(squares[c] / total, stats.gradientShare(c), 1e-9, loss + " class " + c);
            assertEquals(Math.sqrt(squares[c]), stats.gradientNorm(c), 1e-9);
            shares += stats.gradientShare(c);
        }
        assertEquals(1.0, shares, 1e-9);
        assertEquals(Math.sqrt(total), stats.gradientNorm(), 1e-9);
        assertEquals(margin, stats.margin());
    }
}

package dev.keel.classifier;

import dev.keel.core.KeelRandom;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionRuleTest {

    /** Imbalanced logits: the rare class's rows only a little higher on its logit. */
    private static float[] logits(KeelRandom random, int[] labels, int classes) {
        float[] z = new float[labels.length * classes];
        for (int r = 0; r < labels.length; r++) {
            for (int c = 0; c < classes; c++) {
                z[r * classes + c] = (float) random.nextGaussian() + (c == 0 ? 1.5f : 0) + (labels[r] == c ? 1f : 0);
            }
        }
        return z;
    }

    private static int[] labels(KeelRandom random, int rows, int classes) {
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(classes - 1);
        }
        return y;
    }

    @Test
    void twoClassesGetTheBestThresholdThereIs() {
        for (long seed = 1; seed <= 20; seed++) {
            KeelRandom random = new KeelRandom(seed);
            int rows = 20 + random.nextInt(200);
            int[] y = labels(random, rows, 2);
            float[] z = logits(random, y, 2);
            DecisionRule rule = DecisionRule.tune(z, rows, 2, y, DecisionRule.Metric.MACRO_F1);
            double tuned = Metrics.macroF1(y, rule.decide(z, rows, 2), 2);
            // brute force: every threshold on z1 - z0 between (and beyond) the rows' differences
            TreeSet<Double> differences = new TreeSet<>();
            for (int r = 0; r < rows; r++) {
                differences.add((double) z[r * 2 + 1] - z[r * 2]);
            }
            double best = 0;
            Double previous = null;
            for (double d : differences) {
                double t = previous == null ? d - 1 : (previous + d) / 2;
                best = Math.max(best, macroF1AtThreshold(z, y, t));
                previous = d;
            }
            best = Math.max(best, macroF1AtThreshold(z, y, previous + 1));
            assertEquals(best, tuned, 1e-12, "seed " + seed);
            assertEquals(0f, rule.offsets()[0], "only the second class's offset moves");
            assertTrue(tuned >= Metrics.macroF1(y, Metrics.argmax(z, rows, 2), 2));
        }
    }

    private static double macroF1AtThreshold(float[] z, int[] y, double t) {
        int[] predicted = new int[y.length];
        for (int r = 0; r < y.length; r++) {
            predicted[r] = (double) z[r * 2 + 1] - z[r * 2] > t ? 1 : 0;
        }
        return Metrics.macroF1(y, predicted, 2);
    }

    @Test
    void manyClassesEndAtAnOptimumOfEachOffsetAndNeverBelowArgmax() {
        for (long seed = 1; seed <= 10; seed++) {
            KeelRandom random = new KeelRandom(100 + seed);
            int classes = 3 + random.nextInt(3), rows = 300;
            int[] y = labels(random, rows, classes);
            float[] z = logits(random, y, classes);
            DecisionRule rule = DecisionRule.tune(z, rows, classes, y, DecisionRule.Metric.MACRO_F1);
            double tuned = Metrics.macroF1(y, rule.decide(z, rows, classes), classes);
            assertTrue(tuned >= Metrics.macroF1(y, Metrics.argmax(z, rows, classes), classes), "seed " + seed);
            // no single offset moved along a fine grid does better
            for (int c = 0; c < classes; c++) {
                for (double delta = -4; delta <= 4; delta += 0.01) {
                    float[] moved = rule.offsets();
                    moved[c] += (float) delta;
                    double score = Metrics.macroF1(y, new DecisionRule(moved, "x").decide(z, rows, classes), classes);
                    assertTrue(score <= tuned + 1e-12, "seed " + seed + " class " + c + " delta " + delta);
                }
            }
        }
    }

    @Test
    void aClassF1MetricTunesForThatClass() {
        KeelRandom random = new KeelRandom(7);
        int[] y = labels(random, 400, 3);
        float[] z = logits(random, y, 3);
        DecisionRule macro = DecisionRule.tune(z, 400, 3, y, DecisionRule.Metric.MACRO_F1);
        DecisionRule forTwo = DecisionRule.tune(z, 400, 3, y, DecisionRule.Metric.parse("f1:b", List.of("a", "b", "c")));
        int[][] byMacro = Metrics.confusion(y, macro.decide(z, 400, 3), 3);
        int[][] byTwo = Metrics.confusion(y, forTwo.decide(z, 400, 3), 3);
        assertTrue(f1(byTwo, 1) >= f1(byMacro, 1) - 1e-12);
        assertEquals("f1:b", forTwo.metric());
    }

    private static double f1(int[][] confusion, int c) {
        double[] p = new double[3], r = new double[3], f = new double[3];
        Metrics.perClass(confusion, p, r, f);
        return f[c];
    }

    @Test
    void argmaxStaysWhereItIsAlreadyBestAndZeroOffsetsAreArgmax() {
        float[] z = {2, 0, 0, 2, 2, 0, 0, 2};
        int[] y = {0, 1, 0, 1};
        DecisionRule rule = DecisionRule.tune(z, 4, 2, y, DecisionRule.Metric.MACRO_F1);
        assertArrayEquals(new float[] {0, 0}, rule.offsets());
        KeelRandom random = new KeelRandom(3);
        int[] labels = labels(random, 50, 4);
        float[] logits = logits(random, labels, 4);
        assertArrayEquals(Metrics.argmax(logits, 50, 4), new DecisionRule(new float[4], "x").decide(logits, 50, 4));
    }

    @Test
    void badRulesAndMetricsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DecisionRule(new float[] {0, Float.NaN}, "macro_f1"));
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DecisionRule.Metric.parse("f1:zzz", List.of("a", "b")));
        assertTrue(e.getMessage().contains("f1:zzz"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DecisionRule(new float[3], "x").decide(new float[4], 2, 2));
        assertTrue(e.getMessage().contains("3 offsets"), e.getMessage());
    }
}

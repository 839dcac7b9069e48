package dev.keel.classifier;

import dev.keel.classifier.Metrics.Evaluation;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    @Test
    void perClassScoresFromAHandCountedConfusionMatrix() {
        // true:      0 0 0 0 1 1 2 2 2 2
        // predicted: 0 0 1 2 1 0 2 2 2 1
        int[] y = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] p = {0, 0, 1, 2, 1, 0, 2, 2, 2, 1};
        int[][] c = Metrics.confusion(y, p, 3);
        assertArrayEquals(new int[] {2, 1, 1}, c[0]);
        assertArrayEquals(new int[] {1, 1, 0}, c[1]);
        assertArrayEquals(new int[] {0, 1, 3}, c[2]);
        double[] precision = new double[3];
        double[] recall = new double[3];
        double[] f1 = new double[3];
        Metrics.perClass(c, precision, recall, f1);
        // class 0: tp 2, predicted 3, actual 4; class 1: tp 1, predicted 3, actual 2; class 2: tp 3, predicted 4, actual 4
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 3, 3.0 / 4}, precision, 1e-12);
        assertArrayEquals(new double[] {2.0 / 4, 1.0 / 2, 3.0 / 4}, recall, 1e-12);
        double f0 = 2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5); // 4/7
        double f1c = 2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5); // 2/5
        assertArrayEquals(new double[] {f0, f1c, 0.75}, f1, 1e-12);
        assertEquals((4.0 / 7 + 0.4 + 0.75) / 3, Metrics.macroF1(y, p, 3), 1e-12);
        assertEquals(0.6, Metrics.accuracy(y, p), 1e-12);
    }

    @Test
    void aClassNeverPredictedHasZeroPrecisionAndF1() {
        int[] y = {0, 1, 1};
        int[] p = {0, 0, 0};
        double[] precision = new double[2];
        double[] recall = new double[2];
        double[] f1 = new double[2];
        Metrics.perClass(Metrics.confusion(y, p, 2), precision, recall, f1);
        assertEquals(0, precision[1]);
        assertEquals(0, f1[1]);
        assertEquals(1.0 / 3, precision[0], 1e-12);
    }

    @Test
    void averagePrecisionOfAHandComputableRanking() {
        // Ranked: +, -, +, -  -> precision at the positives 1/1 and 2/3, each recall step 1/2.
        double ap = Metrics.averagePrecision(new double[] {0.9, 0.8, 0.7, 0.6}, new boolean[] {true, false, true, false});
        assertEquals(0.5 * 1 + 0.5 * (2.0 / 3), ap, 1e-12);
        // Perfect ranking: 1; worst ranking of 1 positive among 4: precision 1/4.
        assertEquals(1.0, Metrics.averagePrecision(new double[] {3, 2, 1}, new boolean[] {true, true, false}), 1e-12);
        assertEquals(0.25, Metrics.averagePrecision(new double[] {4, 3, 2, 1}, new boolean[] {false, false, false, true}), 1e-12);
    }

    @Test
    void tiedScoresEnterTogetherAsScikitLearnCounts() {
        // All four tied: one threshold, precision 2/4 at recall 1.
        assertEquals(0.5, Metrics.averagePrecision(new double[] {1, 1, 1, 1}, new boolean[] {true, false, true, false}), 1e-12);
        // 0.9(+), then a tie 0.5 holding one + and one -: 1 * 1/2 + (2/3) * 1/2.
        assertEquals(0.5 + (2.0 / 3) / 2, Metrics.averagePrecision(new double[] {0.9, 0.5, 0.5},
                new boolean[] {true, true, false}), 1e-12);
        assertTrue(Double.isNaN(Metrics.averagePrecision(new double[] {1, 2}, new boolean[] {false, false})));
    }

    @Test
    void averagePrecisionIsInvariantToMonotoneRescalingOfScores() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(40);
            double[] s = new double[n];
            double[] t = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = random.nextInt(10) / 10.0; // ties on purpose
                t[i] = Math.exp(3 * s[i]) - 5;
                pos[i] = random.nextBoolean();
            }
            pos[0] = true;
            double ap = Metrics.averagePrecision(s, pos);
            assertEquals(ap, Metrics.averagePrecision(t, pos), 1e-12);
            assertTrue(ap > 0 && ap <= 1 + 1e-12);
        }
    }

    @Test
    void nllIsPlainCrossEntropyOfTheSoftmax() {
        float[] logits = {0, 0, 2, 0};
        // Row 0: uniform over 2 classes, -log 0.5. Row 1, target 1: -log(1 / (1 + e^2)) = log(1 + e^2).
        double expected = (Math.log(2) + Math.log(1 + Math.exp(2))) / 2;
        assertEquals(expected, Metrics.nll(logits, 2, 2, new int[] {0, 1}), 1e-7);
        // Large logits stay finite (max-shifted).
        assertEquals(1e4, Metrics.nll(new float[] {1e4f, 0}, 1, 2, new int[] {1}), 1e-3);
    }

    @Test
    void evaluateCombinesTheMetricsOnAMinorityClass() {
        float[] logits = {2, 0, 0, 2, 2, 0, 0, 1};
        Metrics.Evaluation e = Metrics.evaluate(logits, 4, 2, new int[] {0, 1, 1, 1}, 1);
        assertEquals(0.75, e.accuracy(), 1e-12);
        assertEquals(2.0 / 3, e.minorityRecall(), 1e-12);
        // Scores for class 1 rank rows 1, 3 (positives) above rows 0, 2 (tied, one positive): AP = 2/3 + 1/3 * 3/4.
        assertEquals(2.0 / 3 + (1.0 / 3) * 0.75, e.minorityPrAuc(), 1e-9);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        MeanStd ms = MeanStd.of(new double[] {1, 2, 3, 4});
        assertEquals(2.5, ms.mean(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), ms.std(), 1e-12);
        assertEquals(0, MeanStd.of(new double[] {7}).std());
        assertEquals(2, MeanStd.of(new double[] {1, Double.NaN, 3}).mean(), 1e-12);
        assertTrue(Double.isNaN(MeanStd.of(new double[] {Double.NaN}).mean()));
    }
}

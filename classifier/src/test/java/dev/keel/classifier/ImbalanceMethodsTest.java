package dev.keel.classifier;

import dev.keel.core.KeelRandom;
import dev.keel.core.testing.SyntheticReviews;
import dev.keel.nn.loss.LossKind;
import dev.keel.nn.loss.WeightedCrossEntropy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Class-aware sampling, effective-number weights, deferred re-weighting, logit adjustment, dropout. */
class ImbalanceMethodsTest {

    private static int[] labels(int... counts) {
        List<Integer> all = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                all.add(c);
            }
        }
        int[] out = all.stream().mapToInt(Integer::intValue).toArray();
        new KeelRandom(9).shuffle(out);
        return out;
    }

    private static int[] classCounts(int[] order, int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int r : order) {
            counts[labels[r]]++;
        }
        return counts;
    }

    @Test
    void naturalSamplingIsTheShuffleOfEveryRow() {
        int[] labels = labels(50, 20, 5);
        int[] order = new int[labels.length], expected = new int[labels.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = expected[i] = i;
        }
        ClassSampling.order("natural", order, labels, 3, new KeelRandom(4));
        new KeelRandom(4).shuffle(expected);
        assertArrayEquals(expected, order);
    }

    @Test
    void balancedSamplingDrawsEveryClassAboutEquallyAndSqrtByTheRootOfItsRows() {
        int[] labels = labels(9000, 900, 100);
        int[] order = new int[labels.length];
        ClassSampling.order("balanced", order, labels, 3, new KeelRandom(5));
        int[] counts = classCounts(order, labels, 3);
        for (int c = 0; c < 3; c++) {
            assertEquals(labels.length / 3.0, counts[c], 4 * Math.sqrt(labels.length / 3.0), Arrays.toString(counts));
        }
        boolean[] seen = new boolean[labels.length];
        for (int r : order) {
            seen[r] = true;
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] == 2) {
                assertTrue(seen[r], "every row of the rare class is drawn in an epoch that oversamples it");
            }
        }
        ClassSampling.order("sqrt", order, labels, 3, new KeelRandom(6));
        counts = classCounts(order, labels, 3);
        double total = Math.sqrt(9000) + Math.sqrt(900) + Math.sqrt(100);
        double[] shares = {Math.sqrt(9000) / total, Math.sqrt(900) / total, Math.sqrt(100) / total};
        for (int c = 0; c < 3; c++) {
            double expected = shares[c] * labels.length;
            assertEquals(expected, counts[c], 4 * Math.sqrt(expected), Arrays.toString(counts));
        }
        int[] again = new int[labels.length];
        ClassSampling.order("sqrt", again, labels, 3, new KeelRandom(6));
        assertArrayEquals(order, again, "seeded");
    }

    @Test
    void effectiveNumberWeightsFollowCuiEtAl() {
        int[] counts = {1000, 100, 10, 0};
        double beta = 0.99;
        double[] w = WeightedCrossEntropy.effectiveNumberWeights(counts, beta);
        double[] raw = new double[4];
        double weighted = 0;
        for (int c = 0; c < 3; c++) {
            raw[c] = (1 - beta) / (1 - Math.pow(beta, counts[c]));
            weighted += raw[c] * counts[c];
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(raw[c] * 1110 / weighted, w[c], 1e-12);
        }
        assertEquals(0, w[3]);
        assertArrayEquals(new double[] {1, 1, 1, 0}, WeightedCrossEntropy.effectiveNumberWeights(counts, 0), 1e-12);
        double[] almostInverse = WeightedCrossEntropy.effectiveNumberWeights(new int[] {30, 10}, 0.999999);
        double[] inverse = WeightedCrossEntropy.inverseFrequency(new int[] {30, 10});
        assertArrayEquals(inverse, almostInverse, 1e-3);
        LossKind parsed = LossKind.parse("weighted_ce:b=0.99").forClasses(counts);
        float[] resolved = ((WeightedCrossEntropy) parsed).weights();
        double[] fromFloat = WeightedCrossEntropy.effectiveNumberWeights(counts, 0.99f); // the kind keeps b as a float
        for (int c = 0; c < 4; c++) {
            assertEquals((float) fromFloat[c], resolved[c]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossKind.parse("weighted_ce:b=1"));
        assertTrue(e.getMessage().contains("beta b=1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossKind.parse("weighted_ce:b=0.9:w=1/2"));
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
        assertEquals("weighted_ce:b=0.99", LossKind.parse("weighted_ce:b=0.99").written());
    }

    private static TextClassifier.Builder small() {
        return TextClassifier.builder().epochs(4).dim(8).buckets(4096).lr(0.05).batch(16);
    }

    @Test
    void deferredReweightingIsPlainUntilItsEpochAndWeightedFromIt() {
        SyntheticReviews.Rows r = SyntheticReviews.rows(200, 7);
        float[] never = small().loss("weighted_ce").reweightFrom(5).train(r.texts(), r.labels()).logits(r.texts());
        float[] plain = small().loss("ce").train(r.texts(), r.labels()).logits(r.texts());
        assertArrayEquals(plain, never, "weights deferred past the last epoch: plain cross entropy");
        float[] fromStart = small().loss("weighted_ce").reweightFrom(1).train(r.texts(), r.labels()).logits(r.texts());
        float[] weighted = small().loss("weighted_ce").train(r.texts(), r.labels()).logits(r.texts());
        assertArrayEquals(weighted, fromStart);
        float[] deferred = small().loss("weighted_ce").reweightFrom(3).train(r.texts(), r.labels()).logits(r.texts());
        assertFalse(Arrays.equals(deferred, weighted));
        assertFalse(Arrays.equals(deferred, plain));
        assertThrows(InvalidSettingException.class, () -> small().reweightFrom(6).settings());
    }

    @Test
    void logitAdjustmentZeroDropoutZeroAndNaturalSamplingAreTheDefaults() {
        SyntheticReviews.Rows r = SyntheticReviews.rows(200, 8);
        float[] base = small().train(r.texts(), r.labels()).logits(r.texts());
        assertArrayEquals(base, small().logitAdjust(0).dropout(0).sampling("natural").train(r.texts(), r.labels())
                .logits(r.texts()));
        assertFalse(Arrays.equals(base, small().logitAdjust(1).train(r.texts(), r.labels()).logits(r.texts())));
        TextClassifier dropped = small().dropout(0.3).train(r.texts(), r.labels());
        assertEquals(0.3f, dropped.model().classifier().config().dropout());
        assertArrayEquals(dropped.logits(r.texts()), dropped.logits(r.texts()), "no dropout at inference");
        assertFalse(Arrays.equals(base, dropped.logits(r.texts())));
        assertFalse(Arrays.equals(base, small().sampling("balanced").train(r.texts(), r.labels()).logits(r.texts())));
        assertThrows(InvalidSettingException.class, () -> small().sampling("random").settings());
        assertThrows(InvalidSettingException.class, () -> small().dropout(0.95).settings());
        assertThrows(InvalidSettingException.class, () -> small().logitAdjust(-1).settings());
    }
}

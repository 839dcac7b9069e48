package dev.keel.classifier;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.CrossEntropy;
import dev.keel.nn.loss.GatedCrossEntropy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tally against gate states and gradients computed here in double from the logits. */
class ClassGateTallyTest {

    private static final double MARGIN = 0.6;

    /** Expected sums over batches: [class][closed, open], [class] squared gradient norm. */
    private static final class Expected {
        final long[][] states;
        final double[] squares;

        Expected(int classes) {
            states = new long[classes][2];
            squares = new double[classes];
        }

        /** A batch under the mean reduction: row gradient {@code B (p - onehot) / rows}, B = 1 or the hard gate. */
        void add(float[] z, int rows, int classes, int[] y, boolean gated) {
            for (int i = 0; i < rows; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < classes; j++) {
                    max = Math.max(max, z[i * classes + j]);
                }
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    sum += Math.exp(z[i * classes + j] - max);
                }
                double pt = Math.exp(z[i * classes + y[i]] - max) / sum;
                assertTrue(Math.abs(pt - MARGIN) > 1e-4, "test data too close to the edge");
                states[y[i]][pt > MARGIN ? 0 : 1]++;
                double b = gated && pt > MARGIN ? 0 : 1;
                for (int j = 0; j < classes; j++) {
                    double g = b * (Math.exp(z[i * classes + j] - max) / sum - (j == y[i] ? 1 : 0)) / rows;
                    squares[y[i]] += g * g;
                }
            }
        }
    }

    private static void check(FusedLoss loss, boolean gated, int classes) {
        KeelRandom random = new KeelRandom(classes * 31L + (gated ? 1 : 0));
        ClassGateTally tally = new ClassGateTally(classes, MARGIN);
        Expected expected = new Expected(classes);
        for (int rows : new int[] {16, 16, 5}) { // the last batch is short, as an epoch's last one is
            float[] z = new float[(rows + 3) * classes]; // a longer array behind a view, as lastLogits() gives
            int[] y = new int[rows + 2];                  // and a reused, longer targets array
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (3 * random.nextGaussian());
            }
            for (int i = 0; i < y.length; i++) {
                y[i] = random.nextInt(classes);
            }
            tally.add(loss, Tensor.wrap(z, 0, rows, classes), rows, y);
            expected.add(z, rows, classes, y, gated);
        }
        double[][] shares = tally.closedOpenEdgeShares();
        double total = 0;
        for (double s : expected.squares) {
            total += s;
        }
        double[] gradientShares = tally.gradientShares();
        for (int c = 0; c < classes; c++) {
            double rows = expected.states[c][0] + expected.states[c][1];
            assertEquals(expected.states[c][0] / rows, shares[c][0], 1e-12, "closed, class " + c);
            assertEquals(expected.states[c][1] / rows, shares[c][1], 1e-12, "open, class " + c);
            assertEquals(0.0, shares[c][2], "edge, class " + c);
            assertEquals(expected.squares[c] / total, gradientShares[c], 1e-5, "gradient share, class " + c);
        }
    }

    @Test
    void crossEntropyAgainstAReferenceMargin() {
        check(FusedLoss.of(new CrossEntropy()), false, 2);
        check(FusedLoss.of(new CrossEntropy()), false, 5);
    }

    @Test
    void gatedLossLeavesClosedRowsOutOfTheGradient() {
        check(FusedLoss.of(new GatedCrossEntropy((float) MARGIN)), true, 2);
        check(FusedLoss.of(new GatedCrossEntropy((float) MARGIN)), true, 3);
    }

    @Test
    void emptyTallyIsNaN() {
        ClassGateTally tally = new ClassGateTally(2, MARGIN);
        assertTrue(Double.isNaN(tally.closedShare()));
        assertTrue(Double.isNaN(tally.closedOpenEdgeShares()[0][0]));
        assertTrue(Double.isNaN(tally.gradientShares()[1]));
    }
}

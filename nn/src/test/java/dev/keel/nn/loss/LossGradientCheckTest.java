package dev.keel.nn.loss;

import dev.keel.nn.testing.ReferenceLosses;
import dev.keel.core.KeelRandom;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision finite-difference checks of every differentiable kind's gradient, on every
 * kernel path: central differences of {@link ReferenceLosses} (written from the definitions) at the
 * same logits, against the kernels' analytic float gradient. The loss values are compared too.
 */
class LossGradientCheckTest {

    private static final double STEP = 1e-5;

    @Test
    void softmaxKindsMatchFiniteDifferences() {
        KeelRandom random = new KeelRandom(11);
        List<String> failures = new ArrayList<>();
        for (int classes : new int[] {2, 3, 10, 40, 70}) {
            int rows = 37; // two vector tiles of 16 and a scalar remainder
            float[] alpha = new float[classes];
            float[] weights = new float[classes];
            for (int c = 0; c < classes; c++) {
                alpha[c] = 0.1f + 0.9f * random.nextFloat();
                weights[c] = 0.1f + 3 * random.nextFloat();
            }
            float margin = (1f + 1f / classes) / 2;
            List<FusedLoss> losses = List.of(FusedLoss.of(new CrossEntropy()), FusedLoss.of(new WeightedCrossEntropy(weights)),
                    FusedLoss.of(new GatedCrossEntropy(margin)), FusedLoss.of(new SoftGatedCrossEntropy(margin, 5f)), FusedLoss.of(new SoftGatedCrossEntropy(0.9f, 30f)),
                    FusedLoss.of(new FocalLoss(0f)), FusedLoss.of(new FocalLoss(0.5f)), FusedLoss.of(new FocalLoss(2f, alpha)), FusedLoss.of(new FocalLoss(5f)));
            for (double scale : new double[] {1, 4}) {
                float[] logits = LossTestSupport.randomLogits(random, rows * classes, scale);
                int[] targets = LossTestSupport.randomTargets(random, rows, classes);
                for (FusedLoss loss : losses) {
                    check(loss, logits, rows, classes, targets, failures);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " mismatches, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(15, failures.size()))));
    }

    @Test
    void binaryKindsMatchFiniteDifferences() {
        KeelRandom random = new KeelRandom(12);
        List<String> failures = new ArrayList<>();
        int rows = 53;
        List<FusedLoss> losses = List.of(FusedLoss.of(new BinaryCrossEntropy()), FusedLoss.of(new SigmoidFocalLoss(0f, -1f)),
                FusedLoss.of(new SigmoidFocalLoss(0.5f, 0.25f)), FusedLoss.of(new SigmoidFocalLoss(2f, 0.75f)), FusedLoss.of(new SigmoidFocalLoss(5f, -1f)),
                FusedLoss.of(new GatedBinaryCrossEntropy(0.6f)), FusedLoss.of(new GatedBinaryCrossEntropy(0.9f)));
        for (double scale : new double[] {1, 6}) {
            float[] logits = LossTestSupport.randomLogits(random, rows, scale);
            int[] targets = LossTestSupport.randomTargets(random, rows, 2);
            for (FusedLoss loss : losses) {
                check(loss, logits, rows, 1, targets, failures);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " mismatches, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(15, failures.size()))));
    }

    private static void check(FusedLoss loss, float[] logits, int rows, int classes, int[] targets,
                              List<String> failures) {
        double[] z = ReferenceLosses.toDouble(logits);
        double reference = ReferenceLosses.loss(loss.kind(), z, rows, classes, targets);
        double divisor = ReferenceLosses.divisor(loss.kind(), rows, targets);
        double[] pt = ReferenceLosses.targetProbabilities(loss.kind(), logits, rows, classes, targets);
        for (LossKernels path : LossTestSupport.paths()) {
            FusedLoss onPath = loss.withKernels(path);
            float[] grad = new float[logits.length];
            double value = onPath.compute(logits, rows, classes, targets, grad);
            if (Math.abs(value - reference) > 1e-5 * Math.abs(reference) + 1e-6) {
                failures.add(onPath + ": loss " + value + ", reference " + reference);
            }
            for (int i = 0; i < logits.length; i++) {
                int row = i / classes;
                if (!Double.isNaN(loss.kind().margin()) && Math.abs(pt[row] - loss.kind().margin()) < 1e-3
                        && !(loss.kind() instanceof SoftGatedCrossEntropy)) {
                    continue; // a hard gate's edge: no derivative there
                }
                // only the row's own loss depends on z[i]
                double saved = z[i];
                z[i] = saved + STEP;
                double up = ReferenceLosses.rowLoss(loss.kind(), z, row, classes, targets[row]);
                z[i] = saved - STEP;
                double down = ReferenceLosses.rowLoss(loss.kind(), z, row, classes, targets[row]);
                z[i] = saved;
                double numeric = (up - down) / (2 * STEP) / divisor;
                if (Math.abs(grad[i] - numeric) > 1e-4 * Math.abs(numeric) + 2e-6) {
                    failures.add(onPath + " " + rows + "x" + classes + ": d/dz[" + i + "] " + grad[i]
                            + ", finite difference " + numeric);
                }
            }
        }
    }
}

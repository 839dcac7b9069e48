package dev.keel.nn.loss;

import dev.keel.nn.testing.ReferenceLosses;
import dev.keel.core.KeelRandom;
import dev.keel.core.kernel.Kernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The properties the specification promises, on every kernel path, and the paths' agreement. */
class LossPropertiesTest {

    @Test
    void vectorPathExistsWhereTheJvmAllowsIt() {
        boolean simdAllowed = !"false".equals(System.getProperty(Kernels.SIMD_PROPERTY));
        assertEquals(Kernels.vector().isPresent() && simdAllowed, LossKernels.vector().isPresent(),
                Kernels.describe());
        assertEquals(LossKernels.vector().isPresent() ? "vector" : "scalar", LossKernels.active().name());
        assertEquals(LossKernels.active(), FusedLoss.of(new CrossEntropy()).kernels());
    }

    @Test
    void finiteForLogitsUpTo1e4AndGammaUpTo10() {
        KeelRandom random = new KeelRandom(1);
        int rows = 41;
        List<String> failures = new ArrayList<>();
        for (int classes : new int[] {2, 3, 10, 40, 70}) {
            float[] logits = extremeLogits(random, rows * classes);
            int[] targets = LossTestSupport.randomTargets(random, rows, classes);
            List<FusedLoss> losses = new ArrayList<>(LossTestSupport.everyKind(random, classes));
            for (float gamma : new float[] {0f, 1e-3f, 0.25f, 0.5f, 1f, 2f, 5f, 10f}) {
                losses.add(FusedLoss.of(new FocalLoss(gamma)));
            }
            losses.add(FusedLoss.of(new SoftGatedCrossEntropy(0.99f, 1e4f)));
            for (FusedLoss loss : losses) {
                checkFinite(loss, logits, rows, classes, targets, failures);
            }
        }
        float[] logits = extremeLogits(random, rows);
        int[] targets = LossTestSupport.randomTargets(random, rows, 2);
        List<FusedLoss> binary = new ArrayList<>(LossTestSupport.everyBinaryKind());
        for (float gamma : new float[] {0f, 1e-3f, 0.5f, 1f, 10f}) {
            binary.add(FusedLoss.of(new SigmoidFocalLoss(gamma, 0.25f)));
        }
        for (FusedLoss loss : binary) {
            checkFinite(loss, logits, rows, 1, targets, failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    /** Logits of +-1e4 and +-1e3 and 0 mixed, and whole rows at one extreme. */
    private static float[] extremeLogits(KeelRandom random, int n) {
        float[] values = {1e4f, -1e4f, 1e3f, -1e3f, 0f, 3f, 9999.5f};
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = i < n / 4 ? -1e4f : values[random.nextInt(values.length)];
        }
        return z;
    }

    private static void checkFinite(FusedLoss loss, float[] logits, int rows, int classes, int[] targets,
                                    List<String> failures) {
        for (LossKernels path : LossTestSupport.paths()) {
            for (Reduction reduction : Reduction.values()) {
                FusedLoss l = loss.withKernels(path).withReduction(reduction);
                float[] grad = new float[logits.length];
                float[] rowLosses = new float[rows];
                double value = l.computeRows(logits, rows, classes, targets, rowLosses, grad);
                if (!Double.isFinite(value)) {
                    failures.add(l + ": loss " + value);
                }
                for (int i = 0; i < grad.length; i++) {
                    if (!Float.isFinite(grad[i])) {
                        failures.add(l + ": grad[" + i + "] = " + grad[i]);
                        break;
                    }
                }
                for (int i = 0; i < rows; i++) {
                    if (!Float.isFinite(rowLosses[i]) || rowLosses[i] < 0) {
                        failures.add(l + ": row loss " + i + " = " + rowLosses[i]);
                        break;
                    }
                }
            }
        }
    }

    @Test
    void focalWithGammaZeroIsCrossEntropy() {
        KeelRandom random = new KeelRandom(2);
        for (LossKernels path : LossTestSupport.paths()) {
            for (int classes : new int[] {2, 5, 40, 70}) {
                int rows = 35;
                float[] logits = LossTestSupport.randomLogits(random, rows * classes, 5);
                int[] targets = LossTestSupport.randomTargets(random, rows, classes);
                float[] focalGrad = new float[logits.length];
                float[] ceGrad = new float[logits.length];
                double focal = FusedLoss.of(new FocalLoss(0f)).withKernels(path).compute(logits, rows, classes, targets, focalGrad);
                double ce = FusedLoss.of(new CrossEntropy()).withKernels(path).compute(logits, rows, classes, targets, ceGrad);
                assertEquals(ce, focal, 1e-6 * ce, path.name());
                for (int i = 0; i < logits.length; i++) {
                    assertEquals(ceGrad[i], focalGrad[i], 1e-6 * Math.abs(ceGrad[i]) + 1e-9, path.name() + " " + i);
                }
            }
        }
    }

    @Test
    void softGatedApproachesGatedAsSharpnessGrows() {
        KeelRandom random = new KeelRandom(3);
        int rows = 48;
        int classes = 4;
        float margin = 0.6f;
        float[] logits = LossTestSupport.randomLogits(random, rows * classes, 3);
        int[] targets = LossTestSupport.randomTargets(random, rows, classes);
        double[] pt = ReferenceLosses.targetProbabilities(new GatedCrossEntropy(margin), logits, rows, classes, targets);
        for (LossKernels path : LossTestSupport.paths()) {
            float[] gatedGrad = new float[logits.length];
            double gated = FusedLoss.of(new GatedCrossEntropy(margin)).withKernels(path).compute(logits, rows, classes, targets, gatedGrad);
            double previousError = Double.POSITIVE_INFINITY;
            for (float k : new float[] {10f, 100f, 1e3f, 1e5f}) {
                float[] softGrad = new float[logits.length];
                double soft = FusedLoss.of(new SoftGatedCrossEntropy(margin, k)).withKernels(path)
                        .compute(logits, rows, classes, targets, softGrad);
                double error = Math.abs(soft - gated);
                assertTrue(error <= previousError, path.name() + " k=" + k + ": " + error + " after " + previousError);
                previousError = error;
                if (k >= 1e5f) {
                    assertEquals(gated, soft, 1e-6, path.name());
                    for (int i = 0; i < logits.length; i++) {
                        // the derivative of the soft step peaks at the edge
                        if (Math.abs(pt[i / classes] - margin) > 1e-3) {
                            assertEquals(gatedGrad[i], softGrad[i], 1e-6, path.name() + " grad " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void softGatedGivesHalfWeightOnTheEdgeLikeGated() {
        // p_t == 0.5 exactly: two equal logits and a third one whose exp underflows to 0
        int rows = 20;
        float[] logits = new float[rows * 3];
        int[] targets = new int[rows];
        for (int i = 0; i < rows; i++) {
            logits[i * 3 + 2] = -1e4f;
            targets[i] = i % 2;
        }
        double halfLn2 = 0.5 * Math.log(2);
        for (LossKernels path : LossTestSupport.paths()) {
            float[] rowLosses = new float[rows];
            double gated = FusedLoss.of(new GatedCrossEntropy(0.5f)).withKernels(path).computeRows(logits, rows, 3, targets, rowLosses, null);
            assertEquals(halfLn2, gated, 1e-7, path.name());
            for (float k : new float[] {1f, 1e3f, 1e6f}) {
                double soft = FusedLoss.of(new SoftGatedCrossEntropy(0.5f, k)).withKernels(path).compute(logits, rows, 3, targets, null);
                assertEquals(halfLn2, soft, 1e-7, path.name() + " k=" + k);
            }
            assertEquals(FusedLoss.of(new GatedCrossEntropy(0.5f)).gateStats(logits, rows, 3, targets).onEdge(), rows);
        }
    }

    @Test
    void twoClassGatedIsGatedBinaryOnTheLogitDifference() {
        KeelRandom random = new KeelRandom(4);
        int rows = 45;
        float[] logits = new float[rows * 2];
        float[] difference = new float[rows];
        for (int i = 0; i < rows; i++) { // multiples of 1/64 in [-8, 8]: the differences are exact
            logits[2 * i] = (random.nextInt(1025) - 512) / 64f;
            logits[2 * i + 1] = (random.nextInt(1025) - 512) / 64f;
            difference[i] = logits[2 * i + 1] - logits[2 * i];
        }
        int[] targets = LossTestSupport.randomTargets(random, rows, 2);
        for (LossKernels path : LossTestSupport.paths()) {
            for (float margin : new float[] {0.6f, 0.75f, 0.9f, 0.99f}) {
                float[] gatedGrad = new float[rows * 2];
                float[] binaryGrad = new float[rows];
                double gated = FusedLoss.of(new GatedCrossEntropy(margin)).withKernels(path).compute(logits, rows, 2, targets, gatedGrad);
                double binary = FusedLoss.of(new GatedBinaryCrossEntropy(margin)).withKernels(path)
                        .compute(difference, rows, 1, targets, binaryGrad);
                assertEquals(gated, binary, 1e-6 * gated + 1e-7, path.name() + " margin " + margin);
                for (int i = 0; i < rows; i++) {
                    assertEquals(binaryGrad[i], gatedGrad[2 * i + 1], 1e-6, path.name() + " row " + i);
                    assertEquals(-binaryGrad[i], gatedGrad[2 * i], 1e-6, path.name() + " row " + i);
                }
            }
        }
    }

    @Test
    void vectorPathAgreesWithScalarOnManyShapes() {
        LossKernels vector = LossKernels.vector().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null, "no vector path in this JVM");
        KeelRandom random = new KeelRandom(5);
        List<String> failures = new ArrayList<>();
        int[][] shapes = {{1, 2}, {15, 2}, {16, 2}, {17, 3}, {33, 2}, {100, 10}, {257, 2}, {300, 17}, {40, 32},
            {21, 33}, {35, 64}, {18, 65}, {19, 1000}, {64, 7}, {1, 1}, {15, 1}, {16, 1}, {17, 1}, {600, 1}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int classes = shape[1];
            List<FusedLoss> losses = classes == 1 ? LossTestSupport.everyBinaryKind()
                    : LossTestSupport.everyKind(random, classes);
            for (double scale : new double[] {0.5, 5, 50}) {
                float[] logits = LossTestSupport.randomLogits(random, rows * classes, scale);
                int[] targets = LossTestSupport.randomTargets(random, rows, classes == 1 ? 2 : classes);
                for (FusedLoss loss : losses) {
                    compare(loss, vector, logits, rows, classes, targets, failures);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " disagreements, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(15, failures.size()))));
    }

    /** Adds to {@code failures} where {@code vector} and the scalar path disagree beyond the tolerances. */
    static void compare(FusedLoss loss, LossKernels vector, float[] logits, int rows, int classes,
                        int[] targets, List<String> failures) {
        float[] scalarGrad = new float[logits.length];
        float[] vectorGrad = new float[logits.length];
        float[] scalarRows = new float[rows];
        float[] vectorRows = new float[rows];
        FusedLoss scalarLoss = loss.withKernels(LossKernels.scalar());
        double s = scalarLoss.computeRows(logits, rows, classes, targets, scalarRows, scalarGrad);
        double v = loss.withKernels(vector).computeRows(logits, rows, classes, targets, vectorRows, vectorGrad);
        String where = scalarLoss + " " + rows + "x" + classes;
        // The soft gate sigma(k (m - p)) turns an error dp in p into a relative error of up to k dp
        // in the row's loss and gradient: the float path's p (within an ulp or so of the double
        // path's) is allowed that much on top, which matters for the sharp gates (k in the hundreds).
        double gate = loss.kind() instanceof SoftGatedCrossEntropy soft ? soft.sharpness() * Math.ulp(1f) : 0;
        double lossTolerance = 1e-5 + gate;
        if (Math.abs(s - v) > lossTolerance * Math.abs(s) + 1e-6) {
            failures.add(where + ": loss scalar " + s + ", vector " + v);
        }
        for (int i = 0; i < rows; i++) {
            if (Math.abs(scalarRows[i] - vectorRows[i]) > lossTolerance * Math.abs(scalarRows[i]) + 1e-6) {
                failures.add(where + ": row loss " + i + " scalar " + scalarRows[i] + ", vector " + vectorRows[i]);
            }
        }
        for (int i = 0; i < logits.length; i++) {
            if (Math.abs(scalarGrad[i] - vectorGrad[i]) > (1e-4 + gate) * Math.abs(scalarGrad[i]) + 1e-7) {
                failures.add(where + ": grad[" + i + "] scalar " + scalarGrad[i] + ", vector " + vectorGrad[i]);
            }
        }
    }

    @Test
    void reductionsAreConsistent() {
        KeelRandom random = new KeelRandom(6);
        for (LossKernels path : LossTestSupport.paths()) {
            for (int classes : new int[] {1, 3, 40, 70}) {
                int rows = 37;
                List<FusedLoss> losses = classes == 1 ? LossTestSupport.everyBinaryKind()
                        : LossTestSupport.everyKind(random, classes);
                float[] logits = LossTestSupport.randomLogits(random, rows * classes, 3);
                int[] targets = LossTestSupport.randomTargets(random, rows, classes == 1 ? 2 : classes);
                for (FusedLoss loss : losses) {
                    FusedLoss base = loss.withKernels(path);
                    float[] meanGrad = new float[logits.length];
                    float[] sumGrad = new float[logits.length];
                    float[] noneGrad = new float[logits.length];
                    float[] rowLosses = new float[rows];
                    double mean = base.compute(logits, rows, classes, targets, meanGrad);
                    double sum = base.withReduction(Reduction.SUM).compute(logits, rows, classes, targets, sumGrad);
                    double none = base.withReduction(Reduction.NONE)
                            .computeRows(logits, rows, classes, targets, rowLosses, noneGrad);
                    double rowSum = 0;
                    for (float l : rowLosses) {
                        rowSum += l;
                    }
                    double divisor = rows;
                    if (loss.kind() instanceof WeightedCrossEntropy weighted) {
                        divisor = 0;
                        for (int t : targets) {
                            divisor += weighted.weights()[t];
                        }
                    }
                    assertEquals(sum, none, 1e-9 * sum, base.toString());
                    assertEquals(sum, rowSum, 1e-6 * sum, base.toString());
                    assertEquals(sum / divisor, mean, 1e-6 * mean, base.toString());
                    assertEquals(mean, base.compute(logits, rows, classes, targets, null), 1e-12 * mean,
                            base.toString());
                    for (int i = 0; i < logits.length; i++) {
                        assertEquals(sumGrad[i], noneGrad[i], 0f, base + " grad " + i);
                        assertEquals(sumGrad[i] / divisor, meanGrad[i], 1e-6 * Math.abs(sumGrad[i]) + 1e-9,
                                base + " grad " + i);
                    }
                }
            }
        }
    }

    @Test
    void aBatchWhoseTargetsWeighNothingHasLossZero() {
        float[] logits = {1f, 2f, 3f, 0f, -1f, 4f};
        int[] targets = {0, 0};
        for (LossKernels path : LossTestSupport.paths()) {
            float[] grad = new float[logits.length];
            java.util.Arrays.fill(grad, Float.NaN);
            double loss = FusedLoss.of(new WeightedCrossEntropy(new float[] {0f, 1f, 2f})).withKernels(path)
                    .compute(logits, 2, 3, targets, grad);
            assertEquals(0.0, loss);
            for (float g : grad) {
                assertEquals(0f, g, 0f);
            }
        }
    }

    @Test
    void anEmptyBatchHasLossZero() {
        for (LossKernels path : LossTestSupport.paths()) {
            assertEquals(0.0, FusedLoss.of(new CrossEntropy()).withKernels(path).compute(new float[0], 0, 5, new int[0], null));
        }
    }
}

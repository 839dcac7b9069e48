package dev.keel.nn.loss;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invalid hyper-parameters, shapes, targets and logits are rejected with messages that name them. */
class LossValidationTest {

    private static void rejects(Executable call, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String mention : mentions) {
            assertTrue(e.getMessage().contains(mention), "'" + e.getMessage() + "' should mention '" + mention + "'");
        }
    }

    @Test
    void badHyperParameters() {
        rejects(() -> FusedLoss.of(new GatedCrossEntropy(1f)), "margin m=1 ");
        rejects(() -> FusedLoss.of(new GatedCrossEntropy(0f)), "margin m=0 ");
        rejects(() -> FusedLoss.of(new GatedCrossEntropy(Float.NaN)), "margin m=NaN");
        rejects(() -> FusedLoss.of(new GatedBinaryCrossEntropy(0.5f)), "margin m=0.5 ", "0.5 < m < 1");
        rejects(() -> FusedLoss.of(new GatedBinaryCrossEntropy(1.2f)), "margin m=1.2");
        rejects(() -> FusedLoss.of(new SoftGatedCrossEntropy(0.7f, 0f)), "sharpness k=0 ");
        rejects(() -> FusedLoss.of(new SoftGatedCrossEntropy(0.7f, -2f)), "sharpness k=-2 ");
        rejects(() -> FusedLoss.of(new SoftGatedCrossEntropy(0.7f, Float.NaN)), "sharpness k=NaN");
        rejects(() -> FusedLoss.of(new SoftGatedCrossEntropy(0.7f, Float.POSITIVE_INFINITY)), "sharpness k=Infinity");
        rejects(() -> FusedLoss.of(new SoftGatedCrossEntropy(1.5f, 5f)), "margin m=1.5");
        rejects(() -> FusedLoss.of(new FocalLoss(-0.5f)), "gamma g=-0.5");
        rejects(() -> FusedLoss.of(new FocalLoss(Float.NaN)), "gamma g=NaN");
        rejects(() -> FusedLoss.of(new SigmoidFocalLoss(-1f, 0.25f)), "gamma g=-1 ");
        rejects(() -> FusedLoss.of(new FocalLoss(2f, new float[] {0.5f, 1.5f})), "alpha a=1.5 of class 1");
        rejects(() -> FusedLoss.of(new FocalLoss(2f, new float[] {Float.NaN, 0.5f})), "alpha a=NaN of class 0");
        rejects(() -> FusedLoss.of(new SigmoidFocalLoss(2f, 1.25f)), "alpha a=1.25");
        rejects(() -> FusedLoss.of(new SigmoidFocalLoss(2f, Float.NaN)), "alpha a=NaN");
        rejects(() -> FusedLoss.of(new WeightedCrossEntropy(new float[] {1f, -0.5f, 2f})), "class weight w=-0.5 of class 1");
        rejects(() -> FusedLoss.of(new WeightedCrossEntropy(new float[] {1f, Float.NaN})), "class weight w=NaN of class 1");
        rejects(() -> FusedLoss.of(new WeightedCrossEntropy(new float[] {Float.POSITIVE_INFINITY})), "Infinity");
        rejects(() -> FusedLoss.of(new WeightedCrossEntropy(null)), "null");
    }

    @Test
    void sigmoidFocalTakesANegativeAlphaAsNone() {
        float[] x = {2f, -1f};
        int[] y = {1, 0};
        assertEquals(FusedLoss.of(new SigmoidFocalLoss(2f, -1f)).compute(x, 2, 1, y, null),
                FusedLoss.of(new SigmoidFocalLoss(2f, -0.001f)).compute(x, 2, 1, y, null));
    }

    @Test
    void hyperParametersThatDependOnTheClasses() {
        float[] logits = new float[12];
        int[] targets = new int[4];
        rejects(() -> FusedLoss.of(new GatedCrossEntropy(0.3f)).compute(logits, 4, 3, targets, null), "margin m=0.3 ", "3 classes");
        rejects(() -> FusedLoss.of(new SoftGatedCrossEntropy(0.3f, 5f)).compute(logits, 4, 3, targets, null), "margin m=0.3 ");
        rejects(() -> FusedLoss.of(new WeightedCrossEntropy(new float[] {1f, 2f})).compute(logits, 4, 3, targets, null),
                "2 values", "3 classes");
        rejects(() -> FusedLoss.of(new FocalLoss(1f, new float[] {0.5f, 0.5f, 0.5f, 0.5f})).compute(logits, 4, 3, targets, null),
                "alpha has 4 values");
        rejects(() -> FusedLoss.of(new GatedCrossEntropy(0.7f)).gateStats(0.2f, logits, 4, 3, targets), "margin m=0.2 ");
    }

    @Test
    void badShapes() {
        FusedLoss ce = FusedLoss.of(new CrossEntropy());
        rejects(() -> ce.compute(new float[10], 3, 3, new int[3], null), "length 10", "3 * 3 = 9");
        rejects(() -> ce.compute(new float[9], 3, 3, new int[2], null), "targets", "length 2");
        rejects(() -> ce.compute(new float[9], 3, 3, new int[3], new float[8]), "grad", "length 8", "9");
        rejects(() -> ce.compute(new float[3], 3, 1, new int[3], null), "classes >= 2");
        rejects(() -> ce.compute(new float[0], -1, 3, new int[0], null), "rows -1");
        rejects(() -> ce.computeRows(new float[9], 3, 3, new int[3], new float[2], null), "rowLosses", "length 2");
        rejects(() -> FusedLoss.of(new BinaryCrossEntropy()).compute(new float[6], 3, 2, new int[3], null), "classes = 2");
        assertThrows(NullPointerException.class, () -> ce.compute(null, 0, 2, new int[0], null));
    }

    @Test
    void targetsOutOfRangeNameTheirRow() {
        for (LossKernels path : LossTestSupport.paths()) {
            int rows = 40;
            int[] targets = new int[rows];
            targets[33] = 5;
            rejects(() -> FusedLoss.of(new CrossEntropy()).withKernels(path).compute(new float[rows * 5], rows, 5, targets, null),
                    "target 5", "row 33", "[0, 5)");
            targets[33] = -1;
            rejects(() -> FusedLoss.of(new FocalLoss(2f)).withKernels(path).compute(new float[rows * 5], rows, 5, targets, null),
                    "target -1", "row 33");
            int[] binaryTargets = new int[rows];
            binaryTargets[7] = 2;
            rejects(() -> FusedLoss.of(new BinaryCrossEntropy()).withKernels(path).compute(new float[rows], rows, 1, binaryTargets,
                    null), "target 2", "row 7", "[0, 2)");
        }
    }

    @Test
    void nonFiniteLogitsNameTheirRowOnEveryPath() {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (LossKernels path : LossTestSupport.paths()) {
            // a row inside a vector tile, a row in the scalar remainder, and rows of the along-the-row path
            for (int[] shape : new int[][] {{40, 3, 20, 1}, {40, 3, 35, 2}, {20, 70, 13, 69}, {40, 1, 21, 0}}) {
                int rows = shape[0];
                int classes = shape[1];
                int row = shape[2];
                int column = shape[3];
                for (float value : bad) {
                    float[] logits = new float[rows * classes];
                    logits[row * classes + column] = value;
                    FusedLoss loss = (classes == 1 ? FusedLoss.of(new GatedBinaryCrossEntropy(0.7f)) : FusedLoss.of(new GatedCrossEntropy(0.7f))).withKernels(path);
                    rejects(() -> loss.compute(logits, rows, classes, new int[rows], new float[logits.length]),
                            "logit " + value, "row " + row + ",", "column " + column);
                }
            }
        }
    }

    @Test
    void aTargetLogitMoreThanTheFloatRangeBelowTheLargestNamesItsRow() {
        for (LossKernels path : LossTestSupport.paths()) {
            // a tile row (3 classes), a row of the 33-64 class tiles, and a wide row
            for (int[] shape : new int[][] {{40, 3, 20}, {40, 50, 33}, {20, 130, 7}}) {
                int rows = shape[0];
                int classes = shape[1];
                int row = shape[2];
                float[] logits = new float[rows * classes];
                logits[row * classes] = 3e38f;
                logits[row * classes + 1] = -3e38f;
                int[] targets = new int[rows];
                targets[row] = 1;
                for (FusedLoss loss : LossTestSupport.everyKind(new dev.keel.core.KeelRandom(row), classes)) {
                    rejects(() -> loss.withKernels(path).compute(logits, rows, classes, targets, new float[logits.length]),
                            "target logit of row " + row + " (-3.0E38) lies more than the float range below");
                }
                // the same logits with the largest as the target: p_t = 1, a finite loss and gradient
                targets[row] = 0;
                float[] grad = new float[logits.length];
                double value = FusedLoss.of(new FocalLoss(2f)).withKernels(path).compute(logits, rows, classes, targets, grad);
                assertTrue(Double.isFinite(value), path + ": " + value);
                for (float g : grad) {
                    assertTrue(Float.isFinite(g), path + ": gradient " + g);
                }
            }
        }
    }
}

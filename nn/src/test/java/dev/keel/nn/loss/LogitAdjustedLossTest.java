package dev.keel.nn.loss;

import dev.keel.core.KeelRandom;
import dev.keel.nn.testing.ReferenceLosses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogitAdjustedLossTest {

    @Test
    void itIsTheInnerLossOnShiftedLogitsWithTheSameGradient() {
        KeelRandom random = new KeelRandom(3);
        int rows = 37, classes = 4;
        float[] z = new float[rows * classes];
        int[] t = new int[rows];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (2 * random.nextGaussian());
        }
        for (int r = 0; r < rows; r++) {
            t[r] = random.nextInt(classes);
        }
        float[] offsets = LogitAdjustedLoss.offsets(1, new int[] {700, 200, 90, 10});
        assertEquals(Math.log(0.7), offsets[0], 1e-6);
        assertEquals(Math.log(0.01), offsets[3], 1e-6);
        for (LossKernels path : LossTestSupport.paths()) {
            FusedLoss ce = FusedLoss.of(new CrossEntropy()).withKernels(path);
            LogitAdjustedLoss adjusted = new LogitAdjustedLoss(ce, offsets);
            float[] shifted = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                shifted[i] = z[i] + offsets[i % classes];
            }
            float[] grad = new float[z.length], expectedGrad = new float[z.length];
            double value = adjusted.compute(z, rows, classes, t, grad);
            assertEquals(ce.compute(shifted, rows, classes, t, expectedGrad), value);
            assertArrayEquals(expectedGrad, grad);
            // and against the double-precision reference with finite differences through the shift
            double[] zd = ReferenceLosses.toDouble(shifted);
            assertEquals(ReferenceLosses.loss(new CrossEntropy(), zd, rows, classes, t), value, 1e-5);
            for (int i = 0; i < z.length; i += 7) {
                double h = 1e-4, saved = zd[i];
                zd[i] = saved + h;
                double up = ReferenceLosses.loss(new CrossEntropy(), zd, rows, classes, t);
                zd[i] = saved - h;
                double down = ReferenceLosses.loss(new CrossEntropy(), zd, rows, classes, t);
                zd[i] = saved;
                assertEquals((up - down) / (2 * h), grad[i], 1e-5, path + " d/dz[" + i + "]");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LogitAdjustedLoss(FusedLoss.of(new CrossEntropy()), offsets).compute(z, rows * 2, 2,
                        new int[rows * 2], null));
        assertTrue(e.getMessage().contains("4 logit offsets for 2 classes"), e.getMessage());
    }
}

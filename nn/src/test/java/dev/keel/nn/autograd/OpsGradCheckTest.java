package dev.keel.nn.autograd;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.testing.TestLosses;
import org.junit.jupiter.api.Test;

import static dev.keel.nn.testing.Checks.assertPasses;
import static dev.keel.nn.testing.Checks.awayFromZero;
import static dev.keel.nn.testing.Checks.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every autograd operation against central finite differences (run on both kernel paths). */
class OpsGradCheckTest {

    @Test
    void elementwiseBinaryOps() {
        assertPasses(GradCheck.check(v -> v[0].add(v[1]), randn(1, 3, 4), randn(2, 3, 4)));
        assertPasses(GradCheck.check(v -> v[0].sub(v[1]), randn(3, 3, 4), randn(4, 3, 4)));
        assertPasses(GradCheck.check(v -> v[0].mul(v[1]), randn(5, 3, 4), randn(6, 3, 4)));
        // the same value on both sides: gradients from both uses must add up
        assertPasses(GradCheck.check(v -> v[0].mul(v[0]).sub(v[0]), randn(7, 5)));
    }

    @Test
    void scaleSumMeanReshape() {
        assertPasses(GradCheck.check(v -> v[0].scale(-1.7f), randn(8, 2, 3)));
        assertPasses(GradCheck.check(v -> v[0].sum(), randn(9, 2, 3)));
        assertPasses(GradCheck.check(v -> v[0].mean(), randn(10, 4, 3)));
        assertPasses(GradCheck.check(v -> v[0].reshape(3, 2).mul(v[1]), randn(11, 2, 3), randn(12, 3, 2)));
    }

    @Test
    void matmulAndBias() {
        assertPasses(GradCheck.check(v -> v[0].matmul(v[1]), randn(13, 3, 4), randn(14, 4, 2)));
        assertPasses(GradCheck.check(v -> v[0].addBias(v[1]), randn(15, 3, 4), randn(16, 4)));
        assertPasses(GradCheck.check(v -> v[0].addBias(v[1]), randn(17, 2, 3, 4), randn(18, 4)));
        assertPasses(GradCheck.check(v -> Functional.linear(v[0], v[1], v[2]),
                randn(19, 5, 4), randn(20, 3, 4), randn(21, 3)));
        assertPasses(GradCheck.check(v -> Functional.linear(v[0], v[1], null), randn(22, 5, 4), randn(23, 3, 4)));
    }

    @Test
    void activations() {
        assertPasses(GradCheck.check(v -> v[0].relu(), awayFromZero(24, 0.1f, 4, 5)));
        assertPasses(GradCheck.check(v -> v[0].tanh(), randn(25, 4, 5)));
        assertPasses(GradCheck.check(v -> v[0].sigmoid(), randn(26, 4, 5).scale(3f)));
    }

    @Test
    void softmaxAndLogSoftmax() {
        assertPasses(GradCheck.check(v -> v[0].softmax(), randn(27, 3, 5)));
        assertPasses(GradCheck.check(v -> v[0].logSoftmax(), randn(28, 3, 5)));
        // large logits: the max shift keeps it finite and exact
        assertPasses(GradCheck.check(v -> v[0].logSoftmax(), randn(29, 2, 4).scale(30f)));
    }

    @Test
    void dropoutWithAFixedSeedIsAMaskedScale() {
        // a fresh generator per call: every evaluation draws the same mask
        assertPasses(GradCheck.check(v -> Functional.dropout(v[0], 0.3f, new KeelRandom(5), true), randn(30, 6, 4)));
        Value x = Value.leaf(randn(31, 1000));
        Value y = Functional.dropout(x, 0.25f, new KeelRandom(6), true);
        int zeros = 0;
        for (int i = 0; i < 1000; i++) {
            float out = y.data().data()[i];
            if (out == 0f) {
                zeros++;
            } else {
                assertEquals(x.data().data()[i] / 0.75f, out, 1e-6f);
            }
        }
        assertTrue(zeros > 200 && zeros < 300, "dropped " + zeros + " of 1000 at p = 0.25");
        assertTrue(Functional.dropout(x, 0.25f, new KeelRandom(6), false) == x, "eval mode is the identity");
    }

    @Test
    void embeddingGatherWithRepeatedIds() {
        int[] ids = {0, 2, 2, 5, 1};
        assertPasses(GradCheck.check(v -> Functional.embedding(v[0], ids), randn(32, 6, 3)));
        Tensor w = randn(33, 6, 3);
        Value out = Functional.embedding(Value.constant(w), ids);
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(w.get(ids[i], j), out.data().get(i, j));
            }
        }
    }

    @Test
    void embeddingBagMeanAndSumWithAnEmptyBag() {
        int[] ids = {4, 1, 1, 0, 5, 3};
        int[] offsets = {0, 2, 2, 5, 6}; // bag 1 is empty
        for (BagMode mode : BagMode.values()) {
            assertPasses(GradCheck.check(v -> Functional.embeddingBag(v[0], ids, offsets, mode), randn(34, 6, 3)));
        }
        Tensor w = randn(35, 6, 3);
        Value mean = Functional.embeddingBag(Value.constant(w), ids, offsets, BagMode.MEAN);
        Value sum = Functional.embeddingBag(Value.constant(w), ids, offsets, BagMode.SUM);
        for (int b = 0; b < 4; b++) {
            int n = offsets[b + 1] - offsets[b];
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = offsets[b]; k < offsets[b + 1]; k++) {
                    s += w.get(ids[k], j);
                }
                assertEquals(s, sum.data().get(b, j), 1e-6);
                assertEquals(n == 0 ? 0 : s / n, mean.data().get(b, j), 1e-6);
            }
        }
    }

    @Test
    void embeddingBagRejectsBadOffsetsAndIds() {
        Value w = Value.leaf(randn(36, 4, 2));
        assertThrowsWithMessage(() -> Functional.embeddingBag(w, new int[] {1, 2}, new int[] {0, 1}, BagMode.SUM),
                "last offset");
        assertThrowsWithMessage(() -> Functional.embeddingBag(w, new int[] {1, 2}, new int[] {0, 2, 1, 2}, BagMode.SUM),
                "decrease");
        assertThrowsWithMessage(() -> Functional.embeddingBag(w, new int[] {1, 4}, new int[] {0, 2}, BagMode.SUM),
                "id 4 at position 1");
    }

    @Test
    void fusedLossNodeScalesTheKernelGradientByTheUpstreamOne() {
        Loss ce = TestLosses.crossEntropy();
        int[] targets = {2, 0, 1, 2};
        assertPasses(GradCheck.check(v -> Functional.loss(v[0], targets, ce), randn(37, 4, 3)));
        assertPasses(GradCheck.check(v -> Functional.loss(v[0], targets, ce).scale(2.5f), randn(38, 4, 3)));
        // through a layer, and with a binary loss on one logit
        assertPasses(GradCheck.check(v -> Functional.loss(Functional.linear(v[0], v[1], v[2]), targets, ce),
                randn(39, 4, 5), randn(40, 3, 5), randn(41, 3)));
        assertPasses(GradCheck.check(v -> Functional.loss(v[0], new int[] {1, 0, 1}, TestLosses.binaryCrossEntropy()),
                randn(42, 3, 1)));

        Tensor z = randn(43, 4, 3);
        Value loss = Functional.loss(Value.constant(z), targets, ce);
        assertEquals(ce.compute(z.toArray(), 4, 3, targets, null), loss.item(), 1e-6);
    }

    @Test
    void aWrongBackwardRuleFailsTheCheck() {
        // d(x^2)/dx is 2x; a rule that forgets the 2 must be caught, with the element named.
        GradCheck.Result r = GradCheck.check(v -> {
            Value x = v[0];
            return Value.fromOp("badSquare", x.data().mul(x.data()), g -> x.accumulateGrad(g.mul(x.data())), x);
        }, randn(44, 3).scale(2f));
        assertFalse(r.passed(), r.toString());
        assertTrue(r.toString().contains("FAILED"), r.toString());
        assertTrue(Math.abs(r.numeric() - 2 * r.analytic()) < 1e-2 * Math.abs(r.numeric()) + 1e-3, r.toString());
    }

    @Test
    void sigmoidIsFiniteAtExtremes() {
        Value s = Value.leaf(Tensor.of(new float[] {-200f, -30f, 0f, 30f, 200f}, 5)).sigmoid();
        float[] d = s.data().toArray();
        assertEquals(0f, d[0]);
        assertEquals(0.5f, d[2]);
        assertEquals(1f, d[4]);
        for (float v : d) {
            assertTrue(Float.isFinite(v));
        }
    }

    private static void assertThrowsWithMessage(Runnable r, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}

package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.autograd.BagMode;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.GradCheck;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.autograd.Value;
import dev.keel.nn.testing.TestLosses;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.keel.nn.testing.Checks.assertPasses;
import static dev.keel.nn.testing.Checks.awayFromZero;
import static dev.keel.nn.testing.Checks.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers: gradient checks through their parameters and inputs, naming, modes, initializers. */
class LayersTest {

    /** Checks a layer with respect to its parameters and its input together. */
    private static void checkLayer(Layer layer, Tensor input) {
        Value x = Value.leaf(input);
        List<Value> leaves = new ArrayList<>(layer.parameters());
        leaves.add(x);
        assertPasses(GradCheck.check(() -> layer.forward(x), leaves));
    }

    @Test
    void linearGradients() {
        checkLayer(new Linear(4, 3, new KeelRandom(1)), randn(2, 5, 4));
        checkLayer(new Linear(4, 3, false, new KeelRandom(3)), randn(4, 5, 4));
    }

    @Test
    void activationLayerGradients() {
        checkLayer(new ReLU(), awayFromZero(5, 0.1f, 3, 4));
        checkLayer(new Tanh(), randn(6, 3, 4));
        checkLayer(new Sigmoid(), randn(7, 3, 4));
    }

    @Test
    void dropoutLayerGradientsWithAReplayedMask() {
        Value x = Value.leaf(randn(8, 4, 5));
        // a new layer (and generator) per evaluation: every evaluation sees the same mask
        assertPasses(GradCheck.check(() -> new Dropout(0.4f, new KeelRandom(9)).forward(x), List.of(x)));
        Dropout eval = new Dropout(0.4f, new KeelRandom(9));
        eval.eval();
        assertSame(x, eval.forward(x));
    }

    @Test
    void sequentialMlpGradientsThroughEveryLayer() {
        KeelRandom r = new KeelRandom(10);
        Sequential mlp = new Sequential(new Linear(3, 6, r), new Tanh(), new Linear(6, 4, r), new Sigmoid(),
                new Linear(4, 2, r));
        checkLayer(mlp, randn(11, 5, 3));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"),
                new ArrayList<>(mlp.namedParameters().keySet()));
        assertEquals(3 * 6 + 6 + 6 * 4 + 4 + 4 * 2 + 2, mlp.parameterCount());
        // and with the fused loss on top
        Value x = Value.constant(randn(12, 5, 3));
        int[] targets = {0, 1, 1, 0, 1};
        assertPasses(GradCheck.check(() -> Functional.loss(mlp.forward(x), targets, TestLosses.crossEntropy()),
                mlp.parameters()));
    }

    @Test
    void embeddingAndEmbeddingBagGradients() {
        Embedding emb = new Embedding(7, 3, new KeelRandom(13));
        int[] ids = {6, 0, 6, 2};
        assertPasses(GradCheck.check(() -> emb.forward(ids), emb.parameters()));

        EmbeddingBag bag = new EmbeddingBag(7, 3, BagMode.MEAN, new KeelRandom(14));
        int[] bagIds = {1, 5, 5, 0, 3};
        int[] offsets = {0, 3, 3, 5};
        assertPasses(GradCheck.check(() -> bag.forward(bagIds, offsets), bag.parameters()));
        assertTrue(bag.weight().isSparse());
    }

    @Test
    void embeddingBagGradientIsRowSparse() {
        EmbeddingBag bag = new EmbeddingBag(1000, 4, BagMode.SUM, new KeelRandom(15));
        bag.forward(new int[] {10, 999, 10}, new int[] {0, 1, 3}).sum().backward();
        Parameter w = bag.weight();
        assertTrue(w.hasRowSparseGrad());
        assertEquals(2, w.touchedRowCount());
        for (int row = 0; row < 1000; row++) {
            float expected = row == 10 ? 2f : row == 999 ? 1f : 0f;
            assertEquals(expected, w.grad().get(row, 0), "row " + row);
        }
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        KeelRandom r = new KeelRandom(16);
        Dropout inner = new Dropout(0.5f, r);
        Sequential net = new Sequential(new Linear(2, 2, r), new Sequential(inner));
        net.eval();
        assertTrue(!inner.isTraining());
        net.train();
        assertTrue(inner.isTraining());
    }

    @Test
    void initializersFollowTheirFormulas() {
        int out = 200, in = 300;
        Tensor xu = Init.xavierUniform(Tensor.zeros(out, in), new KeelRandom(17));
        double bound = Math.sqrt(6.0 / (in + out));
        assertEquals(bound / Math.sqrt(3), std(xu), 0.02 * bound); // uniform: std = bound / sqrt(3)
        assertTrue(maxAbs(xu) <= bound && maxAbs(xu) > 0.99 * bound);
        assertEquals(Math.sqrt(2.0 / (in + out)), std(Init.xavierNormal(Tensor.zeros(out, in), new KeelRandom(18))),
                0.02 * Math.sqrt(2.0 / (in + out)));
        assertEquals(Math.sqrt(2.0 / in), std(Init.kaimingNormal(Tensor.zeros(out, in), new KeelRandom(19))),
                0.02 * Math.sqrt(2.0 / in));
        assertEquals(Math.sqrt(2.0 / in), std(Init.kaimingUniform(Tensor.zeros(out, in), new KeelRandom(20))),
                0.02 * Math.sqrt(2.0 / in));
        assertEquals(0.5, std(Init.normal(Tensor.zeros(out, in), 3, 0.5, new KeelRandom(21))), 0.01);
        // seeded: same seed, same weights; another seed, other weights
        assertArrayEquals(Init.xavierUniform(Tensor.zeros(5, 5), new KeelRandom(22)).toArray(),
                Init.xavierUniform(Tensor.zeros(5, 5), new KeelRandom(22)).toArray());
        assertNotEquals(Init.xavierUniform(Tensor.zeros(5, 5), new KeelRandom(22)).get(0, 0),
                Init.xavierUniform(Tensor.zeros(5, 5), new KeelRandom(23)).get(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(Tensor.zeros(5), new KeelRandom(1)));
    }

    @Test
    void duplicateNamesAreRejected() {
        class Twice extends Module {
            Twice() {
                registerParameter("w", Parameter.dense(Tensor.zeros(1)));
                registerParameter("w", Parameter.dense(Tensor.zeros(1)));
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Twice::new);
        assertTrue(e.getMessage().contains("w"), e.getMessage());
    }

    private static double std(Tensor t) {
        double sum = 0, sq = 0;
        float[] d = t.toArray();
        for (float v : d) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / d.length;
        return Math.sqrt(sq / d.length - mean * mean);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}

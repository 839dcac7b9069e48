package dev.keel.nn;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.core.kernel.Kernels;
import dev.keel.core.testing.Allocations;
import dev.keel.nn.BagOfEmbeddingsClassifier.Config;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.GradCheck;
import dev.keel.nn.autograd.NoGrad;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.autograd.Value;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.AdamW;
import dev.keel.nn.optim.LrSchedule;
import dev.keel.nn.optim.Optimizer;
import dev.keel.nn.optim.SGD;
import dev.keel.nn.testing.TestLosses;
import dev.keel.nn.testing.ToyText;
import dev.keel.nn.testing.ToyText.Batch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static dev.keel.nn.testing.Checks.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BagOfEmbeddingsClassifierTest {

    private static final Loss CE = TestLosses.crossEntropy();

    private static Loss lossFor(Config c) {
        return c.classes() == 1 ? TestLosses.binaryCrossEntropy() : CE;
    }

    private static final List<Config> SMALL_CONFIGS = List.of(
            new Config(30, 4, 0, 3, 11),
            new Config(30, 4, 5, 3, 12),
            new Config(30, 4, 5, 1, 13),        // one logit, binary loss
            new Config(30, 4, 5, 3, 0.3f, 14)); // dropout

    @Test
    void fastPathGradientsEqualTheAutogradGraphOfTheSameModel() {
        for (Config c : SMALL_CONFIGS) {
            BagOfEmbeddingsClassifier fast = new BagOfEmbeddingsClassifier(c);
            BagOfEmbeddingsClassifier graph = new BagOfEmbeddingsClassifier(c); // same seed: same weights, same masks
            KeelRandom data = new KeelRandom(c.seed());
            for (int step = 0; step < 3; step++) {
                Batch b = ToyText.batch(data, 6, c.classes(), c.buckets(), 4);
                fast.zeroGrad();
                double fastLoss = fast.accumulateGradients(b.bags(), b.targets(), lossFor(c));
                graph.zeroGrad();
                Value logits = graph.forward(b.bags());
                Value loss = Functional.loss(logits, b.targets(), lossFor(c));
                loss.backward();
                assertEquals(loss.item(), fastLoss, 1e-5, c + " loss");
                assertClose(logits.data(), fast.lastLogits(), c + " logits");
                Map<String, Parameter> a = fast.namedParameters(), g = graph.namedParameters();
                for (String name : a.keySet()) {
                    assertClose(g.get(name).grad(), a.get(name).grad(), c + " " + name);
                }
                Parameter table = fast.embedding().weight();
                assertTrue(table.hasRowSparseGrad());
                assertEquals(graph.embedding().weight().touchedRowCount(), table.touchedRowCount(), c.toString());
            }
        }
    }

    @Test
    void fastPathGradientsPassTheGradientCheck() {
        for (Config c : SMALL_CONFIGS.subList(0, 3)) { // dropout draws new masks per call: checked above instead
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
            Batch b = ToyText.batch(new KeelRandom(c.seed() + 100), 5, c.classes(), c.buckets(), 3);
            List<Parameter> params = model.parameters();
            // The fast path as an autograd op: it writes the parameters' gradients itself, so its
            // backward rule has nothing left to do (the checker's upstream gradient is 1).
            GradCheck.Result r = GradCheck.check(() -> {
                double loss = model.accumulateGradients(b.bags(), b.targets(), lossFor(c));
                return Value.fromOp("trainStepLoss", Tensor.full((float) loss), g -> { },
                        params.toArray(new Value[0]));
            }, params);
            assertPasses(r);
        }
    }

    @Test
    void autogradForwardPassesTheGradientCheck() {
        Config c = new Config(20, 3, 4, 3, 21);
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        Batch b = ToyText.batch(new KeelRandom(22), 5, 3, 20, 3);
        assertPasses(GradCheck.check(
                () -> Functional.loss(model.forward(b.bags()), b.targets(), CE),
                model.parameters()));
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toArray(), a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-6 + 1e-5 * Math.abs(e[i]), what + " element " + i);
        }
    }

    // ---------------------------------------------------------------- training behaviour

    private static float[] train(Config c, long dataSeed, int steps, Function<List<Parameter>,
            Optimizer> optimizer) {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        Optimizer opt = optimizer.apply(model.parameters());
        KeelRandom data = new KeelRandom(dataSeed);
        for (int s = 0; s < steps; s++) {
            Batch b = ToyText.batch(data, 8, c.classes(), c.buckets(), 6);
            model.trainStep(b.bags(), b.targets(), lossFor(c), opt);
        }
        List<Float> all = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            for (float v : p.data().toArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void sameSeedGivesBitIdenticalParameters() {
        Config c = new Config(200, 8, 6, 3, 0.2f, 31);
        float[] a = train(c, 32, 40, ps -> new AdamW(ps, 0.02));
        float[] b = train(c, 32, 40, ps -> new AdamW(ps, 0.02));
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "parameter element " + i);
        }
        float[] other = train(new Config(200, 8, 6, 3, 0.2f, 33), 32, 40, ps -> new AdamW(ps, 0.02));
        assertFalse(Arrays.equals(a, other), "another seed trains other weights");
    }

    @Test
    void learnsAToyTextTask() {
        for (Config c : List.of(new Config(400, 16, 0, 3, 41), new Config(400, 16, 16, 3, 0.1f, 42))) {
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
            Optimizer opt = new Adam(model.parameters(), 0.05);
            KeelRandom data = new KeelRandom(43);
            for (int s = 0; s < 300; s++) {
                Batch b = ToyText.batch(data, 16, 3, c.buckets(), 10);
                model.trainStep(b.bags(), b.targets(), CE, opt);
            }
            model.eval();
            Batch test = ToyText.batch(new KeelRandom(44), 500, 3, c.buckets(), 10);
            int[] predicted = new int[500];
            model.predict(new IdBags(test.ids(), test.offsets(), 500, 0), predicted);
            int right = 0, nonEmpty = 0;
            for (int i = 0; i < 500; i++) {
                if (test.offsets()[i + 1] > test.offsets()[i]) {
                    nonEmpty++;
                    right += predicted[i] == test.targets()[i] ? 1 : 0;
                }
            }
            double accuracy = (double) right / nonEmpty;
            assertTrue(accuracy > 0.95, c + ": accuracy " + accuracy + " on non-empty texts");
        }
    }

    @Test
    void sgdAlsoLearnsAndLossFalls() {
        Config c = new Config(400, 16, 0, 2, 45);
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        Optimizer opt = new SGD(model.parameters(), 0.5, 0.9, false, 0);
        KeelRandom data = new KeelRandom(46);
        double first = 0, last = 0;
        for (int s = 0; s < 200; s++) {
            Batch b = ToyText.batch(data, 16, 2, c.buckets(), 10);
            double loss = model.trainStep(b.bags(), b.targets(), CE, opt);
            first += s < 20 ? loss : 0;
            last += s >= 180 ? loss : 0;
        }
        assertTrue(last < 0.3 * first, "mean loss of the first 20 steps " + first / 20 + ", last 20 " + last / 20);
    }

    // ---------------------------------------------------------------- the fused step and threads

    private static List<Function<List<Parameter>, Optimizer>> optimizers() {
        return List.of(ps -> new Adam(ps, 0.02), ps -> new AdamW(ps, 0.02, 0.9, 0.99, 1e-7, 0.05),
                ps -> new SGD(ps, 0.3, 0.9, true, 0.01));
    }

    private static void assertSameBits(BagOfEmbeddingsClassifier expected, BagOfEmbeddingsClassifier actual,
                                       String what) {
        for (String name : expected.namedParameters().keySet()) {
            float[] e = expected.namedParameters().get(name).data().toArray();
            float[] a = actual.namedParameters().get(name).data().toArray();
            for (int i = 0; i < e.length; i++) {
                if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                    throw new AssertionError(what + ": " + name + " element " + i + " is " + a[i] + ", expected "
                            + e[i]);
                }
            }
        }
    }

    @Test
    void trainStepGivesTheBitsOfAccumulateGradientsThenOptimizerStep() {
        // trainStep never stores the table's gradient: each touched row's sum goes straight to the
        // optimizer. The stored-gradient path must land on the same bits.
        for (Config c : SMALL_CONFIGS) {
            for (Function<List<Parameter>, Optimizer> make : optimizers()) {
                BagOfEmbeddingsClassifier fused = new BagOfEmbeddingsClassifier(c);
                BagOfEmbeddingsClassifier stored = new BagOfEmbeddingsClassifier(c);
                Optimizer a = make.apply(fused.parameters()), b = make.apply(stored.parameters());
                KeelRandom data = new KeelRandom(c.seed() + 7);
                for (int step = 0; step < 6; step++) {
                    Batch batch = ToyText.batch(data, 1 + 5 * step, c.classes(), c.buckets(), 5); // ids repeat
                    double la = fused.trainStep(batch.bags(), batch.targets(),
                            lossFor(c), a);
                    stored.zeroGrad();
                    double lb = stored.accumulateGradients(batch.bags(),
                            batch.targets(), lossFor(c));
                    b.step();
                    stored.zeroGrad();
                    assertEquals(lb, la, c + " loss at step " + step);
                    assertSameBits(stored, fused, c + " " + a.getClass().getSimpleName() + " step " + step);
                }
            }
        }
    }

    /** Trains a copy of the model with {@code threads} threads and returns it with its losses. */
    private static BagOfEmbeddingsClassifier trainWithThreads(Config c, int threads, int[] batchSizes,
                                                              double[] losses) {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        Optimizer opt = new AdamW(model.parameters(), 0.02);
        opt.setSchedule(LrSchedule.linearDecay(0.02, batchSizes.length));
        KeelRandom data = new KeelRandom(99);
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int s = 0; s < batchSizes.length; s++) {
                Batch b = ToyText.batch(data, batchSizes[s], c.classes(), c.buckets(), 12);
                losses[s] = model.trainStep(b.bags(), b.targets(), lossFor(c), opt, pool);
            }
        }
        return model;
    }

    @Test
    void theNumberOfThreadsDoesNotChangeTheBits() {
        // Both kernel paths: on JDK 25 the vector path once gave a loss 1 float ulp apart between 1
        // and 2 threads, because reduceLanes(ADD) rounded differently before and after C2 compiled a
        // kernel; the kernels now sum lanes in a fixed order (JitStateTrainingTest checks it).
        // Batches from 1 text to several hundred (more texts and rows than the work chunks), ids
        // repeating within and across texts; hidden layer, dropout, one logit.
        int[] batchSizes = {300, 1, 7, 64, 257, 33, 128, 300, 5, 200};
        for (Config c : List.of(new Config(5000, 16, 0, 3, 0.2f, 91), new Config(300, 8, 6, 1, 92),
                new Config(60, 4, 5, 4, 0.1f, 93))) {
            double[] oneLosses = new double[batchSizes.length];
            BagOfEmbeddingsClassifier one = trainWithThreads(c, 1, batchSizes, oneLosses);
            for (int threads : new int[] {2, 3}) {
                double[] losses = new double[batchSizes.length];
                BagOfEmbeddingsClassifier many = trainWithThreads(c, threads, batchSizes, losses);
                assertArrayEquals(oneLosses, losses, c + ", " + threads + " threads: losses");
                assertSameBits(one, many, c + ", " + threads + " threads");
                assertArrayEquals(one.lastLogitsGrad().toArray(), many.lastLogitsGrad().toArray());
            }
            // and a plain one-thread trainStep is the same computation
            BagOfEmbeddingsClassifier plain = new BagOfEmbeddingsClassifier(c);
            Optimizer opt = new AdamW(plain.parameters(), 0.02);
            opt.setSchedule(LrSchedule.linearDecay(0.02, batchSizes.length));
            KeelRandom data = new KeelRandom(99);
            for (int size : batchSizes) {
                Batch b = ToyText.batch(data, size, c.classes(), c.buckets(), 12);
                plain.trainStep(b.bags(), b.targets(), lossFor(c), opt);
            }
            assertSameBits(one, plain, c + ", trainStep without a pool");
        }
    }

    @Test
    void twoThreadsStillLearn() {
        Config c = new Config(400, 16, 0, 3, 47);
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        Optimizer opt = new Adam(model.parameters(), 0.05);
        KeelRandom data = new KeelRandom(48);
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int s = 0; s < 200; s++) {
                Batch b = ToyText.batch(data, 64, 3, c.buckets(), 10);
                model.trainStep(b.bags(), b.targets(), CE, opt, pool);
            }
        }
        model.eval();
        Batch test = ToyText.batch(new KeelRandom(49), 300, 3, c.buckets(), 10);
        int[] predicted = new int[300];
        model.predict(new IdBags(test.ids(), test.offsets(), 300, 0), predicted);
        int right = 0;
        for (int i = 0; i < 300; i++) {
            right += predicted[i] == test.targets()[i] ? 1 : 0;
        }
        assertTrue(right > 270, right + " of 300 right");
    }

    @Test
    void aClosedPoolIsRefusedByName() {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new Config(30, 4, 0, 3, 95));
        Batch b = ToyText.batch(new KeelRandom(96), 4, 3, 30, 3);
        WorkerPool pool = new WorkerPool(2);
        pool.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.trainStep(b.bags(), b.targets(), CE, new SGD(model.parameters(), 0.1), pool));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    // ---------------------------------------------------------------- inference

    @Test
    @SuppressWarnings("try")
    void inferenceMatchesTheGraphAndIsSafeAcrossThreads() throws Exception {
        for (Config c : List.of(new Config(50, 6, 5, 4, 51), new Config(50, 6, 0, 1, 52))) {
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
            model.eval();
            Batch b = ToyText.batch(new KeelRandom(53), 40, c.classes(), 50, 5);
            float[] logits = new float[40 * c.classes()];
            model.logits(new IdBags(b.ids(), b.offsets(), 40, 0), logits);
            Tensor expected;
            try (NoGrad ignored = NoGrad.enter()) {
                expected = model.forward(new IdBags(b.ids(), b.offsets(), 40, 0)).data();
            }
            assertClose(expected, Tensor.of(logits, 40, c.classes()), c + " logits");

            int cols = model.probabilityColumns();
            float[] proba = new float[40 * cols];
            model.predictProba(new IdBags(b.ids(), b.offsets(), 40, 0), proba);
            int[] predicted = new int[40];
            model.predict(new IdBags(b.ids(), b.offsets(), 40, 0), predicted);
            for (int r = 0; r < 40; r++) {
                double sum = 0;
                int best = 0;
                for (int j = 0; j < cols; j++) {
                    sum += proba[r * cols + j];
                    best = proba[r * cols + j] > proba[r * cols + best] ? j : best;
                }
                assertEquals(1.0, sum, 1e-5);
                assertEquals(best, predicted[r], "row " + r);
                if (c.classes() == 1) {
                    assertEquals(1 / (1 + Math.exp(-logits[r])), proba[r * 2 + 1], 1e-6);
                }
            }

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    results.add(pool.submit(() -> {
                        float[] out = new float[40 * cols];
                        for (int rep = 0; rep < 50; rep++) {
                            model.predictProba(new IdBags(b.ids(), b.offsets(), 40, 0), out);
                        }
                        return out;
                    }));
                }
                for (Future<float[]> f : results) {
                    assertArrayEquals(proba, f.get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void lastLogitsGradientIsTheLossKernelsGradient() {
        Config c = new Config(30, 4, 0, 3, 61);
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        assertThrows(IllegalStateException.class, model::lastLogitsGrad);
        Batch b = ToyText.batch(new KeelRandom(62), 5, 3, 30, 4);
        model.trainStep(b.bags(), b.targets(), CE, new SGD(model.parameters(), 0.1));
        float[] logits = model.lastLogits().toArray();
        float[] expected = new float[logits.length];
        CE.compute(logits, 5, 3, b.targets(), expected);
        // the logits were computed before the step, so the kernel reproduces the same gradient
        assertArrayEquals(expected, model.lastLogitsGrad().toArray());
    }

    @Test
    void reusedOversizedBatchArraysWork() {
        // A caller keeps one set of arrays for its largest batch; the last batch of an epoch is smaller.
        Config c = new Config(50, 4, 3, 3, 65);
        BagOfEmbeddingsClassifier reusing = new BagOfEmbeddingsClassifier(c);
        BagOfEmbeddingsClassifier exact = new BagOfEmbeddingsClassifier(c);
        Optimizer a = new Adam(reusing.parameters(), 0.01), b = new Adam(exact.parameters(), 0.01);
        int[] ids = new int[1000], offsets = new int[33], targets = new int[32];
        KeelRandom data = new KeelRandom(66);
        for (int size : new int[] {32, 32, 7, 32, 5}) {
            Batch batch = ToyText.batch(data, size, 3, 50, 4);
            System.arraycopy(batch.ids(), 0, ids, 0, batch.offsets()[size]);
            System.arraycopy(batch.offsets(), 0, offsets, 0, size + 1);
            System.arraycopy(batch.targets(), 0, targets, 0, size);
            Loss strict = TestLosses.strict(CE);
            double la = reusing.trainStep(new IdBags(ids, offsets, size, 0), targets, strict, a);
            double lb = exact.trainStep(new IdBags(Arrays.copyOf(batch.ids(), batch.offsets()[size]), batch.offsets(), size, 0),
                    batch.targets(), strict, b);
            assertEquals(lb, la);
        }
        for (String name : exact.namedParameters().keySet()) {
            assertArrayEquals(exact.namedParameters().get(name).data().toArray(),
                    reusing.namedParameters().get(name).data().toArray(), name);
        }
    }

    @Test
    void badInputsAreNamed() {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new Config(10, 2, 0, 3, 71));
        SGD sgd = new SGD(model.parameters(), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.trainStep(new IdBags(new int[] {1, 10}, new int[] {0, 2}, 1, 0), new int[] {0}, CE, sgd));
        assertTrue(e.getMessage().contains("id 10 at position 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.trainStep(new IdBags(new int[] {1, 2}, new int[] {0, 2}, 1, 0), new int[] {3}, CE, sgd));
        assertTrue(e.getMessage().contains("target 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.trainStep(new IdBags(new int[0], new int[] {0}, 0, 0), new int[0], CE, sgd));
        assertTrue(e.getMessage().contains("at least one text"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Config(10, 2, -1, 3, 1));
        assertTrue(e.getMessage().contains("hidden -1"), e.getMessage());
    }

    // ---------------------------------------------------------------- weighted bags (per-id weights, e.g. TF-IDF)

    @Test
    void weightedBagsAreTheWeightedSumOfTheirRows() {
        Config c = new Config(40, 5, 0, 3, 61);
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        KeelRandom data = new KeelRandom(62);
        IdBags bags = ToyText.batch(data, 9, 3, 40, 4).weightedBags(data);
        float[] logits = new float[9 * 3];
        model.logits(bags, logits);
        float[] table = model.embedding().weight().data().toArray();
        float[] w = model.output().weight().data().toArray(), bias = model.output().bias().data().toArray();
        for (int b = 0; b < 9; b++) {
            double[] bag = new double[5];
            for (int j = bags.offsets()[b]; j < bags.offsets()[b + 1]; j++) {
                for (int k = 0; k < 5; k++) {
                    bag[k] += (double) bags.weights()[j] * table[bags.ids()[j] * 5 + k];
                }
            }
            for (int cl = 0; cl < 3; cl++) {
                double expected = bias[cl];
                for (int k = 0; k < 5; k++) {
                    expected += w[cl * 5 + k] * bag[k];
                }
                assertEquals(expected, logits[b * 3 + cl], 1e-5 * (1 + Math.abs(expected)), "text " + b + " class " + cl);
            }
        }
        assertArrayEquals(logits, model.forward(bags).data().toArray(), 1e-6f, "the graph's forward");
    }

    @Test
    void weightsOfOneOverTheLengthAreTheMean() {
        Config c = new Config(40, 5, 4, 3, 63);
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        Batch b = ToyText.batch(new KeelRandom(64), 12, 3, 40, 4);
        float[] weights = new float[b.ids().length];
        for (int t = 0; t < b.size(); t++) {
            for (int j = b.offsets()[t]; j < b.offsets()[t + 1]; j++) {
                weights[j] = 1f / (b.offsets()[t + 1] - b.offsets()[t]);
            }
        }
        float[] mean = new float[12 * 3], weighted = new float[12 * 3];
        model.logits(b.bags(), mean);
        model.logits(new IdBags(b.ids(), b.offsets(), weights, b.size(), 0), weighted);
        assertArrayEquals(mean, weighted, 1e-5f);
    }

    @Test
    void weightedFastPathGradientsEqualTheGraphAndPassTheGradientCheck() {
        for (Config c : SMALL_CONFIGS) {
            BagOfEmbeddingsClassifier fast = new BagOfEmbeddingsClassifier(c);
            BagOfEmbeddingsClassifier graph = new BagOfEmbeddingsClassifier(c);
            KeelRandom data = new KeelRandom(c.seed() + 40);
            for (int step = 0; step < 3; step++) {
                Batch batch = ToyText.batch(data, 6, c.classes(), c.buckets(), 4);
                IdBags bags = batch.weightedBags(data);
                fast.zeroGrad();
                double fastLoss = fast.accumulateGradients(bags, batch.targets(), lossFor(c));
                graph.zeroGrad();
                Value loss = Functional.loss(graph.forward(bags), batch.targets(), lossFor(c));
                loss.backward();
                assertEquals(loss.item(), fastLoss, 1e-5, c + " loss");
                Map<String, Parameter> a = fast.namedParameters(), g = graph.namedParameters();
                for (String name : a.keySet()) {
                    assertClose(g.get(name).grad(), a.get(name).grad(), c + " weighted " + name);
                }
            }
        }
        // Without a hidden layer: weights up to 2 put some ReLU inputs within the checker's step of
        // their kink (the hidden layer's weighted gradients are checked against the graph above).
        for (Config c : List.of(SMALL_CONFIGS.get(0), new Config(30, 4, 0, 1, 15))) {
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
            KeelRandom data = new KeelRandom(c.seed() + 140);
            Batch batch = ToyText.batch(data, 5, c.classes(), c.buckets(), 3);
            IdBags bags = batch.weightedBags(data);
            List<Parameter> params = model.parameters();
            assertPasses(GradCheck.check(() -> {
                double loss = model.accumulateGradients(bags, batch.targets(), lossFor(c));
                return Value.fromOp("trainStepLoss", Tensor.full((float) loss), g -> { }, params.toArray(new Value[0]));
            }, params));
        }
    }

    @Test
    void weightedTrainStepGivesTheBitsOfAccumulateGradientsThenStepOnAnyNumberOfThreads() {
        for (Config c : SMALL_CONFIGS) {
            BagOfEmbeddingsClassifier fused = new BagOfEmbeddingsClassifier(c);
            BagOfEmbeddingsClassifier stored = new BagOfEmbeddingsClassifier(c);
            BagOfEmbeddingsClassifier twoThreads = new BagOfEmbeddingsClassifier(c);
            Optimizer a = new Adam(fused.parameters(), 0.02), b = new Adam(stored.parameters(), 0.02);
            Optimizer t = new Adam(twoThreads.parameters(), 0.02);
            KeelRandom data = new KeelRandom(c.seed() + 70);
            try (WorkerPool pool = new WorkerPool(2)) {
                for (int step = 0; step < 6; step++) {
                    Batch batch = ToyText.batch(data, 1 + 40 * step, c.classes(), c.buckets(), 5);
                    IdBags bags = batch.weightedBags(data);
                    double la = fused.trainStep(bags, batch.targets(), lossFor(c), a);
                    stored.zeroGrad();
                    double lb = stored.accumulateGradients(bags, batch.targets(), lossFor(c));
                    b.step();
                    stored.zeroGrad();
                    double lt = twoThreads.trainStep(bags, batch.targets(), lossFor(c), t, pool);
                    assertEquals(lb, la, c + " loss at step " + step);
                    assertEquals(la, lt, c + " two threads' loss at step " + step);
                    assertSameBits(stored, fused, c + " weighted, step " + step);
                    assertSameBits(fused, twoThreads, c + " weighted, two threads, step " + step);
                }
            }
        }
    }

    @Test
    void aWeightThatIsNotFiniteIsNamed() {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new Config(10, 2, 0, 3, 72));
        IdBags bags = new IdBags(new int[] {1, 2, 3}, new int[] {0, 1, 3}, new float[] {1f, Float.NaN, 2f}, 2, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.logits(bags, new float[6]));
        assertTrue(e.getMessage().contains("id position 1 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new IdBags(new int[] {1, 2}, new int[] {0, 2},
                new float[1], 1, 0));
        assertTrue(e.getMessage().contains("only 1 weights"), e.getMessage());
    }

    // ---------------------------------------------------------------- allocation

    /** A model, Adam and four batches of {@code size} texts, for the allocation tests. */
    private record StepLoop(BagOfEmbeddingsClassifier model, Optimizer opt, Batch[] batches) {

        static StepLoop of(long seed, int size) {
            Config c = new Config(5000, 16, 8, 3, 0.1f, seed);
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
            Batch[] batches = new Batch[4];
            for (int i = 0; i < batches.length; i++) {
                batches[i] = ToyText.batch(new KeelRandom(seed + 1 + i), size, 3, c.buckets(), 20);
            }
            return new StepLoop(model, new Adam(model.parameters(), 0.01), batches);
        }

        void steps(int count, WorkerPool pool) {
            for (int s = 0; s < count; s++) {
                Batch b = batches[s % 4];
                if (pool == null) {
                    model.trainStep(b.bags(), b.targets(), CE, opt);
                } else {
                    model.trainStep(b.bags(), b.targets(), CE, opt, pool);
                }
            }
        }
    }

    @Test
    void steadyStateTrainingStepAllocatesNothing() {
        // The Vector API allocates until C2 has compiled (and scalar-replaced) the hot loops, which
        // a unit test cannot wait for; there JMH's -prof gc measures it (bench/README.md).
        Assumptions.assumeFalse(Kernels.simdActive(), "measured by JMH on the vector path");
        Assumptions.assumeTrue(Allocations.supported(), "no per-thread allocation counter");
        StepLoop loop = StepLoop.of(81, 32);
        loop.steps(50, null); // grow buffers, allocate optimizer state
        long before = Allocations.currentThreadAllocatedBytes();
        loop.steps(200, null);
        long perStep = (Allocations.currentThreadAllocatedBytes() - before) / 200;
        assertTrue(perStep < 64, perStep + " bytes allocated per steady-state step");
    }

    @Test
    void steadyStateStepOnTwoThreadsAllocatesNothingOnAnyThread() {
        Assumptions.assumeFalse(Kernels.simdActive(), "measured by JMH on the vector path");
        Assumptions.assumeTrue(Allocations.supported(), "no per-thread allocation counter");
        StepLoop loop = StepLoop.of(83, 64);
        long[] earlierWorkers = Allocations.threadsNamed("keel-worker-"); // of other tests' pools
        try (WorkerPool pool = new WorkerPool(2)) {
            long[] workers = Arrays.stream(Allocations.threadsNamed("keel-worker-"))
                    .filter(id -> Arrays.stream(earlierWorkers).noneMatch(e -> e == id)).toArray();
            assertEquals(1, workers.length, "the pool's one started thread");
            loop.steps(50, pool);
            long before = Allocations.allocatedBytes(workers) + Allocations.currentThreadAllocatedBytes();
            loop.steps(200, pool);
            long after = Allocations.currentThreadAllocatedBytes() + Allocations.allocatedBytes(workers);
            long perStep = (after - before) / 200;
            assertTrue(perStep < 64, perStep + " bytes allocated per steady-state step over both threads");
        }
    }
}

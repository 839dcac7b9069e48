package dev.keel.examples;

import dev.keel.core.IdBags;
import dev.keel.classifier.LossHook;
import dev.keel.examples.cli.Usage;
import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.NonFiniteGuard;
import dev.keel.classifier.TrainingRun;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.loss.CrossEntropy;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.Optimizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.keel.examples.CliTest.keel;
import static dev.keel.examples.CliTest.tiny;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training safety: a non-finite loss or gradient stops {@code keel train} and {@code keel compare}
 * with one line naming the epoch, the batch and the value, and nothing is saved; with
 * {@code --skip-nonfinite} the bad batches are left out (no update) and counted. The faults are
 * injected by wrapping the loss, on chosen steps, since finite data and valid settings do not
 * produce them.
 */
class TrainingSafetyTest {

    @TempDir
    Path dir;

    @AfterEach
    void removeHook() {
        LossHook.set(null);
    }

    /** Wraps each run's loss so that the given (1-based) steps return NaN, or write NaN into the gradient. */
    private static AtomicInteger inject(Set<Integer> nanLossSteps, Set<Integer> nanGradientSteps) {
        AtomicInteger calls = new AtomicInteger();
        LossHook.set(loss -> (logits, rows, classes, targets, grad) -> {
            int call = calls.incrementAndGet();
            double value = loss.compute(logits, rows, classes, targets, grad);
            if (nanGradientSteps.contains(call)) {
                grad[classes + 1] = Float.NaN; // row 1, class 1
            }
            return nanLossSteps.contains(call) ? Double.NaN : value;
        });
        return calls;
    }

    @Test
    void aNonFiniteLossStopsTrainWithEpochBatchAndValue() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 160, 1); // 10 batches of 16
        Path model = dir.resolve("model");
        inject(Set.of(13), Set.of());
        CliTest.Run run = keel(tiny("train", "--train", train.toString(), "--loss", "ce", "--model", model.toString()));
        assertEquals(1, run.status(), run.err());
        assertEquals("keel train: training stopped at epoch 2, batch 3 of 10: the loss is NaN; nothing was saved "
                + "(lower --lr, or --skip-nonfinite skips such batches)", run.err().strip());
        assertFalse(Files.exists(model), "nothing saved");
        assertNoTemporaryFolders();
    }

    @Test
    void aNonFiniteGradientStopsTrainNamingWhere() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 160, 1);
        inject(Set.of(), Set.of(4));
        CliTest.Run run = keel(tiny("train", "--train", train.toString(), "--loss", "focal", "--model",
                dir.resolve("model").toString()));
        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().strip().startsWith("keel train: training stopped at epoch 1, batch 4 of 10: the loss gradient "
                + "at row 1, class 1 is NaN"), run.err());
    }

    @Test
    void skippingLeavesBadBatchesOutCountsThemAndSaves() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 160, 1);
        Path model = dir.resolve("model");
        AtomicInteger calls = inject(Set.of(3, 27), Set.of(41));
        CliTest.Run run = keel(tiny("train", "--train", train.toString(), "--loss", "ce", "--skip-nonfinite",
                "--model", model.toString()));
        assertEquals(0, run.status(), run.err());
        assertEquals(50, calls.get(), "5 epochs x 10 batches, each computed once");
        assertEquals("keel: skipped 3 of 50 batches with non-finite values; the first: epoch 1, batch 3 of 10: "
                + "the loss is NaN", run.err().strip());
        assertTrue(Files.readString(model.resolve(ModelFolder.MANIFEST)).contains("\"skipped_nonfinite_batches\": 3"));
        assertEquals(2, ModelFolder.load(model).labels().size(), "the model saved is whole");
    }

    @Test
    void anEpochWithEveryBatchSkippedStops() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 48, 1); // 3 batches of 16, 5 epochs
        inject(Set.of(1, 2, 3), Set.of()); // the whole first epoch
        CliTest.Run run = keel(tiny("train", "--train", train.toString(), "--loss", "ce", "--skip-nonfinite",
                "--model", dir.resolve("model").toString()));
        assertEquals(1, run.status(), run.err());
        assertTrue(run.err().contains("every batch of epoch 1 had non-finite values (the first skipped: epoch 1, batch 1"
                + " of 3: the loss is NaN); nothing was saved"), run.err());
    }

    @Test
    void compareStopsOrSkipsToo() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 160, 1);
        Path test = Synthetic.csv(dir, "test.csv", 40, 2);
        Path out = dir.resolve("report");
        inject(Set.of(5), Set.of());
        String[] args = tiny("compare", "--train", train.toString(), "--test", test.toString(), "--losses", "ce",
                "--seeds", "1", "--multiclass", "none", "--out", out.toString());
        CliTest.Run stopped = keel(args);
        assertEquals(1, stopped.status(), stopped.err());
        assertTrue(stopped.err().strip().startsWith("keel compare: training stopped at epoch 1, batch 5 of "), stopped.err());
        assertFalse(Files.exists(out));

        inject(Set.of(5), Set.of());
        String[] skipping = Stream.concat(Stream.of(args), Stream.of("--skip-nonfinite")).toArray(String[]::new);
        CliTest.Run skipped = keel(skipping);
        assertEquals(0, skipped.status(), skipped.err());
        assertTrue(skipped.err().contains("keel: skipped 1 batches with non-finite values; the first: main ce, epoch 1, "
                + "batch 5 of "), skipped.err());
    }

    /**
     * A step that makes a weight non-finite always stops, skipping or not: at the next batch that
     * reads the weight (naming it), or after the epoch.
     */
    @Test
    void anOptimizerStepThatBreaksAWeightStops() {
        for (boolean skip : new boolean[] {false, true}) {
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(
                    new BagOfEmbeddingsClassifier.Config(50, 4, 0, 2, 3));
            Optimizer breaking = new Optimizer(model.parameters(), 0.1) {
                @Override
                protected void beginParameter(int index, double lr, int size) {
                }

                @Override
                protected void update(int index, float[] w, int wo, float[] g, int go, int stateOffset, int n) {
                    if (n == 4 * 2) { // the output layer's weight
                        w[wo + 5] = Float.POSITIVE_INFINITY;
                    }
                }
            };
            NonFiniteGuard guard = new NonFiniteGuard(model, skip);
            int[] ids = {1, 2, 3};
            int[] offsets = {0, 2, 3};
            guard.step(new IdBags(ids, offsets, 2, 0), new int[] {0, 1}, FusedLoss.of(new CrossEntropy()), breaking, 3, 6, 9);
            NonFiniteGuard.TrainingStoppedException e = assertThrows(NonFiniteGuard.TrainingStoppedException.class,
                    () -> guard.step(new IdBags(ids, offsets, 2, 0), new int[] {0, 1}, FusedLoss.of(new CrossEntropy()), breaking, 3, 7, 9));
            assertEquals("training stopped at epoch 3, batch 7 of 9: the logit of row 0, class 1 is Infinity, from weight "
                    + "output.weight[1, 1] Infinity, which an earlier optimizer step made (the gradients were too large "
                    + "for float); nothing was saved (lower --lr)", Usage.message(e));
            assertTrue(e.getMessage().endsWith("nothing was saved (lower the learning rate)"), "the runtime names no flag");
            e = assertThrows(NonFiniteGuard.TrainingStoppedException.class, () -> guard.endEpoch(3));
            assertEquals("training stopped after epoch 3: an optimizer step made weight output.weight[1, 1] Infinity "
                    + "(the gradients were too large for float); nothing was saved (lower --lr)", Usage.message(e));
        }
    }

    /** An overflowing gradient, stopping at the first bad value: the broken weights are found at the end at the latest. */
    @Test
    void anOverflowingGradientStopsTraining() {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(50, 4, 0, 2, 4));
        Loss overflowing = (logits, rows, classes, targets, grad) -> {
            java.util.Arrays.fill(grad, Float.MAX_VALUE);
            return 1.0;
        };
        NonFiniteGuard guard = new NonFiniteGuard(model, false);
        guard.step(new IdBags(new int[] {7, 8, 9}, new int[] {0, 2, 3}, 2, 0), new int[] {1, 0}, overflowing,
                new dev.keel.nn.optim.SGD(model.parameters(), 1.0), 2, 5, 8);
        NonFiniteGuard.TrainingStoppedException e = assertThrows(NonFiniteGuard.TrainingStoppedException.class,
                () -> guard.endTraining(2));
        assertTrue(e.getMessage().matches("training stopped after epoch 2: an optimizer step made weight "
                + "(embedding|output)\\.(weight|bias)\\[[0-9, ]+\\] (-?Infinity|NaN) .*"), e.getMessage());
    }

    /** A row broken by an update and read by no later batch: evaluation logits show it, the end of training too. */
    @Test
    void aBrokenRowNoBatchReadsIsFoundByEvaluationAndAtTheEnd() {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(50, 4, 0, 2, 5));
        NonFiniteGuard guard = new NonFiniteGuard(model, false);
        guard.endEpoch(1);
        guard.endTraining(1);
        model.embedding().weight().data().data()[40 * 4 + 2] = Float.NaN; // row 40, as a broken update would leave it
        guard.endEpoch(1); // the dense layers are fine
        float[] logits = new float[2];
        model.logits(new IdBags(new int[] {40}, new int[] {0, 1}, 1, 0), logits);
        NonFiniteGuard.TrainingStoppedException e = assertThrows(NonFiniteGuard.TrainingStoppedException.class,
                () -> guard.checkEvaluation(logits, 2, "validation", 4));
        assertEquals("training stopped after epoch 4: an optimizer step made weight embedding.weight[40, 2] NaN (the "
                + "gradients were too large for float); nothing was saved (lower --lr)", Usage.message(e));
        assertTrue(e.getMessage().endsWith("nothing was saved (lower the learning rate)"), "the runtime names no flag");
        e = assertThrows(NonFiniteGuard.TrainingStoppedException.class, () -> guard.endTraining(5));
        assertTrue(e.getMessage().startsWith("training stopped after epoch 5: an optimizer step made weight "
                + "embedding.weight[40, 2] NaN"), e.getMessage());
    }

    /** The guard checks every parameter's gradient, including the embedding rows a batch touched. */
    @Test
    void aNonFiniteParameterGradientIsFoundAndTheBatchSkipped() {
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(50, 4, 0, 2, 4));
        float[] embeddingBefore = model.embedding().weight().data().toArray();
        float[] biasBefore = model.output().bias().data().toArray();
        // A finite loss gradient so large that two rows' sum (the bias gradient) overflows.
        Loss overflowing = (logits, rows, classes, targets, grad) -> {
            java.util.Arrays.fill(grad, Float.MAX_VALUE);
            return 1.0;
        };
        NonFiniteGuard guard = new NonFiniteGuard(model, true);
        double value = guard.step(new IdBags(new int[] {7, 8, 9}, new int[] {0, 2, 3}, 2, 0), new int[] {1, 0}, overflowing,
                new Adam(model.parameters(), 0.1), 1, 1, 1);
        assertTrue(Double.isNaN(value), "skipped");
        assertEquals(1, guard.skipped());
        assertTrue(guard.firstSkipped().matches("epoch 1, batch 1 of 1: gradient (embedding|output)\\.(weight|bias)\\[[0-9, ]+\\] "
                + "is (-?Infinity|NaN)"), guard.firstSkipped());
        assertArrayEquals(embeddingBefore, model.embedding().weight().data().toArray(), "a skipped step updates nothing");
        assertArrayEquals(biasBefore, model.output().bias().data().toArray(), "a skipped step updates nothing");
    }

    private void assertNoTemporaryFolders() throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            List<Path> hidden = left.filter(p -> p.getFileName().toString().startsWith(".")).toList();
            assertTrue(hidden.isEmpty(), "left behind: " + hidden);
        }
    }
}

package dev.keel.classifier;

import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.core.testing.SyntheticReviews;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library's face: train, save, load (folder and resource), predict, evaluate, and its refusals. */
class TextClassifierTest {

    @TempDir
    Path dir;

    /** {@link SyntheticReviews}: texts then labels. */
    static List<List<String>> reviews(int rows, long seed) {
        SyntheticReviews.Rows r = SyntheticReviews.rows(rows, seed);
        return List.of(r.texts(), r.labels());
    }

    private static TextClassifier.Builder small() {
        return TextClassifier.builder().epochs(5).dim(8).buckets(4096).lr(0.05).batch(16);
    }

    @Test
    void theFiveLinesTrainSaveLoadAndPredict() throws IOException {
        List<List<String>> data = reviews(300, 1);
        TextClassifier model = TextClassifier.train(data.get(0), data.get(1));
        model.save(dir.resolve("my-model"));
        TextClassifier m = TextClassifier.load(dir.resolve("my-model"));
        assertEquals(List.of("great", "other"), m.labels());
        assertEquals("other", m.predict("tastes stale, would not buy again"));
        assertEquals("great", m.predict("fresh and tasty, we love it"));
        double[] p = m.probabilities("stale and bland");
        assertEquals(2, p.length);
        assertEquals(1.0, p[0] + p[1], 1e-12);
        assertTrue(p[1] > 0.5, Arrays.toString(p));
        assertArrayEquals(model.probabilities("stale and bland"), p, "the loaded model is the trained one");
        assertEquals(TextClassifier.DEFAULT_LOSS, m.trainingInfo().get("loss"), "keel train's default loss");
        assertTrue(model.trainingSummary().isPresent());
        assertFalse(m.trainingSummary().isPresent(), "a loaded model was not trained here");
        for (String file : List.of(ModelFolder.MANIFEST, ModelFolder.VOCABULARY, ModelFolder.PARAMETERS)) {
            assertTrue(Files.size(dir.resolve("my-model").resolve(file)) > 0, file);
        }
    }

    @Test
    void tfidfWeightsAreFittedSavedAndLoaded() throws IOException {
        List<List<String>> data = reviews(300, 11);
        for (String norm : List.of("l2", "mean", "sum")) {
            TextClassifier model = small().tokenWeights("tfidf").bagNorm(norm).train(data.get(0), data.get(1));
            Path folder = dir.resolve("tfidf-" + norm);
            model.save(folder);
            assertTrue(Files.size(folder.resolve(ModelFolder.DOCUMENT_FREQUENCIES)) > 0);
            TextClassifier loaded = TextClassifier.load(folder);
            List<String> texts = reviews(30, 12).get(0);
            assertArrayEquals(model.logits(texts), loaded.logits(texts), norm + ": the loaded model is the trained one");
            assertEquals("tfidf", loaded.model().featurizer().weighting().scheme().label());
            assertEquals(norm, loaded.model().featurizer().weighting().norm().label());
            assertTrue(loaded.model().featurizer().bags(texts).weighted());
        }
        // unweighted models are saved as they always were: no weights, no document frequencies
        TextClassifier plain = small().train(data.get(0), data.get(1));
        plain.save(dir.resolve("plain"));
        assertFalse(Files.exists(dir.resolve("plain").resolve(ModelFolder.DOCUMENT_FREQUENCIES)));
        assertFalse(Files.readString(dir.resolve("plain").resolve(ModelFolder.MANIFEST)).contains("token_weights"));
        assertFalse(TextClassifier.load(dir.resolve("plain")).model().featurizer().bags(data.get(0)).weighted());
        // uniform weights with another norm need no frequencies
        TextClassifier uniform = small().bagNorm("l2").train(data.get(0), data.get(1));
        uniform.save(dir.resolve("uniform"));
        assertFalse(Files.exists(dir.resolve("uniform").resolve(ModelFolder.DOCUMENT_FREQUENCIES)));
        assertArrayEquals(uniform.logits(data.get(0)), TextClassifier.load(dir.resolve("uniform")).logits(data.get(0)));
    }

    @Test
    void aDamagedDocumentFrequencyFileIsNamed() throws IOException {
        List<List<String>> data = reviews(200, 13);
        small().tokenWeights("tfidf").train(data.get(0), data.get(1)).save(dir.resolve("m"));
        Path file = dir.resolve("m").resolve(ModelFolder.DOCUMENT_FREQUENCIES);
        String text = Files.readString(file);
        Files.writeString(file, text.replaceFirst("\t", "\tx"));
        InputException e = assertThrows(InputException.class, () -> TextClassifier.load(dir.resolve("m")));
        assertTrue(e.getMessage().contains(ModelFolder.DOCUMENT_FREQUENCIES), e.getMessage());
        Files.writeString(file, text.replaceFirst("\t(\\d)", "\t9$1")); // a valid-looking but changed count
        e = assertThrows(InputException.class, () -> TextClassifier.load(dir.resolve("m")));
        assertTrue(e.getMessage().contains(ModelFolder.DOCUMENT_FREQUENCIES), e.getMessage());
        assertThrows(InvalidSettingException.class, () -> small().tokenWeights("bm25").train(data.get(0), data.get(1)));
        assertThrows(InvalidSettingException.class, () -> small().bagNorm("max").train(data.get(0), data.get(1)));
    }

    @Test
    void batchPredictionAgreesWithOneTextAtATime() {
        List<List<String>> data = reviews(200, 2);
        TextClassifier model = small().train(data.get(0), data.get(1));
        List<String> texts = reviews(40, 3).get(0);
        List<String> labels = model.predict(texts);
        double[][] p = model.probabilities(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(model.predict(texts.get(i)), labels.get(i), texts.get(i));
            assertArrayEquals(model.probabilities(texts.get(i)), p[i], texts.get(i));
            assertEquals(labels.get(i), model.labels().get(p[i][1] > p[i][0] ? 1 : 0));
        }
    }

    @Test
    void everyBuilderOptionReachesTheModel() {
        List<List<String>> train = reviews(240, 4);
        List<List<String>> valid = reviews(60, 5);
        TextClassifier model = small().loss("gated:m=0.8").hidden(6).ngrams(3).seed(7).threads(2).weightDecay(0.01)
                .lrSchedule("constant").validation(valid.get(0), valid.get(1)).train(train.get(0), train.get(1));
        Map<String, Object> info = model.trainingInfo();
        assertEquals("gated:m=0.8", info.get("loss"));
        assertEquals(Map.of("m", 0.8), info.get("loss_params"));
        assertEquals(6, info.get("hidden"));
        assertEquals(7L, info.get("seed"));
        assertEquals("constant", info.get("lr_schedule"));
        assertEquals("best validation macro-F1 (ties: lower NLL)", info.get("epoch_chosen_by"));
        assertEquals(6, model.model().classifier().config().hidden());
        assertEquals(3, model.model().featurizer().options().wordNgrams());
        TextClassifier.TrainingSummary summary = model.trainingSummary().orElseThrow();
        assertEquals(summary.epochKept(), info.get("epoch_kept"));
        assertTrue(summary.validation() != null && summary.validation().macroF1() > 0.8, "" + summary.validation());
        assertEquals(summary.validation().macroF1(), info.get("validation_macro_f1"));
    }

    @Test
    void theChosenEpochIsTheModelKept() {
        List<List<String>> train = reviews(240, 6);
        List<List<String>> valid = reviews(60, 7);
        TextClassifier kept = small().epochs(6).lrSchedule("constant").lr(0.3).validation(valid.get(0), valid.get(1))
                .train(train.get(0), train.get(1));
        int epoch = kept.trainingSummary().orElseThrow().epochKept();
        TextClassifier stopped = small().epochs(epoch).lrSchedule("constant").lr(0.3).train(train.get(0), train.get(1));
        assertArrayEquals(stopped.logits(valid.get(0)), kept.logits(valid.get(0)),
                "the model kept at epoch " + epoch + " of 6 is the one a run of " + epoch + " epochs ends with");
    }

    @Test
    void trainingIsReproducibleAndEvaluationMatchesPredictions() {
        List<List<String>> data = reviews(200, 8);
        TextClassifier a = small().train(data.get(0), data.get(1));
        TextClassifier b = small().train(data.get(0), data.get(1));
        List<List<String>> test = reviews(90, 9);
        assertArrayEquals(a.logits(test.get(0)), b.logits(test.get(0)));
        Evaluation e = a.evaluate(test.get(0), test.get(1));
        List<String> predicted = a.predict(test.get(0));
        long right = 0;
        for (int i = 0; i < predicted.size(); i++) {
            right += predicted.get(i).equals(test.get(1).get(i)) ? 1 : 0;
        }
        assertEquals((double) right / predicted.size(), e.accuracy(), 1e-12);
        assertEquals(1, e.minority(), "the model's minority class, other");
        assertEquals(90, e.rows());
    }

    @Test
    void aModelShippedAsResourcesLoadsLikeItsFolder() throws IOException {
        List<List<String>> data = reviews(150, 10);
        TextClassifier model = small().train(data.get(0), data.get(1));
        // The test classes' folder is on the class path, and its files are looked up when asked for.
        Path classes = Path.of(TextClassifierTest.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        String name = "shipped-model-" + Long.toHexString(System.nanoTime());
        Path folder = classes.resolve("dev/keel/classifier").resolve(name);
        try {
            model.save(folder);
            TextClassifier relative = TextClassifier.loadResource(TextClassifierTest.class, name);
            TextClassifier absolute = TextClassifier.loadResource(TextClassifierTest.class, "/dev/keel/classifier/" + name);
            List<String> texts = reviews(30, 11).get(0);
            assertArrayEquals(model.logits(texts), relative.logits(texts));
            assertArrayEquals(model.logits(texts), absolute.logits(texts));
            assertEquals(TextClassifier.load(folder).trainingInfo(), relative.trainingInfo());

            Files.write(folder.resolve(ModelFolder.VOCABULARY), "<unk>\t0\ngreat\t1\n".getBytes(), java.nio.file.StandardOpenOption.APPEND);
            InputException damaged = assertThrows(InputException.class,
                    () -> TextClassifier.loadResource(TextClassifierTest.class, name));
            assertTrue(damaged.getMessage().startsWith("resource " + name + " is not a readable keel model"), damaged.getMessage());
        } finally {
            deleteTree(folder);
        }
        InputException missing = assertThrows(InputException.class,
                () -> TextClassifier.loadResource(TextClassifierTest.class, "no-such-model"));
        assertTrue(missing.getMessage().contains("is not a keel model (no resource no-such-model/keel-model.json"),
                missing.getMessage());
    }

    @Test
    void badInputIsOneExceptionNamingIt() {
        List<String> texts = List.of("great coffee", "stale beans", "fresh");
        assertMessage("training: 3 texts but 2 labels", () -> TextClassifier.train(texts, List.of("a", "b")));
        assertMessage("training text 1 is blank", () -> TextClassifier.train(List.of("a b", " ", "c"), List.of("x", "y", "x")));
        assertMessage("training text 0 is null", () -> TextClassifier.train(Arrays.asList(null, "b"), List.of("x", "y")));
        assertMessage("training label 2 is empty", () -> TextClassifier.train(texts, List.of("x", "y", "")));
        assertMessage("has only one class ([x]); a classifier needs at least two", () -> TextClassifier.train(texts,
                List.of("x", "x", "x")));
        assertMessage("the training set is empty", () -> TextClassifier.train(List.of(), List.of()));
        InvalidSettingException epochs = assertThrows(InvalidSettingException.class,
                () -> TextClassifier.builder().epochs(0).train(texts, List.of("x", "y", "x")));
        assertEquals("epochs must be at least 1, got 0", epochs.getMessage());
        assertEquals(List.of("epochs"), epochs.settings());
        InvalidSettingException decay = assertThrows(InvalidSettingException.class,
                () -> TextClassifier.builder().lr(10).weightDecay(0.5).settings());
        assertEquals("lr times weightDecay must be below 1, got 10.0 x 0.5", decay.getMessage());
        assertEquals("--lr times --weight-decay must be below 1, got 10.0 x 0.5",
                decay.message(name -> "--" + name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT)));
        assertThrows(IllegalArgumentException.class, () -> TextClassifier.builder().loss("hinge").train(texts,
                List.of("x", "y", "x")));
        assertThrows(IllegalArgumentException.class, () -> TextClassifier.builder().loss("gated:m=0.4").train(texts,
                List.of("x", "y", "x")), "a margin below 1/classes");

        List<List<String>> data = reviews(60, 12);
        TextClassifier model = small().epochs(1).train(data.get(0), data.get(1));
        assertMessage("label 'meh' is not among [great, other]", () -> model.evaluate(List.of("ok"), List.of("meh")));
        assertMessage("text 1 is null", () -> model.predict(Arrays.asList("ok", null)));
        assertMessage("no model folder " + dir.resolve("none"), () -> TextClassifier.load(dir.resolve("none")));
        assertMessage(dir + " is not a keel model (no keel-model.json)", () -> TextClassifier.load(dir));
    }

    private static void assertMessage(String expected, Runnable r) {
        RuntimeException e = assertThrows(RuntimeException.class, r::run);
        assertTrue(e instanceof InputException || e instanceof IllegalArgumentException, e.toString());
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    private static void deleteTree(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}

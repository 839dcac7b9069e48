package dev.keel.classifier;

import dev.keel.core.testing.SyntheticReviews;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Choosing the epoch and the decision rule on held-out rows: cross-validation, a holdout, validation rows. */
class ModelSelectionTest {

    @TempDir
    Path dir;

    /** Synthetic reviews with the second class made rare (about 1 in 8). */
    private static List<List<String>> imbalanced(int rows, long seed) {
        SyntheticReviews.Rows r = SyntheticReviews.rows(rows * 2, seed);
        List<String> texts = new ArrayList<>(), labels = new ArrayList<>();
        int rare = 0;
        for (int i = 0; i < r.texts().size() && texts.size() < rows; i++) {
            boolean other = r.labels().get(i).equals("other");
            if (!other || rare++ % 4 == 0) {
                texts.add(r.texts().get(i));
                labels.add(r.labels().get(i));
            }
        }
        return List.of(texts, labels);
    }

    private static TextClassifier.Builder small() {
        return TextClassifier.builder().epochs(4).dim(8).buckets(4096).lr(0.05).batch(16);
    }

    @Test
    void crossValidationTunesOffsetsThatTheSavedModelApplies() throws IOException {
        List<List<String>> data = imbalanced(400, 1);
        TextClassifier model = small().selection("cv:3").decision("tuned").train(data.get(0), data.get(1));
        DecisionRule rule = model.model().decision();
        assertNotNull(rule);
        assertEquals("macro_f1", rule.metric());
        TextClassifier.TrainingSummary summary = model.trainingSummary().orElseThrow();
        assertEquals(400, summary.validation().rows(), "every training row scored out of fold");
        assertTrue(summary.epochKept() >= 1 && summary.epochKept() <= 4);
        assertTrue(((String) model.trainingInfo().get("epoch_chosen_by")).contains("out-of-fold"));
        model.save(dir.resolve("m"));
        assertTrue(Files.readString(dir.resolve("m").resolve(ModelFolder.MANIFEST)).contains("\"decision\""));
        TextClassifier loaded = TextClassifier.load(dir.resolve("m"));
        assertEquals(rule, loaded.model().decision());
        List<String> texts = imbalanced(120, 2).get(0);
        float[] logits = loaded.logits(texts);
        int[] decided = rule.decide(logits, texts.size(), 2);
        List<String> predicted = loaded.predict(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(loaded.labels().get(decided[i]), predicted.get(i), texts.get(i));
        }
        Metrics.Evaluation e = loaded.evaluate(texts, imbalanced(120, 2).get(1));
        int[][] confusion = Metrics.confusion(TextClassifier.dataset("x", texts, imbalanced(120, 2).get(1))
                .withLabelNames(loaded.labels()).labelIds(), decided, 2);
        assertArrayEquals(confusion[0], e.confusion()[0]);
        assertArrayEquals(confusion[1], e.confusion()[1]);
    }

    @Test
    void theSameSettingsGiveTheSameModelAndAHoldoutTrainsAllRowsToItsEpoch() {
        List<List<String>> data = imbalanced(300, 3);
        TextClassifier a = small().selection("holdout:0.25").decision("tuned").train(data.get(0), data.get(1));
        TextClassifier b = small().selection("holdout:0.25").decision("tuned").train(data.get(0), data.get(1));
        assertArrayEquals(a.logits(data.get(0)), b.logits(data.get(0)));
        assertEquals(a.model().decision(), b.model().decision());
        TextClassifier.TrainingSummary summary = a.trainingSummary().orElseThrow();
        assertEquals(300, summary.rows(), "the final run trains on every row");
        long rare = data.get(1).stream().filter("other"::equals).count();
        assertEquals(Math.round(0.25 * (300 - rare)) + Math.round(0.25 * rare), summary.validation().rows(),
                "a stratified quarter held out");
        // argmax selection: no rule, epoch chosen all the same
        TextClassifier plain = small().selection("cv:2").train(data.get(0), data.get(1));
        assertNull(plain.model().decision());
    }

    @Test
    void priorOffsetsAreMinusTauLogThePrior() {
        List<List<String>> data = imbalanced(240, 4);
        TextClassifier model = small().decision("prior:1").train(data.get(0), data.get(1));
        long rare = data.get(1).stream().filter("other"::equals).count();
        float[] offsets = model.model().decision().offsets();
        assertEquals(-Math.log((240.0 - rare) / 240), offsets[0], 1e-6);
        assertEquals(-Math.log(rare / 240.0), offsets[1], 1e-6);
        assertTrue(offsets[1] > offsets[0], "the rare class gets the lower bar");
    }

    @Test
    void impossibleCombinationsAreNamed() {
        List<List<String>> data = imbalanced(200, 5);
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> small().decision("tuned").train(data.get(0), data.get(1)));
        assertTrue(e.getMessage().contains("decision"), e.getMessage());
        e = assertThrows(InvalidSettingException.class, () -> small().selection("cv:3")
                .validation(data.get(0).subList(0, 50), data.get(1).subList(0, 50)).train(data.get(0), data.get(1)));
        assertTrue(e.getMessage().contains("selection"), e.getMessage());
        e = assertThrows(InvalidSettingException.class,
                () -> small().decisionMetric("f1:nope").selection("cv:2").train(data.get(0), data.get(1)));
        assertTrue(e.getMessage().contains("f1:nope"), e.getMessage());
        for (String bad : List.of("cv:1", "cv:x", "holdout:1", "folds")) {
            assertThrows(InvalidSettingException.class, () -> small().selection(bad).settings(), bad);
        }
        for (String bad : List.of("best", "prior:0", "prior:-1", "tuned:2")) {
            assertThrows(InvalidSettingException.class, () -> small().decision(bad).settings(), bad);
        }
    }

    @Test
    void aDamagedDecisionIsNamed() throws IOException {
        List<List<String>> data = imbalanced(200, 6);
        small().decision("prior:1").train(data.get(0), data.get(1)).save(dir.resolve("m"));
        Path manifest = dir.resolve("m").resolve(ModelFolder.MANIFEST);
        String text = Files.readString(manifest);
        // the manifest's checksum is recorded in the parameters file: an edit is caught before the fields
        Files.writeString(manifest, text.replace("\"metric\"", "\"metrics\""));
        InputException e = assertThrows(InputException.class, () -> TextClassifier.load(dir.resolve("m")));
        assertTrue(e.getMessage().contains(ModelFolder.MANIFEST), e.getMessage());
    }
}

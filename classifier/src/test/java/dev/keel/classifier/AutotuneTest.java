package dev.keel.classifier;

import dev.keel.core.testing.SyntheticReviews;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutotuneTest {

    private static TextClassifier.Builder small() {
        return TextClassifier.builder().epochs(3).dim(8).buckets(4096).lr(0.05).batch(16);
    }

    @Test
    void aCappedSearchIsDeterministicLogsEveryTrialAndKeepsTheBest() {
        SyntheticReviews.Rows r = SyntheticReviews.rows(240, 21);
        List<String> log1 = new ArrayList<>(), log2 = new ArrayList<>();
        TextClassifier a = small().autotune(3600).autotuneTrials(4).autotuneLog(log1::add).train(r.texts(), r.labels());
        TextClassifier b = small().autotune(3600).autotuneTrials(4).autotuneLog(log2::add).train(r.texts(), r.labels());
        assertEquals(4, log1.size(), String.join("\n", log1));
        assertTrue(log1.get(0).startsWith("trial 0: macro_f1 "), log1.get(0));
        for (int i = 0; i < 4; i++) { // the same trials (times aside)
            assertEquals(log1.get(i).replaceAll("in [0-9.]+ s", ""), log2.get(i).replaceAll("in [0-9.]+ s", ""));
        }
        assertArrayEquals(a.logits(r.texts()), b.logits(r.texts()));
        @SuppressWarnings("unchecked")
        Map<String, Object> tune = (Map<String, Object>) a.trainingInfo().get("autotune");
        assertEquals(4, tune.get("trials"));
        assertEquals("cv:3", tune.get("scored_on"), "a minority of fewer than 200 rows: scored out of fold");
        double best = (Double) tune.get("best_score");
        for (String line : log1) {
            double score = Double.parseDouble(line.split(" ")[3]);
            assertTrue(score <= best + 1e-4, line + " vs best " + best);
        }
        String chosen = (String) tune.get("chosen");
        assertTrue(chosen.contains("--loss " + a.trainingInfo().get("loss")), chosen + " vs " + a.trainingInfo());
    }

    @Test
    void validationRowsScoreTheTrialsWhenGiven() {
        SyntheticReviews.Rows r = SyntheticReviews.rows(240, 22);
        SyntheticReviews.Rows v = SyntheticReviews.rows(80, 23);
        TextClassifier model = small().validation(v.texts(), v.labels()).autotune(3600).autotuneTrials(2)
                .train(r.texts(), r.labels());
        @SuppressWarnings("unchecked")
        Map<String, Object> tune = (Map<String, Object>) model.trainingInfo().get("autotune");
        assertEquals("validation rows", tune.get("scored_on"));
    }

    @Test
    void badSearchesAreNamed() {
        SyntheticReviews.Rows r = SyntheticReviews.rows(100, 24);
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> small().autotune(-1).train(r.texts(), r.labels()));
        assertTrue(e.getMessage().contains("autotuneDuration"), e.getMessage());
        e = assertThrows(InvalidSettingException.class,
                () -> small().autotune(10).decisionMetric("f1:nope").train(r.texts(), r.labels()));
        assertTrue(e.getMessage().contains("f1:nope"), e.getMessage());
    }
}

package dev.keel.examples;

import dev.keel.nn.io.Json;
import dev.keel.examples.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.keel.examples.CliTest.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny synthetic compare run, and the report it writes, checked against the schema issue 6 lists. */
class ReportSchemaTest {

    @TempDir
    Path dir;

    @Test
    void compareWritesTheDocumentedReport() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 120, 1);
        Path test = Synthetic.csv(dir, "test.csv", 45, 2);
        Path out = dir.resolve("report");
        int epochs = 3;
        CliTest.Run run = CliTest.keel("compare", "--train", train.toString(), "--test", test.toString(),
                "--losses", "ce,gated:m=0.7,focal:g=2,soft_gated,weighted_ce", "--seeds", "2", "--epochs", "" + epochs,
                "--dim", "8", "--buckets", "4096", "--lr", "0.05", "--batch", "16", "--ratios", "1,3", "--out", out.toString(), "--quiet");
        assertEquals(0, run.status(), run.err());
        for (String file : List.of(Report.JSON, Report.MARKDOWN, Report.FIGURE2, Report.VALID_NLL, Report.RATIOS,
                Report.GATED_SHARE, "gate_share_by_class.png", "grad_share_by_class.png")) {
            assertTrue(Files.size(out.resolve(file)) > 100, file);
        }
        Map<?, ?> report = (Map<?, ?>) Json.parse(Files.readString(out.resolve(Report.JSON)));
        Map<?, ?> counts = (Map<?, ?>) report.get("counts");
        assertEquals("other", counts.get("minority"));
        assertEquals(Map.of("great", 80L - 8, "other", 40L - 4), counts.get("train"));
        assertEquals(Map.of("great", 8L, "other", 4L), counts.get("validation"));
        assertEquals(Map.of("great", 30L, "other", 15L), counts.get("test"));

        List<?> results = (List<?>) report.get("results");
        assertEquals(5, results.size());
        Map<?, ?> gated = (Map<?, ?>) results.get(1);
        assertEquals("gated:m=0.7", gated.get("loss"));
        assertEquals(Map.of("m", 0.7), gated.get("params"));
        for (Object o : results) {
            Map<?, ?> r = (Map<?, ?>) o;
            Map<?, ?> testMetrics = (Map<?, ?>) r.get("test");
            for (String metric : List.of("accuracy", "macro_f1", "minority_recall", "minority_pr_auc", "nll")) {
                Map<?, ?> ms = (Map<?, ?>) testMetrics.get(metric);
                assertNotNull(ms, metric);
                assertTrue(ms.get("mean") instanceof Number && ms.get("std") instanceof Number, metric + ": " + ms);
            }
            for (String timing : List.of("train_seconds", "tokens_per_second")) {
                Map<?, ?> ms = (Map<?, ?>) r.get(timing);
                assertTrue(number(ms.get("mean")) > 0, timing);
                assertTrue(ms.containsKey("std"));
            }
            Map<?, ?> curves = (Map<?, ?>) r.get("curves");
            for (String curve : List.of("train_objective", "validation_nll", "validation_accuracy",
                    "validation_macro_f1", "gated_share")) {
                Map<?, ?> c = (Map<?, ?>) curves.get(curve);
                assertEquals(epochs, ((List<?>) c.get("mean")).size(), curve);
                assertEquals(epochs, ((List<?>) c.get("std")).size(), curve);
            }
            Map<?, ?> grad = (Map<?, ?>) curves.get("grad_norm_share_by_class");
            List<?> great = (List<?>) ((Map<?, ?>) grad.get("great")).get("mean");
            List<?> other = (List<?>) ((Map<?, ?>) grad.get("other")).get("mean");
            assertEquals(1.0, number(great.get(0)) + number(other.get(0)), 1e-9, "gradient shares sum to 1");
            boolean gatedKind = r.get("kind").equals("gated") || r.get("kind").equals("soft_gated");
            List<?> share = (List<?>) ((Map<?, ?>) curves.get("gated_share")).get("mean");
            assertEquals(gatedKind, share.get(0) != null, "gated share only for gated losses");
            // per-class gate views for every loss: at its own margin, or at the first gated loss's (a reference)
            assertEquals(0.7, curves.get("gate_margin"));
            assertEquals(!gatedKind, curves.get("gate_margin_is_reference"));
            Map<?, ?> otherGate = (Map<?, ?>) ((Map<?, ?>) curves.get("gate_share_by_class")).get("other");
            for (int e = 0; e < epochs; e++) {
                double sum = 0;
                for (String state : List.of("closed", "open", "edge")) {
                    sum += number(((List<?>) ((Map<?, ?>) otherGate.get(state)).get("mean")).get(e));
                }
                assertEquals(1.0, sum, 1e-9, "closed + open + edge shares of a class");
            }
            assertEquals(2, ((List<?>) r.get("per_seed")).size());
        }
        List<?> ratios = (List<?>) report.get("ratios");
        assertEquals(2, ratios.size());
        assertEquals(1.0, number(((Map<?, ?>) ratios.get(0)).get("ratio")));
        Map<?, ?> atThree = (Map<?, ?>) ((Map<?, ?>) ratios.get(1)).get("counts");
        assertEquals(3.0, number(((Map<?, ?>) atThree.get("train")).get("great"))
                / number(((Map<?, ?>) atThree.get("train")).get("other")), 0.2);
        List<?> claims = (List<?>) report.get("claims");
        assertEquals(3, claims.size());
        assertEquals("not measured", ((Map<?, ?>) claims.get(2)).get("verdict"));
        String md = Files.readString(out.resolve(Report.MARKDOWN));
        assertTrue(md.contains("![figure2_accuracy_loss.png](figure2_accuracy_loss.png)"));
        assertTrue(md.contains("| `gated:m=0.7` |"));
        assertTrue(md.contains("### `focal:g=2`, m = 0.7 (reference)"), "per-class tables");
    }
}

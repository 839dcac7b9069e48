package dev.keel.examples;

import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.TextClassifier;
import dev.keel.nn.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static dev.keel.examples.CliTest.number;
import static dev.keel.examples.CliTest.keel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keel predict --data F} on real files: CSV, TSV, gzip and fastText-style lines, with and
 * without a label column, give one prediction per row in file order, the same for the same texts
 * whatever the format; bad input stops with the file, the line and the problem.
 */
class PredictCommandTest {

    @TempDir
    static Path dir;

    static Path model;
    static TextClassifier predictor;

    /** Texts the tiny model tells apart; a comma and quotes for the CSV quoting. */
    static final List<String> TEXTS = List.of(
            "awful stale refund bad",
            "love this great tasty coffee",
            "bland broken, \"stale\" box",
            "excellent fresh perfect",
            "we want a refund: awful");

    @BeforeAll
    static void trainModel() throws IOException {
        model = CliTest.trainTinyModel(dir, 150);
        predictor = TextClassifier.load(model);
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String csvField(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** {@code keel predict --model <the model> args...}. */
    private static CliTest.Run predict(String... args) {
        return keel(Stream.concat(Stream.of("predict", "--model", model.toString()), Stream.of(args))
                .toArray(String[]::new));
    }

    private static CliTest.Run predictOk(String... args) {
        CliTest.Run run = predict(args);
        assertEquals(0, run.status(), () -> List.of(args) + ": " + run.err());
        return run;
    }

    /**
     * The output for {@link #TEXTS}: one line each, in order, "label TAB probability" with the
     * model's most probable label and its softmax probability to 4 decimals.
     */
    private static void assertPredictsTexts(String out) {
        List<String> lines = out.lines().toList();
        assertEquals(TEXTS.size(), lines.size(), out);
        float[] logits = predictor.logits(TEXTS);
        int classes = predictor.labels().size();
        for (int r = 0; r < TEXTS.size(); r++) {
            assertTrue(lines.get(r).matches("(great|other)\t[01]\\.\\d{4}"), "line " + r + ": " + lines.get(r));
            String[] fields = lines.get(r).split("\t");
            int best = 0;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                best = logits[r * classes + c] > logits[r * classes + best] ? c : best;
            }
            for (int c = 0; c < classes; c++) {
                sum += Math.exp((double) logits[r * classes + c] - logits[r * classes + best]);
            }
            assertEquals(predictor.labels().get(best), fields[0], "label of text " + r);
            assertEquals(1 / sum, Double.parseDouble(fields[1]), 0.6e-4, "probability of text " + r);
        }
        // the words decide: the order of the rows is the order of the file
        assertEquals(List.of("other", "great", "other", "great", "other"),
                lines.stream().map(l -> l.split("\t")[0]).toList(), out);
    }

    @Test
    void csvWithoutALabelColumn() throws IOException {
        Path file = write("new.csv", "id,text\n" + numbered(TEXTS.stream().map(PredictCommandTest::csvField).toList(), ","));
        assertPredictsTexts(predictOk("--data", file.toString()).out());
    }

    @Test
    void aLabelColumnIsIgnoredWhateverItHolds() throws IOException {
        // wrong labels, an empty one, one the model never saw: none of it matters to predict
        List<String> labels = List.of("great", "", "unknown", "other", "great");
        StringBuilder csv = new StringBuilder("label,text\n");
        for (int r = 0; r < TEXTS.size(); r++) {
            csv.append(labels.get(r)).append(',').append(csvField(TEXTS.get(r))).append('\n');
        }
        Path file = write("labeled.csv", csv.toString());
        String unlabeled = predictOk("--data", write("plain.csv", "text\n"
                + TEXTS.stream().map(PredictCommandTest::csvField).collect(Collectors.joining("\n")) + "\n").toString()).out();
        assertEquals(unlabeled, predictOk("--data", file.toString()).out());
        // --label-column naming a column that is not there is ignored too
        assertEquals(unlabeled, predictOk("--label-column", "stars", "--data", file.toString()).out());
        assertPredictsTexts(unlabeled);
    }

    @Test
    void everyReaderFormatGivesTheSamePredictions() throws IOException {
        String expected = predictOk("--data", write("same.csv", "text\n"
                + TEXTS.stream().map(PredictCommandTest::csvField).collect(Collectors.joining("\r\n"))).toString()).out();
        assertPredictsTexts(expected);

        Path tsv = write("new.tsv", "id\ttext\n" + numbered(TEXTS, "\t"));
        assertEquals(expected, predictOk("--data", tsv.toString()).out());

        Path gz = dir.resolve("new.csv.gz");
        Files.write(gz, gzip(Files.readAllBytes(dir.resolve("same.csv"))));
        assertEquals(expected, predictOk("--data", gz.toString()).out());

        // fastText lines: with a label, several, or none; the labels are left out, not predicted from
        Path ft = write("mixed.txt", "__label__great " + TEXTS.get(0) + "\n" + TEXTS.get(1) + "\n__label__a __label__b "
                + TEXTS.get(2) + "\n" + TEXTS.get(3) + "\r\n__label__other\t" + TEXTS.get(4) + "\n");
        assertEquals(expected, predictOk("--data", ft.toString()).out());
        Path lines = write("texts.ft", String.join("\n", TEXTS) + "\n");
        assertEquals(expected, predictOk("--data", lines.toString()).out());

        // the text column by name, among others
        Path reviews = write("reviews.csv", "score,review,id\n" + TEXTS.stream().map(t -> "5," + csvField(t) + ",x")
                .collect(Collectors.joining("\n")) + "\n");
        assertEquals(expected, predictOk("--text-column", "review", "--data", reviews.toString()).out());
        // even a text column called 'label' (the label column is not read, whatever it is called)
        Path labelNamed = write("label-named.csv", "label\n"
                + TEXTS.stream().map(PredictCommandTest::csvField).collect(Collectors.joining("\n")) + "\n");
        assertEquals(expected, predictOk("--text-column", "label", "--data", labelNamed.toString()).out());

        // a name the reader does not know: one text per line, as from stdin
        Path other = write("texts.lines", String.join("\n", TEXTS) + "\n");
        assertEquals(expected, predictOk("--data", other.toString()).out());
    }

    @Test
    void jsonLinesOnePerRowInOrder() throws IOException {
        Path file = write("json.csv", "text\n" + TEXTS.stream().map(PredictCommandTest::csvField)
                .collect(Collectors.joining("\n")) + "\n");
        String plain = predictOk("--data", file.toString()).out();
        List<String> json = predictOk("--json", "--data", file.toString()).out().lines().toList();
        List<String> rows = plain.lines().toList();
        assertEquals(TEXTS.size(), json.size());
        for (int r = 0; r < json.size(); r++) {
            Map<?, ?> line = (Map<?, ?>) Json.parse(json.get(r));
            assertEquals(rows.get(r).split("\t")[0], line.get("label"), "row " + r);
            Map<?, ?> all = (Map<?, ?>) line.get("probabilities");
            assertEquals(1.0, number(all.get("great")) + number(all.get("other")), 1e-6);
            assertEquals(Double.parseDouble(rows.get(r).split("\t")[1]), number(line.get("probability")), 0.6e-4);
        }
    }

    @Test
    void aMissingTextColumnIsNamedWithFileAndLine() throws IOException {
        Path file = write("no-text.csv", "id,review,score\n1,tasty,great\n");
        CliTest.Run run = predict("--data", file.toString());
        assertOneLineError(run, file + " line 1: no text column 'text' in the header [id, review, score];"
                + " choose the column by its header name");
        Path tsv = write("no-text.tsv", "id\tbody\n1\ttasty\n");
        assertOneLineError(predict("--text-column", "review", "--data", tsv.toString()),
                tsv + " line 1: no text column 'review' in the header [id, body]");
    }

    @Test
    void badRowsNameFileLineAndProblem() throws IOException {
        Path shortRow = write("short.csv", "id,text\n1,fine\n2\n3,also fine\n");
        assertOneLineError(predict("--data", shortRow.toString()), shortRow
                + " line 3: expected 2 fields (as in the header), found 1 (--skip-bad-rows leaves such rows out)");
        Path emptyText = write("empty-text.csv", "text,label\nfine,a\nok,b\n\"  \",c\n");
        assertOneLineError(predict("--data", emptyText.toString()), emptyText + " line 4: empty text in column 'text'");
        Path blank = write("blank.txt", TEXTS.get(0) + "\n\n" + TEXTS.get(1) + "\n");
        assertOneLineError(predict("--data", blank.toString()), blank + " line 2: blank line");
        Path onlyLabel = write("only-label.ft", "__label__great\n");
        assertOneLineError(predict("--data", onlyLabel.toString()), onlyLabel + " line 1: empty text");
        Path empty = write("empty.txt", "");
        assertOneLineError(predict("--data", empty.toString()), empty + ": empty file");
        Path header = write("header.csv", "text\n");
        assertOneLineError(predict("--data", header.toString()), header + ": no rows: the data set is empty");

        // skipping leaves the bad rows out and predicts the rest, in order
        Path mixed = write("mixed-bad.csv", "text\n" + csvField(TEXTS.get(0)) + "\n\n" + csvField(TEXTS.get(1)) + "\n"
                + "\"unquoted\" tail\n" + TEXTS.stream().skip(2).map(PredictCommandTest::csvField)
                .collect(Collectors.joining("\n")) + "\n");
        assertOneLineError(predict("--data", mixed.toString()), mixed + " line 3: blank line");
        assertPredictsTexts(predictOk("--skip-bad-rows", "--data", mixed.toString()).out());
    }

    private static void assertOneLineError(CliTest.Run run, String message) {
        assertEquals(1, run.status(), run.err());
        assertEquals("", run.out(), "no predictions before the error");
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("keel predict: " + message), () -> "expected '" + message + "' in: " + err);
        assertFalse(err.contains("Exception"), err);
    }

    /** Rows "1<sep>text" ... one a line. */
    private static String numbered(List<String> fields, String separator) {
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < fields.size(); r++) {
            sb.append(r + 1).append(separator).append(fields.get(r)).append('\n');
        }
        return sb.toString();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}

package dev.keel.examples;

import dev.keel.classifier.ModelFolder;
import dev.keel.nn.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end on small synthetic files: exit statuses, messages, outputs. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    /** A parsed JSON number as a double (the parser gives Long for integers, Double otherwise). */
    static double number(Object json) {
        return ((Number) json).doubleValue();
    }

    static Run keel(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = KeelCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    static final String[] TINY = {"--epochs", "5", "--dim", "8", "--buckets", "4096", "--lr", "0.05", "--batch", "16", "--quiet"};

    /** A command with small model settings, so each run takes well under a second. */
    static String[] tiny(String command, String... args) {
        return Stream.concat(Stream.concat(Stream.of(command), Stream.of(args)), Stream.of(TINY)).toArray(String[]::new);
    }

    /** Trains a small model on {@code rows} synthetic rows ({@code dir/train.csv}) into {@code dir/model}. */
    static Path trainTinyModel(Path dir, int rows) throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", rows, 1);
        Path model = dir.resolve("model");
        Run run = keel(tiny("train", "--train", train.toString(), "--loss", "ce", "--model", model.toString()));
        assertEquals(0, run.status(), run.err());
        return model;
    }

    /** Exits with {@code status}, one line on stderr containing {@code messagePart}, no stack trace. */
    static void assertFails(int status, String messagePart, String... args) {
        Run run = keel(args);
        assertEquals(status, run.status(), () -> "exit status of " + List.of(args) + "; stderr: " + run.err());
        assertTrue(run.err().contains(messagePart), () -> "stderr lacks '" + messagePart + "': " + run.err());
        assertEquals(1, run.err().strip().lines().count(), () -> "not one line: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace by default");
    }

    @Test
    void helpAndVersion() {
        Run help = keel("--help");
        assertEquals(0, help.status());
        for (String command : List.of("train", "eval", "predict", "compare")) {
            assertTrue(help.out().contains(command));
            Run sub = keel(command, "--help");
            assertEquals(0, sub.status());
            assertTrue(sub.out().contains("Usage: keel " + command));
        }
        Run version = keel("--version");
        assertEquals(0, version.status());
        assertTrue(version.out().contains("keel kernels: "), version.out());
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        assertFails(2, "unknown loss 'hinge'", "compare", "--losses", "ce,hinge", "--out", dir.resolve("o").toString());
        assertFails(2, "has no option 'x'", "compare", "--losses", "focal:g=2:x=1", "--out", dir.resolve("o").toString());
        assertFails(2, "gamma g=11 is out of range", "compare", "--losses", "focal:g=11");
        assertFails(2, "--epochs must be at least 1", "compare", "--epochs", "0");
        assertFails(2, "--train and --test go together", "compare", "--train", "x.csv");
        assertFails(2, "Unknown option", "compare", "--bogus");
        assertFails(2, "--gamma does not apply to loss 'ce'", "train", "--train", "x.csv", "--loss", "ce",
                "--gamma", "2", "--model", dir.resolve("m").toString());
        assertFails(2, "name a command");
        assertFails(2, "--text-column and --label-column name the same column 'label'", "train", "--train", "x.csv",
                "--text-column", "label", "--loss", "ce", "--model", dir.resolve("m").toString());
        assertFails(2, "--text-column and --label-column name the same column 'review'", "compare", "--label-column",
                "review", "--out", dir.resolve("o").toString());
        assertFalse(Files.exists(dir.resolve("o")));
        assertFalse(Files.exists(dir.resolve("m")));
    }

    @Test
    void badInputExitsOneWithAClearMessageAndWritesNothing() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 60, 1);
        Path model = dir.resolve("model");
        Path out = dir.resolve("out");
        assertFails(1, "no such file", tiny("train", "--train", dir.resolve("missing.csv").toString(),
                "--loss", "ce", "--model", model.toString()));
        assertFails(1, "no text column 'review'", tiny("train", "--train", train.toString(),
                "--text-column", "review", "--loss", "ce", "--model", model.toString()));
        Path oneClass = dir.resolve("one.csv");
        Files.writeString(oneClass, "text,label\nnice,great\ngood,great\n");
        assertFails(1, "has only one class", tiny("train", "--train", oneClass.toString(), "--loss", "ce",
                "--model", model.toString()));
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "text,label\n");
        assertFails(1, "is empty", tiny("train", "--train", empty.toString(), "--loss", "ce",
                "--model", model.toString()));
        assertFails(2, "0.5 < m < 1 for 2 classes", tiny("train", "--train", train.toString(), "--loss", "gated",
                "--margin", "0.4", "--model", model.toString()));
        assertFails(1, "has only one class", tiny("compare", "--train", oneClass.toString(), "--test",
                oneClass.toString(), "--out", out.toString()));
        assertFalse(Files.exists(model));
        assertFalse(Files.exists(out));

        Path notAModel = Files.createDirectories(dir.resolve("not-a-model"));
        Files.writeString(notAModel.resolve("notes.txt"), "mine");
        assertFails(1, "is not a keel model", "eval", "--model", notAModel.toString(), "--data", train.toString());
        assertFails(1, "no model folder", "predict", "--model", dir.resolve("nope").toString());
        // Training into someone's folder is refused before any work, and their file stays.
        assertFails(1, "refusing to replace it", tiny("train", "--train", train.toString(), "--loss", "ce",
                "--model", notAModel.toString()));
        assertEquals("mine", Files.readString(notAModel.resolve("notes.txt")));
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folders left");
        }
    }

    @Test
    void trainEvalPredictRoundTrip() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 150, 1);
        Path valid = Synthetic.csv(dir, "valid.csv", 30, 2);
        Path test = Synthetic.csv(dir, "test.csv", 60, 3);
        Path model = dir.resolve("model");
        Run trained = keel(tiny("train", "--train", train.toString(), "--valid", valid.toString(),
                "--loss", "focal", "--gamma", "1", "--alpha", "0.5,1", "--model", model.toString()));
        assertEquals(0, trained.status(), trained.err());
        assertTrue(trained.out().contains("kept epoch"), trained.out());
        assertTrue(Files.exists(model.resolve(ModelFolder.MANIFEST)));

        Run eval = keel("eval", "--model", model.toString(), "--data", test.toString(), "--json");
        assertEquals(0, eval.status(), eval.err());
        Map<?, ?> metrics = (Map<?, ?>) Json.parse(eval.out());
        assertTrue(number(metrics.get("accuracy")) > 0.9, "the words separate the classes: " + metrics);
        assertEquals("other", metrics.get("minority"));
        assertEquals(List.of("great", "other"), metrics.get("labels"));
        Run text = keel("eval", "--model", model.toString(), "--data", test.toString());
        assertTrue(text.out().contains("macro-F1") && text.out().contains("confusion"), text.out());

        Path lines = dir.resolve("lines.txt");
        Files.writeString(lines, "awful stale refund bad\nlove this great tasty coffee\n", StandardCharsets.UTF_8);
        Run predicted = keel("predict", "--model", model.toString(), "--data", lines.toString());
        assertEquals(0, predicted.status(), predicted.err());
        List<String> rows = predicted.out().lines().toList();
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).startsWith("other\t") && rows.get(1).startsWith("great\t"), predicted.out());
        Run json = keel("predict", "--model", model.toString(), "--data", lines.toString(), "--json");
        Map<?, ?> first = (Map<?, ?>) Json.parse(json.out().lines().findFirst().orElseThrow());
        double p = number(first.get("probability"));
        Map<?, ?> all = (Map<?, ?>) first.get("probabilities");
        assertEquals(1.0, number(all.get("great")) + number(all.get("other")), 1e-6);
        assertEquals(p, number(all.get("other")), 1e-12);

        // Retraining replaces the model folder whole.
        Run again = keel(tiny("train", "--train", train.toString(), "--loss", "ce", "--model", model.toString()));
        assertEquals(0, again.status(), again.err());
        assertTrue(Files.readString(model.resolve(ModelFolder.MANIFEST)).contains("\"loss\": \"ce\""));
    }
}

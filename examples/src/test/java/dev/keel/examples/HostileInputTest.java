package dev.keel.examples;

import dev.keel.classifier.ModelFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static dev.keel.examples.CliTest.keel;
import static dev.keel.examples.CliTest.tiny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command fed missing, empty, binary, broken and enormous-line files, hostile model folders
 * and nonsense options: each run ends with exit status 1 (a runtime problem) or 2 (a usage
 * problem) and exactly one line on stderr, with no stack trace and no bare exception name (which
 * would mean an error keel did not anticipate).
 */
class HostileInputTest {

    @TempDir
    static Path dir;

    static Path goodTrain;
    static Path goodTest;
    static Path model;
    /** Hostile data files by description. */
    static final Map<String, Path> FILES = new LinkedHashMap<>();
    /** Hostile model folders (or non-folders) by description. */
    static final Map<String, Path> MODELS = new LinkedHashMap<>();

    /** Runs checked so far, for the reliability section's count. */
    static int runs;

    @BeforeAll
    static void files() throws IOException {
        goodTrain = Synthetic.csv(dir, "train.csv", 90, 1);
        goodTest = Synthetic.csv(dir, "test.csv", 30, 2);
        model = dir.resolve("model");
        CliTest.Run trained = keel(tiny("train", "--train", goodTrain.toString(), "--loss", "ce", "--model", model.toString()));
        assertEquals(0, trained.status(), trained.err());

        byte[] random = new byte[64 << 10];
        new SplittableRandom(8).nextBytes(random);
        byte[] hugeLine = new byte[5 << 20]; // 5 MB, no line break at all
        java.util.Arrays.fill(hugeLine, (byte) 'x');
        for (String ext : List.of("csv", "tsv", "txt")) {
            FILES.put("missing ." + ext, dir.resolve("missing." + ext));
            FILES.put("empty ." + ext, write("empty." + ext, new byte[0]));
            FILES.put("binary ." + ext, write("binary." + ext, random));
            FILES.put("5 MB line ." + ext, write("huge." + ext, hugeLine));
        }
        FILES.put("binary .gz", write("binary.csv.gz", random));
        FILES.put("broken gzip", write("broken.csv.gz", java.util.Arrays.copyOf(gzip(Files.readAllBytes(goodTrain)), 60)));
        FILES.put("UTF-16", write("utf16.csv", "\ufefftext,label\na,b\n".getBytes(StandardCharsets.UTF_16)));
        FILES.put("header only", write("header.csv", "text,label\n".getBytes(StandardCharsets.UTF_8)));
        FILES.put("unknown extension", write("data.bin", random));
        FILES.put("a folder", Files.createDirectories(dir.resolve("folder.csv")));
        FILES.put("NUL bytes", write("nul.csv", new byte[4096]));

        MODELS.put("missing", dir.resolve("no-model"));
        MODELS.put("a file", goodTrain);
        MODELS.put("empty folder", Files.createDirectories(dir.resolve("empty-model")));
        MODELS.put("binary manifest", modelWith("binary-manifest", ModelFolder.MANIFEST, random));
        MODELS.put("empty manifest", modelWith("empty-manifest", ModelFolder.MANIFEST, new byte[0]));
        MODELS.put("deeply nested manifest", modelWith("nested-manifest", ModelFolder.MANIFEST,
                "[".repeat(100_000).getBytes(StandardCharsets.UTF_8)));
        MODELS.put("newer version", modelWith("newer", ModelFolder.MANIFEST, Files.readString(
                model.resolve(ModelFolder.MANIFEST)).replace("\"version\": 1", "\"version\": 2").getBytes(StandardCharsets.UTF_8)));
        MODELS.put("binary vocabulary", modelWith("binary-vocab", ModelFolder.VOCABULARY, random));
        MODELS.put("binary parameters", modelWith("binary-params", ModelFolder.PARAMETERS, random));
        MODELS.put("truncated parameters", modelWith("cut-params", ModelFolder.PARAMETERS,
                java.util.Arrays.copyOf(Files.readAllBytes(model.resolve(ModelFolder.PARAMETERS)), 500)));
        Path noParams = copyModel("no-params");
        Files.delete(noParams.resolve(ModelFolder.PARAMETERS));
        MODELS.put("parameters missing", noParams);
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static Path copyModel(String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        try (var files = Files.list(model)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    private static Path modelWith(String name, String file, byte[] content) throws IOException {
        Path copy = copyModel(name);
        Files.write(copy.resolve(file), content);
        return copy;
    }

    /** One run: the exit status is one of {@code allowed}, stderr is one line, no stack trace. */
    static CliTest.Run assertOneLineFailure(String what, List<Integer> allowed, String... args) {
        CliTest.Run run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> keel(args), what);
        runs++;
        String err = run.err().strip();
        assertTrue(allowed.contains(run.status()), () -> what + ": exit status " + run.status() + "; stderr: " + err);
        assertEquals(1, err.lines().count(), () -> what + ": not one line: " + err);
        assertTrue(err.length() <= 1200, () -> what + ": a " + err.length() + "-character message");
        assertFalse(err.contains("\tat "), () -> what + ": a stack trace: " + err);
        assertFalse(err.contains("Exception") || err.contains("Error:"), () -> what + ": an unanticipated error: " + err);
        assertTrue(err.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t'),
                () -> what + ": raw control characters in the message");
        return run;
    }

    private static final List<Integer> RUNTIME = List.of(1);
    private static final List<Integer> EITHER = List.of(1, 2);

    @Test
    void everyDataFileSlotGivesOneLine() {
        for (Map.Entry<String, Path> f : FILES.entrySet()) {
            String bad = f.getValue().toString();
            String what = f.getKey();
            assertOneLineFailure("train --train " + what, RUNTIME,
                    tiny("train", "--train", bad, "--loss", "ce", "--model", dir.resolve("m-out").toString()));
            assertOneLineFailure("train --valid " + what, RUNTIME, tiny("train", "--train", goodTrain.toString(),
                    "--valid", bad, "--loss", "ce", "--model", dir.resolve("m-out").toString()));
            CliTest.Run eval = assertOneLineFailure("eval --data " + what, RUNTIME, "eval", "--model", model.toString(),
                    "--data", bad);
            if (what.startsWith("binary .csv") || what.equals("UTF-16")) {
                assertFalse(eval.err().contains("--skip-bad-rows"), "a header problem cannot be skipped: " + eval.err());
            }
            assertOneLineFailure("compare --train " + what, RUNTIME, tiny("compare", "--train", bad, "--test",
                    goodTest.toString(), "--seeds", "1", "--multiclass", "none", "--out", dir.resolve("c-out").toString()));
            assertOneLineFailure("compare --test " + what, RUNTIME, tiny("compare", "--train", goodTrain.toString(), "--test",
                    bad, "--seeds", "1", "--multiclass", "none", "--out", dir.resolve("c-out").toString()));
            assertOneLineFailure("compare --multiclass " + what, RUNTIME, tiny("compare", "--train", goodTrain.toString(),
                    "--test", goodTest.toString(), "--losses", "ce,focal", "--seeds", "1", "--multiclass", bad,
                    "--out", dir.resolve("c-out").toString()));
            if (!(bad.endsWith(".txt") && what.startsWith("5 MB"))) {
                // (a 5 MB line of text is fine input for predict: checked below)
                assertOneLineFailure("predict --data " + what, RUNTIME, "predict", "--model", model.toString(), "--data", bad);
            }
        }
        assertFalse(Files.exists(dir.resolve("m-out")), "nothing written");
        assertFalse(Files.exists(dir.resolve("c-out")), "nothing written");
    }

    @Test
    void predictTakesAnyTextButNotBinary() throws IOException {
        CliTest.Run huge = keel("predict", "--model", model.toString(), "--data", FILES.get("5 MB line .txt").toString());
        assertEquals(0, huge.status(), huge.err());
        assertEquals(1, huge.out().lines().count(), "one prediction for the one line");
        // An empty file of a name the data reader does not know is no texts, as empty stdin is
        // (an empty .txt is an error: the reader reads it, as for training).
        CliTest.Run empty = keel("predict", "--model", model.toString(), "--data", write("empty.lines", new byte[0]).toString());
        assertEquals(0, empty.status(), empty.err());
        assertEquals("", empty.out());

        InputStream stdin = System.in;
        try {
            byte[] binary = Files.readAllBytes(FILES.get("binary .txt"));
            System.setIn(new ByteArrayInputStream(binary));
            CliTest.Run run = assertOneLineFailure("predict from binary stdin", RUNTIME, "predict", "--model", model.toString());
            assertTrue(run.err().contains("standard input line 1 is not UTF-8"), run.err());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void everyHostileModelFolderGivesOneLine() {
        for (Map.Entry<String, Path> m : MODELS.entrySet()) {
            String bad = m.getValue().toString();
            CliTest.Run eval = assertOneLineFailure("eval --model " + m.getKey(), RUNTIME, "eval", "--model", bad,
                    "--data", goodTest.toString());
            assertOneLineFailure("predict --model " + m.getKey(), RUNTIME, "predict", "--model", bad, "--data",
                    goodTest.toString());
            if (m.getKey().equals("newer version")) {
                assertTrue(eval.err().contains("written by a newer keel (model format version 2"), eval.err());
            }
        }
        // Output folders that cannot be: a data file, a path through a file, (as root, /proc is still refused).
        for (String out : List.of(goodTrain.toString(), goodTrain.resolve("sub").toString(), "/proc/keel-test")) {
            assertOneLineFailure("figures --out " + out, RUNTIME, "figures", "--out", out);
            assertOneLineFailure("compare --out " + out, RUNTIME, tiny("compare", "--train", goodTrain.toString(), "--test",
                    goodTest.toString(), "--losses", "ce", "--seeds", "1", "--multiclass", "none", "--out", out));
            assertOneLineFailure("train --model " + out, RUNTIME, tiny("train", "--train", goodTrain.toString(), "--loss",
                    "ce", "--model", out));
        }
        // Training over a folder that is not a model is refused before any work.
        assertOneLineFailure("train --model a data file", RUNTIME, tiny("train", "--train", goodTrain.toString(), "--loss", "ce",
                "--model", goodTrain.toString()));
    }

    @Test
    void nonsenseOptionsAreUsageErrors() {
        String train = goodTrain.toString();
        String out = dir.resolve("n-out").toString();
        List<String[]> nonsense = new ArrayList<>();
        for (String[] option : new String[][] {{"--epochs", "abc"}, {"--epochs", "-3"}, {"--epochs", "99999999999"},
            {"--dim", "0"}, {"--dim", "1e9"}, {"--hidden", "-1"}, {"--lr", "NaN"}, {"--lr", "Infinity"}, {"--lr", "-1"},
            {"--lr", "0"}, {"--batch", "0"}, {"--buckets", "-5"}, {"--buckets", "2147483647"}, {"--ngrams", "0"},
            {"--ngrams", "99"}, {"--weight-decay", "1"}, {"--weight-decay", "NaN"}, {"--lr-schedule", "cosine"},
            {"--seed", "x"}, {"--threads", "0"}, {"--threads", "100000"}, {"--lr", "10", "--weight-decay", "0.5"}}) {
            nonsense.add(concat(new String[] {"train", "--train", train, "--loss", "ce", "--model", out}, option));
            nonsense.add(concat(new String[] {"compare", "--train", train, "--test", train, "--out", out}, option));
        }
        for (String[] loss : new String[][] {{"--loss", "hinge"}, {"--loss", ""}, {"--loss", "gated", "--margin", "NaN"},
            {"--loss", "gated", "--margin", "1"}, {"--loss", "soft_gated", "--sharpness", "-1"},
            {"--loss", "focal", "--gamma", "Infinity"}, {"--loss", "focal", "--alpha", "0.5,NaN"},
            {"--loss", "focal", "--alpha", "0.5"}, {"--loss", "weighted_ce", "--class-weights", "1,Infinity"},
            {"--loss", "weighted_ce", "--class-weights", "-1,1"}, {"--loss", "weighted_ce", "--class-weights", "0,0"}, {"--loss", "ce", "--margin", "0.7"}}) {
            nonsense.add(concat(new String[] {"train", "--train", train, "--model", out}, loss));
        }
        for (String[] option : new String[][] {{"--token-weights", "bm25"}, {"--bag-norm", "max"},
            {"--selection", "cv:1"}, {"--selection", "holdout:1"}, {"--decision", "prior:0"}, {"--decision", "best"},
            {"--decision", "tuned"}, {"--decision-metric", "f1:nope", "--selection", "cv:2"}, {"--sampling", "random"},
            {"--dropout", "1"}, {"--reweight-from", "0"}, {"--reweight-from", "99"}, {"--logit-adjust", "-1"},
            {"--autotune", "--autotune-duration", "0"}, {"--autotune", "--autotune-metric", "f1:nope"},
            {"--loss", "weighted_ce:b=1"}, {"--loss", "weighted_ce:b=0.9:w=1/2"}}) {
            nonsense.add(concat(new String[] {"train", "--train", train, "--model", out}, option));
        }
        nonsense.add(new String[] {"compare", "--train", train, "--test", train, "--out", out, "--decision", "tuned"});
        for (String[] compare : new String[][] {{"--losses", ""}, {"--losses", ",,,"}, {"--losses", "ce,ce"},
            {"--losses", "focal:g="}, {"--losses", "gated:m=0.7:m=0.8"}, {"--seeds", "0"}, {"--seeds", "-1"},
            {"--valid-fraction", "1"}, {"--valid-fraction", "NaN"}, {"--ratios", "0.5"}, {"--ratios", "NaN"},
            {"--ratios", "x"}, {"--sample", "great"}, {"--sample", "great=-1,other=5"}, {"--sample", "=,="}}) {
            nonsense.add(concat(new String[] {"compare", "--train", train, "--test", train, "--out", out}, compare));
        }
        nonsense.add(new String[] {"walkthrough", "--steps", "3"});
        nonsense.add(new String[] {"walkthrough", "extra"});
        nonsense.add(new String[] {"figures", "--out"});
        nonsense.add(new String[] {"figures", "--width", "10"});
        nonsense.add(new String[] {"bogus"});
        nonsense.add(new String[] {"train"});
        nonsense.add(new String[] {"eval", "--model"});
        nonsense.add(new String[] {"predict", "--json", "--json", "--model", model.toString()});
        nonsense.add(new String[] {"--debugg"});
        nonsense.add(new String[] {"train", "--train", train, "--train", train, "--loss", "ce", "--model", out});
        nonsense.add(new String[] {"eval", "--model", model.toString(), "--data", goodTest.toString(), "--text-column", ""});
        nonsense.add(new String[] {"train", "--train", train, "--text-column", "label", "--loss", "ce", "--model", out});
        nonsense.add(new String[] {"eval", "--model", model.toString(), "--data", goodTest.toString(), "--label-column", "text"});
        nonsense.add(new String[] {"compare", "--train", train, "--test", train, "--text-column", "x", "--label-column", "x",
            "--out", out});
        for (String[] args : nonsense) {
            assertOneLineFailure(String.join(" ", args), EITHER, args);
        }
        assertFalse(Files.exists(Path.of(out)), "nothing written");
    }

    @Test
    void debugPrintsTheStackTrace() {
        CliTest.Run run = keel("eval", "--model", MODELS.get("binary parameters").toString(), "--data", goodTest.toString(),
                "--debug");
        assertEquals(1, run.status());
        assertTrue(run.err().contains("\tat "), "--debug shows where: " + run.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.keel.examples.cli;

import dev.keel.classifier.TextClassifier;
import dev.keel.classifier.InputException;
import dev.keel.text.TextFiles;
import dev.keel.text.TextFormatException;
import dev.keel.text.data.LabeledTextReader;
import dev.keel.nn.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predicts the label of each text: one text per line from stdin (or --data F), "
                + "one line out per text: the label, a tab, its probability (or JSON lines with --json).",
                "A --data file in a format train reads (optionally .gz) is read as train reads it, without labels: "
                + ".csv or .tsv by its --text-column alone (a label column may be there and is ignored), "
                + ".txt, .ft or .fasttext as fastText lines whose __label__ words, if any, are ignored; "
                + "a bad row (blank line, empty text, wrong field count) stops with its file and line unless "
                + "--skip-bad-rows leaves it out. Any other file, like stdin, has one text per line, every line predicted."})
public final class PredictCommand implements Callable<Integer> {

    private static final int CHUNK = 4096;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption modelOption;

    @Option(names = "--data", paramLabel = "F", description = "Read texts from this file instead of stdin.")
    Path dataFile;

    @Mixin
    ColumnOptions columns;

    @Option(names = "--json", description = "Write JSON lines: {\"label\": ..., \"probability\": ..., \"probabilities\": {...}}.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        TextClassifier model = modelOption.load();
        PrintWriter out = spec.commandLine().getOut();
        if (dataFile != null) {
            predict(model, readTexts(dataFile), out);
        } else {
            // Strict decoding, as for files: bytes that are not UTF-8 stop with a message, never become U+FFFD.
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
            List<String> chunk = new java.util.ArrayList<>();
            long lines = 0;
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines++;
                    chunk.add(line);
                    if (chunk.size() == CHUNK) {
                        predict(model, chunk, out);
                        chunk.clear();
                    }
                }
            } catch (CharacterCodingException e) {
                out.flush();
                throw new InputException("standard input line " + (lines + 1) + " is not UTF-8 text", e);
            }
            predict(model, chunk, out);
        }
        out.flush();
        return 0;
    }

    /**
     * The texts of {@code file}: by the data reader when its name gives a format the reader knows
     * (the label, if any, not read), else one text per line, as from stdin.
     */
    private List<String> readTexts(Path file) throws IOException {
        if (readerFormat(file)) {
            return columns.readTexts(file);
        }
        if (java.nio.file.Files.isDirectory(file)) {
            throw new InputException(file + " is a folder, not a file of texts");
        }
        try {
            // strict UTF-8 naming the line, gzip, BOM, any line ends, and the size limit of data files
            return TextFiles.readStrict(file).lines().toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException("no such file: " + file, e);
        } catch (TextFormatException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    /** Whether the file name gives a format of the data reader (CSV, TSV, fastText; .gz or not). */
    private static boolean readerFormat(Path file) {
        if (file.getFileName() == null) {
            return false;
        }
        try {
            LabeledTextReader.formatOf(file.getFileName().toString());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void predict(TextClassifier model, List<String> texts, PrintWriter out) {
        if (texts.isEmpty()) {
            return;
        }
        int classes = model.labels().size();
        float[] logits = model.logits(texts);
        int[] best = model.decide(logits, texts.size());
        double[][] probabilities = TextClassifier.probabilities(logits, texts.size(), classes);
        for (int r = 0; r < texts.size(); r++) {
            double p = probabilities[r][best[r]];
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("label", model.labels().get(best[r]));
                line.put("probability", p);
                Map<String, Object> all = new LinkedHashMap<>();
                for (int c = 0; c < classes; c++) {
                    all.put(model.labels().get(c), probabilities[r][c]);
                }
                line.put("probabilities", all);
                out.print(Json.writeLine(line));
                out.println();
            } else {
                out.printf(Locale.ROOT, "%s\t%.4f%n", model.labels().get(best[r]), p);
            }
        }
    }
}

package dev.keel.examples.cli;

import dev.keel.examples.ModelFolder;
import dev.keel.examples.Predictor;
import dev.keel.examples.Data;
import dev.keel.examples.InputException;
import dev.keel.text.TextFiles;
import dev.keel.text.TextFormatException;
import dev.keel.examples.metrics.Metrics;
import dev.keel.examples.report.Json;
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
                "A .csv or .tsv --data file (optionally .gz) is read by its --text-column; it needs a --label-column "
                + "too (its values are ignored: eval uses them). Any other file has one text per line."})
public final class PredictCommand implements Callable<Integer> {

    private static final int CHUNK = 4096;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model folder made by 'keel train'.")
    Path modelDir;

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
        Predictor model = new Predictor(ModelFolder.load(modelDir));
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

    private List<String> readTexts(Path file) throws IOException {
        if (file.getFileName() != null
                && file.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(csv|tsv|tab)(\\.gz)?")) {
            return Data.read(file, columns.text(ColumnOptions.DEFAULT_TEXT), columns.label(ColumnOptions.DEFAULT_LABEL),
                    false).texts();
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

    private void predict(Predictor predictor, List<String> texts, PrintWriter out) {
        if (texts.isEmpty()) {
            return;
        }
        ModelFolder.TrainedModel model = predictor.model();
        int classes = predictor.classes();
        float[] logits = predictor.logits(texts);
        int[] best = Metrics.argmax(logits, texts.size(), classes);
        for (int r = 0; r < texts.size(); r++) {
            double p = Math.exp(Metrics.logSoftmax(logits, r, classes, best[r]));
            if (json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("label", model.labels().get(best[r]));
                line.put("probability", p);
                Map<String, Object> all = new LinkedHashMap<>();
                for (int c = 0; c < classes; c++) {
                    all.put(model.labels().get(c), Math.exp(Metrics.logSoftmax(logits, r, classes, c)));
                }
                line.put("probabilities", all);
                out.print(Json.write(line).replaceAll("\\s*\\n\\s*", " ").strip());
                out.println();
            } else {
                out.printf(Locale.ROOT, "%s\t%.4f%n", model.labels().get(best[r]), p);
            }
        }
    }
}

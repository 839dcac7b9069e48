package dev.keel.examples.cli;

import dev.keel.examples.Engine;
import dev.keel.examples.ModelFolder;
import dev.keel.examples.TrainingRun;
import dev.keel.examples.engine.FeatureBags;
import dev.keel.examples.Data;
import dev.keel.examples.InputException;
import dev.keel.text.data.LabeledTextReader;
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
        ModelFolder.TrainedModel model = ModelFolder.load(modelDir);
        PrintWriter out = spec.commandLine().getOut();
        if (dataFile != null) {
            predict(model, readTexts(dataFile), out);
        } else {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            List<String> chunk = new java.util.ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                chunk.add(line);
                if (chunk.size() == CHUNK) {
                    predict(model, chunk, out);
                    chunk.clear();
                }
            }
            predict(model, chunk, out);
        }
        out.flush();
        return 0;
    }

    private List<String> readTexts(Path file) throws IOException {
        if (LabeledTextReader.formatOf(file.getFileName().toString()) != LabeledTextReader.Format.FASTTEXT
                && file.getFileName().toString().matches(".*\\.(csv|tsv|tab)(\\.gz)?")) {
            return Data.read(file, columns.text(ColumnOptions.DEFAULT_TEXT), columns.label(ColumnOptions.DEFAULT_LABEL),
                    false).texts();
        }
        try {
            return java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException("no such file: " + file, e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InputException(file + " is not UTF-8 text", e);
        }
    }

    private void predict(ModelFolder.TrainedModel model, List<String> texts, PrintWriter out) {
        if (texts.isEmpty()) {
            return;
        }
        int classes = model.labels().size();
        FeatureBags bags = Engine.bags(model.featurizer(), texts);
        float[] logits = new float[texts.size() * classes];
        TrainingRun.logits(model.classifier(), bags, logits);
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

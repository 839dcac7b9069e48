package dev.keel.examples.cli;

import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.classifier.TextClassifier;
import dev.keel.nn.io.Json;
import dev.keel.text.data.LabeledDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluates a model on labeled data: accuracy, macro-F1, per-class precision / recall / F1, "
                + "minority-class PR-AUC, NLL and the confusion matrix.")
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption modelOption;

    @Option(names = "--data", required = true, paramLabel = "F", description = "Labeled file (CSV, TSV; .gz allowed).")
    Path dataFile;

    @Mixin
    ColumnOptions columns;

    @Option(names = "--json", description = "Print the metrics as JSON.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        TextClassifier model = modelOption.load();
        LabeledDataset data = columns.readLabeled(dataFile, model.labels());
        Evaluation e = model.evaluate(data);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(Json.writePretty(toJson(e, model.labels())));
        } else {
            print(out, e, model.labels());
        }
        out.flush();
        return 0;
    }

    public static Map<String, Object> toJson(Evaluation e, List<String> labels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", e.rows());
        m.put("accuracy", e.accuracy());
        m.put("macro_f1", e.macroF1());
        m.put("minority", labels.get(e.minority()));
        m.put("minority_recall", e.minorityRecall());
        m.put("minority_pr_auc", e.minorityPrAuc());
        m.put("nll", e.nll());
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            Map<String, Object> pc = new LinkedHashMap<>();
            pc.put("precision", e.precision()[c]);
            pc.put("recall", e.recall()[c]);
            pc.put("f1", e.f1()[c]);
            int support = 0;
            for (int v : e.confusion()[c]) {
                support += v;
            }
            pc.put("support", support);
            perClass.put(labels.get(c), pc);
        }
        m.put("per_class", perClass);
        m.put("labels", labels);
        m.put("confusion", List.of(e.confusion()));
        return m;
    }

    static void print(PrintWriter out, Evaluation e, List<String> labels) {
        out.printf(Locale.ROOT, "rows             %d%n", e.rows());
        out.printf(Locale.ROOT, "accuracy         %.4f%n", e.accuracy());
        out.printf(Locale.ROOT, "macro-F1         %.4f%n", e.macroF1());
        out.printf(Locale.ROOT, "minority PR-AUC  %.4f   (class '%s', average precision)%n", e.minorityPrAuc(),
                labels.get(e.minority()));
        out.printf(Locale.ROOT, "NLL              %.4f%n%n", e.nll());
        int width = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(5) + 2);
        out.printf(Locale.ROOT, "%-" + width + "s %9s %9s %9s %8s%n", "class", "precision", "recall", "F1", "support");
        for (int c = 0; c < labels.size(); c++) {
            int support = 0;
            for (int v : e.confusion()[c]) {
                support += v;
            }
            out.printf(Locale.ROOT, "%-" + width + "s %9.4f %9.4f %9.4f %8d%n", labels.get(c), e.precision()[c],
                    e.recall()[c], e.f1()[c], support);
        }
        out.printf(Locale.ROOT, "%nconfusion (rows: true class, columns: predicted)%n%-" + width + "s", "");
        for (String label : labels) {
            out.printf(Locale.ROOT, " %" + Math.max(6, label.length()) + "s", label);
        }
        out.println();
        for (int c = 0; c < labels.size(); c++) {
            out.printf(Locale.ROOT, "%-" + width + "s", labels.get(c));
            for (int j = 0; j < labels.size(); j++) {
                out.printf(Locale.ROOT, " %" + Math.max(6, labels.get(j).length()) + "d", e.confusion()[c][j]);
            }
            out.println();
        }
    }
}

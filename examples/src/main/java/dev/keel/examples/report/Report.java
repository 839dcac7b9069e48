package dev.keel.examples.report;

import dev.keel.nn.io.Json;
import dev.keel.examples.Experiment;
import dev.keel.examples.Experiment.Arm;
import dev.keel.examples.Experiment.LossRuns;
import dev.keel.classifier.LossSpec;
import dev.keel.classifier.TrainingRun;
import dev.keel.classifier.MeanStd;
import dev.keel.classifier.Metrics.Evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Writes what {@code keel compare} produces into a folder: {@code report.json}, {@code report.md}
 * and the PNG figures.
 */
public final class Report {

    public static final String JSON = "report.json";
    public static final String MARKDOWN = "report.md";
    public static final String FIGURE2 = "figure2_accuracy_loss.png";
    public static final String VALID_NLL = "validation_nll.png";
    public static final String GATED_SHARE = "gated_share.png";
    public static final String RATIOS = "ratios.png";

    /** The test metrics reported per loss, with how to read each from an evaluation. */
    static final Map<String, ToDoubleFunction<Evaluation>> TEST_METRICS = new LinkedHashMap<>();

    static {
        TEST_METRICS.put("accuracy", Evaluation::accuracy);
        TEST_METRICS.put("macro_f1", Evaluation::macroF1);
        TEST_METRICS.put("minority_recall", Evaluation::minorityRecall);
        TEST_METRICS.put("minority_pr_auc", Evaluation::minorityPrAuc);
        TEST_METRICS.put("nll", Evaluation::nll);
    }

    /** Facts about the run that the report states (file names, settings, the command). */
    public record Context(String command, Map<String, Object> data, Map<String, Object> settings,
                          String multiclassNote) {
    }

    private Report() {
    }

    public static void write(Path folder, Experiment.Outcome outcome, Context context) throws IOException {
        Map<String, Object> json = toJson(outcome, context);
        List<Claims.Verdict> verdicts = Claims.judge(outcome, context.multiclassNote(),
                String.valueOf(context.settings().get("lr_schedule")));
        json.put("claims", Claims.toJson(verdicts));
        Files.writeString(folder.resolve(JSON), Json.writePretty(json), StandardCharsets.UTF_8);
        List<String> figures = Figures.write(folder, outcome);
        Files.writeString(folder.resolve(MARKDOWN), Markdown.render(outcome, context, verdicts, figures),
                StandardCharsets.UTF_8);
    }

    static Map<String, Object> toJson(Experiment.Outcome outcome, Context context) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("keel_version", dev.keel.examples.KeelCli.VERSION);
        root.put("kernels", dev.keel.core.kernel.Kernels.describe());
        root.put("command", context.command());
        root.put("seconds", outcome.seconds());
        root.put("data", context.data());
        root.put("counts", counts(outcome.main()));
        root.put("settings", context.settings());
        root.put("epoch_selection", "best validation macro-F1 (ties: lower validation NLL); test metrics at that epoch");
        root.put("results", results(outcome.main(), true));
        List<Object> ratios = new ArrayList<>();
        for (Arm arm : outcome.ratios()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ratio", arm.ratio());
            r.put("counts", counts(arm));
            r.put("results", results(arm, false));
            ratios.add(r);
        }
        root.put("ratios", ratios);
        if (outcome.multiclass() != null) {
            Map<String, Object> mc = new LinkedHashMap<>();
            mc.put("counts", counts(outcome.multiclass()));
            mc.put("results", results(outcome.multiclass(), false));
            root.put("multiclass", mc);
        } else {
            root.put("multiclass", null);
        }
        return root;
    }

    static Map<String, Object> counts(Arm arm) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("labels", arm.labels());
        c.put("minority", arm.labels().get(arm.minority()));
        c.put("train", byLabel(arm.labels(), arm.trainCounts()));
        c.put("validation", byLabel(arm.labels(), arm.validCounts()));
        c.put("test", byLabel(arm.labels(), arm.testCounts()));
        return c;
    }

    private static Map<String, Object> byLabel(List<String> labels, int[] counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            m.put(labels.get(c), counts[c]);
        }
        return m;
    }

    static List<Object> results(Arm arm, boolean curves) {
        List<Object> list = new ArrayList<>();
        for (LossRuns lr : arm.results()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("loss", lr.loss().name());
            r.put("kind", lr.loss().kind().specName());
            r.put("params", lr.loss().params());
            r.put("seeds", lr.runs().size());
            Map<String, Object> test = new LinkedHashMap<>();
            TEST_METRICS.forEach((name, metric) -> test.put(name, meanStd(lr.runs(),
                    run -> metric.applyAsDouble(run.testAtSelected()))));
            r.put("test", test);
            r.put("selected_epoch", meanStd(lr.runs(), TrainingRun.Result::selectedEpoch));
            r.put("train_seconds", meanStd(lr.runs(), TrainingRun.Result::trainSeconds));
            r.put("tokens_per_second", meanStd(lr.runs(), TrainingRun.Result::tokensPerSecond));
            if (curves) {
                r.put("curves", curves(lr, arm.labels()));
            }
            List<Object> perSeed = new ArrayList<>();
            for (TrainingRun.Result run : lr.runs()) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("selected_epoch", run.selectedEpoch());
                Map<String, Object> t = new LinkedHashMap<>();
                TEST_METRICS.forEach((name, metric) -> t.put(name, metric.applyAsDouble(run.testAtSelected())));
                s.put("test", t);
                perSeed.add(s);
            }
            r.put("per_seed", perSeed);
            list.add(r);
        }
        return list;
    }

    static Map<String, Object> curves(LossRuns lr, List<String> labels) {
        Map<String, Object> c = new LinkedHashMap<>();
        int epochs = lr.runs().get(0).trainObjective().length;
        int[] epochNumbers = new int[epochs];
        for (int e = 0; e < epochs; e++) {
            epochNumbers[e] = e + 1;
        }
        c.put("epoch", epochNumbers);
        c.put("train_objective", curve(lr.runs(), TrainingRun.Result::trainObjective));
        c.put("validation_nll", curve(lr.runs(), TrainingRun.Result::validNll));
        c.put("validation_accuracy", curve(lr.runs(), TrainingRun.Result::validAccuracy));
        c.put("validation_macro_f1", curve(lr.runs(), TrainingRun.Result::validMacroF1));
        c.put("gated_share", curve(lr.runs(), TrainingRun.Result::gatedShare));
        ClassViews.putCurves(c, lr, labels);
        return c;
    }

    /** {@code {"mean": [...], "std": [...]}} per epoch over runs. */
    static Map<String, Object> curve(List<TrainingRun.Result> runs, Function<TrainingRun.Result, double[]> values) {
        double[][] mean = meanStdCurve(runs, values);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean[0]);
        m.put("std", mean[1]);
        return m;
    }

    /** {mean[], std[]} per epoch over runs. */
    public static double[][] meanStdCurve(List<TrainingRun.Result> runs, Function<TrainingRun.Result, double[]> values) {
        int epochs = values.apply(runs.get(0)).length;
        double[] mean = new double[epochs];
        double[] std = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            double[] at = new double[runs.size()];
            for (int r = 0; r < runs.size(); r++) {
                at[r] = values.apply(runs.get(r))[e];
            }
            MeanStd ms = MeanStd.of(at);
            mean[e] = ms.mean();
            std[e] = ms.std();
        }
        return new double[][] {mean, std};
    }

    static Map<String, Object> meanStd(List<TrainingRun.Result> runs, ToDoubleFunction<TrainingRun.Result> metric) {
        MeanStd ms = stats(runs, metric);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", ms.mean());
        m.put("std", ms.std());
        return m;
    }

    public static MeanStd stats(List<TrainingRun.Result> runs, ToDoubleFunction<TrainingRun.Result> metric) {
        return MeanStd.of(runs.stream().mapToDouble(metric).toArray());
    }

    static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String pm(MeanStd ms) {
        return Double.isNaN(ms.mean()) ? "n/a" : String.format(Locale.ROOT, "%.4f ± %.4f", ms.mean(), ms.std());
    }

    /** The runs of the first loss of this kind in the arm, or null. */
    static LossRuns first(Arm arm, String kind) {
        return arm.results().stream().filter(r -> r.loss().kind().specName().equals(kind)).findFirst().orElse(null);
    }

    static String name(LossSpec spec) {
        return spec.name();
    }
}

package dev.keel.examples.report;

import dev.keel.examples.Experiment;
import dev.keel.examples.Experiment.Arm;
import dev.keel.examples.Experiment.LossRuns;
import dev.keel.classifier.TrainingRun;
import dev.keel.classifier.MeanStd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The PNG figures of a compare run. */
final class Figures {

    private Figures() {
    }

    /** Writes the figures and returns their file names. */
    static List<String> write(Path folder, Experiment.Outcome outcome) throws IOException {
        List<String> written = new ArrayList<>();
        Arm main = outcome.main();
        Charts.write(folder.resolve(Report.FIGURE2), "Accuracy and loss per epoch (mean ± std over seeds)", "epoch",
                List.of(new Charts.Panel("validation accuracy", lines(main, TrainingRun.Result::validAccuracy)),
                        new Charts.Panel("training objective", lines(main, TrainingRun.Result::trainObjective))),
                900, 760);
        written.add(Report.FIGURE2);
        Charts.write(folder.resolve(Report.VALID_NLL), "Validation NLL per epoch, plain cross entropy for every loss",
                "epoch", List.of(new Charts.Panel("validation NLL (nats)", lines(main, TrainingRun.Result::validNll))),
                900, 480);
        written.add(Report.VALID_NLL);
        List<Charts.Line> gated = new ArrayList<>();
        for (Charts.Line line : lines(main, TrainingRun.Result::gatedShare)) {
            if (java.util.Arrays.stream(line.mean()).anyMatch(Double::isFinite)) {
                gated.add(line);
            }
        }
        if (!gated.isEmpty()) {
            Charts.write(folder.resolve(Report.GATED_SHARE), "Share of training rows gated out (p_t > m) per epoch",
                    "epoch", List.of(new Charts.Panel("share gated out", gated)), 900, 420);
            written.add(Report.GATED_SHARE);
        }
        written.addAll(ClassViews.writeFigures(folder, main));
        if (!outcome.ratios().isEmpty()) {
            Charts.write(folder.resolve(Report.RATIOS), "Test metrics against imbalance ratio (majority : minority)",
                    "imbalance ratio", List.of(
                            new Charts.Panel("macro-F1", ratioLines(outcome.ratios(), r -> r.testAtSelected().macroF1())),
                            new Charts.Panel("minority recall",
                                    ratioLines(outcome.ratios(), r -> r.testAtSelected().minorityRecall()))),
                    900, 760);
            written.add(Report.RATIOS);
        }
        return written;
    }

    private static List<Charts.Line> lines(Arm arm, Function<TrainingRun.Result, double[]> values) {
        List<Charts.Line> lines = new ArrayList<>();
        for (LossRuns lr : arm.results()) {
            double[][] ms = Report.meanStdCurve(lr.runs(), values);
            double[] x = new double[ms[0].length];
            for (int e = 0; e < x.length; e++) {
                x[e] = e + 1;
            }
            lines.add(new Charts.Line(lr.loss().name(), x, ms[0], ms[1]));
        }
        return lines;
    }

    private static List<Charts.Line> ratioLines(List<Arm> arms, ToDoubleFunction<TrainingRun.Result> metric) {
        List<Charts.Line> lines = new ArrayList<>();
        int losses = arms.get(0).results().size();
        for (int l = 0; l < losses; l++) {
            double[] x = new double[arms.size()];
            double[] mean = new double[arms.size()];
            double[] std = new double[arms.size()];
            for (int a = 0; a < arms.size(); a++) {
                MeanStd ms = Report.stats(arms.get(a).results().get(l).runs(), metric);
                x[a] = arms.get(a).ratio();
                mean[a] = ms.mean();
                std[a] = ms.std();
            }
            lines.add(new Charts.Line(arms.get(0).results().get(l).loss().name(), x, mean, std));
        }
        return lines;
    }
}

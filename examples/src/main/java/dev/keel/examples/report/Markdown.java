package dev.keel.examples.report;

import dev.keel.examples.Experiment;
import dev.keel.examples.Experiment.Arm;
import dev.keel.examples.Experiment.LossRuns;
import dev.keel.classifier.TrainingRun;
import dev.keel.classifier.Metrics.Evaluation;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** report.md: tables, figures and the verdicts, for a person to read. */
final class Markdown {

    private Markdown() {
    }

    static String render(Experiment.Outcome outcome, Report.Context context, List<Claims.Verdict> verdicts,
                         List<String> figures) {
        StringBuilder md = new StringBuilder();
        Arm main = outcome.main();
        md.append("# keel compare\n\n");
        md.append("`").append(context.command()).append("`  \n");
        md.append(String.format(Locale.ROOT, "%s; %s; %.0f s in all.%n%n", dev.keel.core.kernel.Kernels.describe(),
                "keel " + dev.keel.examples.KeelCli.VERSION, outcome.seconds()));

        md.append("## Data\n\n");
        context.data().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');
        counts(md, main);

        int seeds = main.results().get(0).runs().size();
        md.append("\n## Test results\n\n");
        md.append("Mean ± standard deviation over ").append(seeds).append(" seeds, each measured at the epoch with the best ")
                .append("validation macro-F1 (never chosen on test). Minority class: `")
                .append(main.labels().get(main.minority())).append("`.\n\n");
        resultsTable(md, main, true);

        md.append("\n## The report's claims, as this run measured them\n\n");
        for (Claims.Verdict v : verdicts) {
            md.append(v.id()).append(". ").append(v.claim()).append("  \n   **").append(v.status()).append("**: ")
                    .append(v.detail()).append("\n");
        }
        md.append("\nRules: accuracies agree when they differ by at most 1 point or two standard errors of the ")
                .append("difference, whichever is larger; a validation NLL curve turns upward when its last epoch is ")
                .append("more than 0.005 nats or 2 % above its lowest point; focal loss helps when its macro-F1 gain ")
                .append("is above two standard errors (partly, when only the rarest class's recall gains that much).\n");

        md.append("\n## Figures\n\n");
        for (String figure : figures) {
            md.append("![").append(figure).append("](").append(figure).append(")\n\n");
        }
        md.append("The training objective is each loss's own value (a gated loss is 0 on every row it gates out), so ")
                .append("its curves are not comparable across losses; the validation NLL is plain cross entropy for ")
                .append("every loss, the one currency they can be compared in.\n");

        ClassViews.markdown(md, main);

        if (!outcome.ratios().isEmpty()) {
            md.append("\n## Imbalance ratios\n\n");
            md.append("Majority class count kept, the other classes cut to majority / ratio; test macro-F1 and ")
                    .append("minority recall, mean ± std.\n\n| ratio | train rows |");
            for (LossRuns lr : outcome.ratios().get(0).results()) {
                md.append(" ").append(lr.loss().name()).append(" macro-F1 | ").append(lr.loss().name())
                        .append(" minority recall |");
            }
            md.append("\n|---|---|");
            md.append("---|---|".repeat(outcome.ratios().get(0).results().size()));
            md.append('\n');
            for (Arm arm : outcome.ratios()) {
                md.append("| ").append(dev.keel.classifier.LossSpec.format(arm.ratio())).append(" | ")
                        .append(java.util.Arrays.toString(arm.trainCounts())).append(" |");
                for (LossRuns lr : arm.results()) {
                    md.append(' ').append(Report.pm(Report.stats(lr.runs(), r -> r.testAtSelected().macroF1())))
                            .append(" | ").append(Report.pm(Report.stats(lr.runs(),
                                    r -> r.testAtSelected().minorityRecall()))).append(" |");
                }
                md.append('\n');
            }
        }

        md.append("\n## Multi-class (claim 3)\n\n");
        if (outcome.multiclass() != null) {
            Arm mc = outcome.multiclass();
            if (context.multiclassNote() != null) {
                md.append(context.multiclassNote()).append("\n\n");
            }
            counts(md, mc);
            md.append('\n');
            resultsTable(md, mc, false);
        } else {
            md.append(context.multiclassNote() != null ? context.multiclassNote() : "Not run.").append('\n');
        }

        md.append("\n## Settings\n\n");
        for (Map.Entry<String, Object> e : context.settings().entrySet()) {
            md.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return md.toString();
    }

    private static void counts(StringBuilder md, Arm arm) {
        md.append("| rows | ").append(String.join(" | ", arm.labels())).append(" |\n|---|");
        md.append("---|".repeat(arm.labels().size())).append('\n');
        row(md, "train", arm.trainCounts());
        row(md, "validation", arm.validCounts());
        row(md, "test", arm.testCounts());
    }

    private static void row(StringBuilder md, String name, int[] counts) {
        md.append("| ").append(name).append(" |");
        for (int c : counts) {
            md.append(' ').append(c).append(" |");
        }
        md.append('\n');
    }

    private static void resultsTable(StringBuilder md, Arm arm, boolean timing) {
        md.append("| loss | accuracy | macro-F1 | minority recall | minority PR-AUC | NLL | epoch chosen |");
        md.append(timing ? " train s | tokens/s |\n|---|---|---|---|---|---|---|---|---|\n" : "\n|---|---|---|---|---|---|---|\n");
        for (LossRuns lr : arm.results()) {
            md.append("| `").append(lr.loss().name()).append("` |");
            for (ToDoubleFunction<Evaluation> metric : Report.TEST_METRICS.values()) {
                md.append(' ').append(Report.pm(Report.stats(lr.runs(), r -> metric.applyAsDouble(r.testAtSelected()))))
                        .append(" |");
            }
            md.append(String.format(Locale.ROOT, " %.1f |", Report.stats(lr.runs(), TrainingRun.Result::selectedEpoch).mean()));
            if (timing) {
                md.append(String.format(Locale.ROOT, " %.2f | %.0f |",
                        Report.stats(lr.runs(), TrainingRun.Result::trainSeconds).mean(),
                        Report.stats(lr.runs(), TrainingRun.Result::tokensPerSecond).mean()));
            }
            md.append('\n');
        }
    }
}

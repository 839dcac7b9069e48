package dev.keel.examples.report;

import dev.keel.examples.Experiment.Arm;
import dev.keel.examples.Experiment.LossRuns;
import dev.keel.classifier.LossSpec;
import dev.keel.classifier.TrainingRun;
import dev.keel.examples.figures.CurveCharts;
import dev.keel.examples.figures.LossCurves;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-class views of a compare run (issue 9): for every loss, epoch and class, the share of the
 * class's training rows whose gate was closed ({@code p_t > m}), open ({@code p_t < m}) or on the edge
 * ({@code p_t == m}), and the class's share of the squared gradient norm at the logits, as the loss
 * kernel's {@code GateStats} measured them in training. In report.json, in report.md and as two
 * figures with one panel per loss side by side.
 */
final class ClassViews {

    static final String GATE_FIGURE = "gate_share_by_class.png";
    static final String GRADIENT_FIGURE = "grad_share_by_class.png";
    private static final String[] STATES = {"closed", "open", "edge"};

    private ClassViews() {
    }

    /** Adds {@code gate_margin}, {@code gate_share_by_class} and {@code grad_norm_share_by_class} to a loss's curves. */
    static void putCurves(Map<String, Object> curves, LossRuns lr, List<String> labels) {
        Map<String, Object> gate = new LinkedHashMap<>();
        Map<String, Object> grad = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            int cls = c;
            Map<String, Object> states = new LinkedHashMap<>();
            for (int s = 0; s < STATES.length; s++) {
                int state = s;
                states.put(STATES[s], Report.curve(lr.runs(), run -> gateShare(run, cls, state)));
            }
            gate.put(labels.get(c), states);
            grad.put(labels.get(c), Report.curve(lr.runs(), run -> gradientShare(run, cls)));
        }
        curves.put("gate_margin", margin(lr));
        curves.put("gate_margin_is_reference", lr.loss().margin() == null);
        curves.put("gate_share_by_class", gate);
        curves.put("grad_norm_share_by_class", grad);
    }

    /** Per epoch: the share of class {@code cls}'s rows in gate state {@code state} (0 closed, 1 open, 2 edge). */
    static double[] gateShare(TrainingRun.Result run, int cls, int state) {
        double[] v = new double[run.gateShareByClass().length];
        for (int e = 0; e < v.length; e++) {
            v[e] = run.gateShareByClass()[e][cls][state];
        }
        return v;
    }

    /** Per epoch: class {@code cls}'s share of the squared gradient norm at the logits. */
    static double[] gradientShare(TrainingRun.Result run, int cls) {
        double[] v = new double[run.gradShareByClass().length];
        for (int e = 0; e < v.length; e++) {
            v[e] = run.gradShareByClass()[e][cls];
        }
        return v;
    }

    private static double margin(LossRuns lr) {
        return lr.runs().get(0).gateMargin();
    }

    /** Writes the two figures (one panel per loss, one line per class, mean over seeds); returns their names. */
    static List<String> writeFigures(Path folder, Arm arm) throws IOException {
        double[] epochs = epochs(arm);
        List<LossCurves.Panel> gatePanels = new ArrayList<>();
        List<LossCurves.Panel> gradientPanels = new ArrayList<>();
        for (LossRuns lr : arm.results()) {
            List<LossCurves.Curve> closed = new ArrayList<>();
            List<LossCurves.Curve> gradient = new ArrayList<>();
            for (int c = 0; c < arm.labels().size(); c++) {
                int cls = c;
                String label = arm.labels().get(c) + (c == arm.minority() ? " (minority)" : "");
                closed.add(new LossCurves.Curve(label, Report.meanStdCurve(lr.runs(), run -> gateShare(run, cls, 0))[0]));
                gradient.add(new LossCurves.Curve(label, Report.meanStdCurve(lr.runs(), run -> gradientShare(run, cls))[0]));
            }
            String title = lr.loss().name() + " (m = " + LossSpec.format(margin(lr))
                    + (lr.loss().margin() == null ? ", reference)" : ")");
            gatePanels.add(new LossCurves.Panel(title, closed));
            gradientPanels.add(new LossCurves.Panel(lr.loss().name(), gradient));
        }
        int width = Math.max(900, 420 * arm.results().size());
        CurveCharts.write(folder.resolve(GATE_FIGURE), "Share of each class's training rows with p_t > m (gate closed), "
                + "per epoch; for losses without a gate, m is a reference", "epoch", "share of the class's rows",
                new LossCurves.Sweep("epoch", epochs, gatePanels), 0, 1.3, null, false, width, 520);
        CurveCharts.write(folder.resolve(GRADIENT_FIGURE), "Each class's share of the squared gradient norm at the logits,"
                + " per epoch", "epoch", "share of |dL/dz|²", new LossCurves.Sweep("epoch", epochs, gradientPanels),
                0, 1.3, null, false, width, 520);
        return List.of(GATE_FIGURE, GRADIENT_FIGURE);
    }

    private static double[] epochs(Arm arm) {
        int n = arm.results().get(0).runs().get(0).gradShareByClass().length;
        double[] epochs = new double[n];
        for (int e = 0; e < n; e++) {
            epochs[e] = e + 1;
        }
        return epochs;
    }

    /** The report.md section: one table per loss, a row per epoch, closed / open / edge and gradient share per class. */
    static void markdown(StringBuilder md, Arm arm) {
        md.append("\n## Per class: where the gate closes and where the gradient goes\n\n");
        md.append("For each loss, epoch and class (mean over seeds): the share of the class's training rows whose ")
                .append("gate was closed (`p_t > m`), open (`p_t < m`) or on the edge (`p_t = m`) when visited in ")
                .append("that epoch, and the class's share of the squared gradient norm at the logits, summed over ")
                .append("the epoch's batches. For a loss without a gate, `m` is a reference (the first gated loss's ")
                .append("margin): the closed share then says how many rows the loss has made confident, not which ")
                .append("rows it stopped training. Figures: `").append(GATE_FIGURE).append("`, `")
                .append(GRADIENT_FIGURE).append("`.\n");
        List<String> labels = arm.labels();
        for (LossRuns lr : arm.results()) {
            md.append("\n### `").append(lr.loss().name()).append("`, m = ").append(LossSpec.format(margin(lr)))
                    .append(lr.loss().margin() == null ? " (reference)" : "").append("\n\n| epoch |");
            for (String label : labels) {
                md.append(String.format(Locale.ROOT, " %1$s closed | %1$s open | %1$s edge | %1$s gradient share |",
                        label));
            }
            md.append("\n|---|").append("---|---|---|---|".repeat(labels.size())).append('\n');
            int epochs = lr.runs().get(0).gradShareByClass().length;
            for (int e = 0; e < epochs; e++) {
                md.append("| ").append(e + 1).append(" |");
                for (int c = 0; c < labels.size(); c++) {
                    int cls = c;
                    for (int s = 0; s < STATES.length; s++) {
                        int state = s;
                        md.append(' ').append(Report.f(Report.meanStdCurve(lr.runs(),
                                run -> gateShare(run, cls, state))[0][e])).append(" |");
                    }
                    md.append(' ').append(Report.f(Report.meanStdCurve(lr.runs(),
                            run -> gradientShare(run, cls))[0][e])).append(" |");
                }
                md.append('\n');
            }
        }
    }
}

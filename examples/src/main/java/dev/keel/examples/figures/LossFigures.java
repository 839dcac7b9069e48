package dev.keel.examples.figures;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the loss figures of {@link LossCurves} as PNGs, each with its data as a CSV of the same
 * name beside it: the report's Figure 1 (the gate), per-row loss and per-row gradient against
 * {@code p_t}.
 */
public final class LossFigures {

    /** The report's Figure 1, redrawn: the gate against the predicted probability. */
    public static final String GATE = "figure1_gate";
    /** Per-row loss against {@code p_t}. */
    public static final String LOSS = "loss_vs_pt";
    /** {@code |d l / d z_t|} against {@code p_t}. */
    public static final String GRADIENT = "gradient_vs_pt";

    /** Points of every sweep: probabilities {@code k / POINTS}. */
    public static final int POINTS = 1000;

    private LossFigures() {
    }

    /** Writes every figure and its CSV into {@code folder} (created if needed); returns the files written. */
    public static List<Path> write(Path folder) throws IOException {
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        float m = LossCurves.FIGURE1_MARGIN;
        String ms = LossCurves.format(m);
        String oneMinusM = LossCurves.format(1f - m);

        LossCurves.Sweep gate = LossCurves.gate(m, POINTS);
        CurveCharts.write(folder.resolve(GATE + ".png"),
                "The report's Figure 1: the gate λ of the gated loss (m = " + ms + ")",
                "predicted probability of the positive class, ŷ = sigmoid(x)", "gate λ (weight of the row's BCE)",
                gate, -0.05, 1.15, new CurveCharts.Shade(1 - m, m, "wrong-easily area [" + oneMinusM + ", " + ms + "]:"
                        + " both classes train"), false, 900, 560);
        written.add(folder.resolve(GATE + ".png"));
        written.add(writeCsv(folder.resolve(GATE + ".csv"), gate));

        LossCurves.Sweep loss = LossCurves.perRow(POINTS, false);
        CurveCharts.write(folder.resolve(LOSS + ".png"),
                "Per-row loss against the probability of the true class (two classes, logits [0, z])",
                "p_t", "loss of the row", loss, 0, 5, null, true, 1600, 600);
        written.add(folder.resolve(LOSS + ".png"));
        written.add(writeCsv(folder.resolve(LOSS + ".csv"), loss));

        LossCurves.Sweep gradient = LossCurves.perRow(POINTS, true);
        CurveCharts.write(folder.resolve(GRADIENT + ".png"),
                "Gradient magnitude at the true class's logit, |∂l/∂z_t|, against p_t (two classes, logits [0, z])",
                "p_t", "|∂l/∂z_t|", gradient, 0, headroom(gradient), null, true, 1600, 600);
        written.add(folder.resolve(GRADIENT + ".png"));
        written.add(writeCsv(folder.resolve(GRADIENT + ".csv"), gradient));
        return written;
    }

    /** The y axis's top: the largest value plus room above it for the legends. */
    private static double headroom(LossCurves.Sweep sweep) {
        double max = 0;
        for (LossCurves.Curve c : sweep.distinctCurves()) {
            for (double v : c.y()) {
                max = Math.max(max, v);
            }
        }
        return Math.ceil(max * 14) / 10; // 40 % more, rounded up to a tenth
    }

    /** One column for x, then one per distinct curve; values in full double precision. */
    static Path writeCsv(Path file, LossCurves.Sweep sweep) throws IOException {
        List<LossCurves.Curve> curves = sweep.distinctCurves();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder header = new StringBuilder(sweep.xName());
            for (LossCurves.Curve c : curves) {
                header.append(',').append(c.name());
            }
            out.write(header.append('\n').toString());
            for (int k = 0; k < sweep.x().length; k++) {
                StringBuilder line = new StringBuilder(number(sweep.x()[k]));
                for (LossCurves.Curve c : curves) {
                    line.append(',').append(number(c.y()[k]));
                }
                out.write(line.append('\n').toString());
            }
        }
        return file;
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }
}

package dev.keel.examples.figures;

import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.BinaryCrossEntropy;
import dev.keel.nn.loss.CrossEntropy;
import dev.keel.nn.loss.FocalLoss;
import dev.keel.nn.loss.GatedBinaryCrossEntropy;
import dev.keel.nn.loss.GatedCrossEntropy;
import dev.keel.nn.loss.SoftGatedCrossEntropy;
import dev.keel.nn.loss.Reduction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The curves of the loss figures, every value computed by calling keel's fused loss kernels on a
 * sweep of logits, never by re-deriving a formula here: so a figure shows what training computes.
 *
 * <ul>
 *   <li>{@link #gate}: the report's Figure 1, the gate {@code lambda} of {@code gated_bce} against the
 *       predicted probability {@code y^ = sigmoid(x)}, for positives and negatives. {@code lambda} is
 *       read off the kernels as the gated row loss over the plain BCE row loss.</li>
 *   <li>{@link #perRow}: per-row loss and gradient against {@code p_t}, on two-class rows of logits
 *       {@code [0, z]} with target 1, so {@code p_t = sigmoid(z)}. The gradient plotted is
 *       {@code |d l / d z_t|}, the kernel's gradient at the target's logit (with two classes it is
 *       also {@code |d l / d x|} for the logit difference {@code x = z_t - z_other}).</li>
 * </ul>
 * The {@code p_t} and {@code y^} on the x axes are read off the kernels too: {@code exp(-l)} of the
 * plain cross entropy row loss.
 */
public final class LossCurves {

    /** Margins of the gated curves. */
    public static final float[] GATED_MARGINS = {0.6f, 0.7f, 0.8f};
    /** The margin of Figure 1 and of the soft-gated curves. */
    public static final float FIGURE1_MARGIN = 0.7f;
    /** Sharpness values of the soft-gated curves. */
    public static final float[] SHARPNESS = {5f, 20f, 50f};
    /** Lin et al.'s Figure 1: gamma = 0 (cross entropy), 0.5, 1, 2, 5. */
    public static final float[] FOCAL_GAMMAS = {0f, 0.5f, 1f, 2f, 5f};

    /** One named curve over a shared x. */
    public record Curve(String name, double[] y) {
    }

    /** Curves over one x axis, as one panel of a figure plots them. */
    public record Panel(String title, List<Curve> curves) {
    }

    /** An x axis and panels of curves over it. */
    public record Sweep(String xName, double[] x, List<Panel> panels) {

        /** All curves, panel after panel, each once by name (cross entropy appears in every panel). */
        public List<Curve> distinctCurves() {
            List<Curve> all = new ArrayList<>();
            for (Panel p : panels) {
                for (Curve c : p.curves()) {
                    if (all.stream().noneMatch(a -> a.name().equals(c.name()))) {
                        all.add(c);
                    }
                }
            }
            return all;
        }
    }

    /** A named loss of the per-row figures. */
    record NamedLoss(String name, FusedLoss loss) {
    }

    private LossCurves() {
    }

    /**
     * Probabilities {@code k / points} for {@code k = 1 .. points - 1}, as logits {@code log(p / (1 - p))}
     * rounded to float (the kernels then say which {@code p} each logit really gives).
     */
    static float[] logitSweep(int points) {
        if (points < 2) {
            throw new IllegalArgumentException("a sweep needs at least 2 points, got " + points);
        }
        float[] z = new float[points - 1];
        for (int k = 1; k < points; k++) {
            double p = (double) k / points;
            z[k - 1] = (float) Math.log(p / (1 - p));
        }
        return z;
    }

    /** The report's Figure 1: {@code lambda} against {@code y^} for positives and negatives at {@code margin}. */
    public static Sweep gate(float margin, int points) {
        float[] x = logitSweep(points);
        int rows = x.length;
        int[] positives = filled(rows, 1);
        int[] negatives = filled(rows, 0);
        float[] bcePositive = rowLosses(FusedLoss.of(new BinaryCrossEntropy()), x, 1, positives, null);
        float[] bceNegative = rowLosses(FusedLoss.of(new BinaryCrossEntropy()), x, 1, negatives, null);
        FusedLoss gated = FusedLoss.of(new GatedBinaryCrossEntropy(margin));
        float[] gatedPositive = rowLosses(gated, x, 1, positives, null);
        float[] gatedNegative = rowLosses(gated, x, 1, negatives, null);
        double[] yHat = new double[rows];
        double[] lambdaPositive = new double[rows];
        double[] lambdaNegative = new double[rows];
        for (int i = 0; i < rows; i++) {
            yHat[i] = Math.exp(-bcePositive[i]); // -log y^ is the BCE of a positive
            lambdaPositive[i] = (double) gatedPositive[i] / bcePositive[i];
            lambdaNegative[i] = (double) gatedNegative[i] / bceNegative[i];
        }
        return new Sweep("y_hat", yHat, List.of(new Panel("", List.of(
                new Curve("positives (y = 1)", lambdaPositive), new Curve("negatives (y = 0)", lambdaNegative)))));
    }

    /** The losses of the per-row figures, by panel: gated, soft-gated, focal (cross entropy in each). */
    static List<List<NamedLoss>> perRowLosses() {
        NamedLoss ce = new NamedLoss("ce", FusedLoss.of(new CrossEntropy()));
        List<NamedLoss> gated = new ArrayList<>(List.of(ce));
        for (float m : GATED_MARGINS) {
            gated.add(new NamedLoss("gated m=" + format(m), FusedLoss.of(new GatedCrossEntropy(m))));
        }
        List<NamedLoss> soft = new ArrayList<>(List.of(ce));
        for (float k : SHARPNESS) {
            soft.add(new NamedLoss("soft_gated m=" + format(FIGURE1_MARGIN) + " k=" + format(k),
                    FusedLoss.of(new SoftGatedCrossEntropy(FIGURE1_MARGIN, k))));
        }
        List<NamedLoss> focal = new ArrayList<>();
        for (float g : FOCAL_GAMMAS) {
            focal.add(new NamedLoss("focal gamma=" + format(g), FusedLoss.of(new FocalLoss(g))));
        }
        return List.of(gated, soft, focal);
    }

    /** Titles of the per-row panels, in {@link #perRowLosses()}'s order. */
    private static final String[] PANEL_TITLES = {"gated (hard step at m)", "soft-gated, m = " + format(FIGURE1_MARGIN),
        "focal (Lin et al., Figure 1)"};

    /**
     * Per-row loss ({@code gradient == false}) or {@code |d l / d z_t|} ({@code gradient == true})
     * against {@code p_t} for every loss of {@link #perRowLosses()}.
     */
    public static Sweep perRow(int points, boolean gradient) {
        float[] z = logitSweep(points);
        int rows = z.length;
        float[] logits = new float[rows * 2];
        for (int i = 0; i < rows; i++) {
            logits[2 * i + 1] = z[i]; // row [0, z], target 1
        }
        int[] targets = filled(rows, 1);
        float[] ceLoss = rowLosses(FusedLoss.of(new CrossEntropy()), logits, 2, targets, null);
        double[] pt = new double[rows];
        for (int i = 0; i < rows; i++) {
            pt[i] = Math.exp(-ceLoss[i]);
        }
        List<Panel> panels = new ArrayList<>();
        List<List<NamedLoss>> groups = perRowLosses();
        for (int g = 0; g < groups.size(); g++) {
            List<Curve> curves = new ArrayList<>();
            for (NamedLoss named : groups.get(g)) {
                float[] grad = new float[logits.length];
                float[] loss = rowLosses(named.loss(), logits, 2, targets, grad);
                double[] y = new double[rows];
                for (int i = 0; i < rows; i++) {
                    y[i] = gradient ? Math.abs(grad[2 * i + 1]) : loss[i];
                }
                curves.add(new Curve(named.name(), y));
            }
            panels.add(new Panel(PANEL_TITLES[g], curves));
        }
        return new Sweep("p_t", pt, panels);
    }

    /** Per-row losses ({@link Reduction#NONE}: each row's gradient is that of its own loss) and gradient. */
    private static float[] rowLosses(FusedLoss loss, float[] logits, int classes, int[] targets, float[] grad) {
        float[] rows = new float[targets.length];
        loss.withReduction(Reduction.NONE).computeRows(logits, targets.length, classes, targets, rows, grad);
        return rows;
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /** {@code 0.7}, {@code 5}, {@code 0.5}: a float as written in a legend. */
    static String format(float v) {
        return v == Math.rint(v) ? Integer.toString((int) v) : String.format(Locale.ROOT, "%s", v);
    }
}

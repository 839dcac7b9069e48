package dev.keel.examples.figures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The figures' curves against the specification's formulas, written here independently in double
 * precision from the float logits the sweep feeds the kernels; and the files the figures make.
 */
class LossFiguresTest {

    private static final int POINTS = 200;

    @TempDir
    Path dir;

    /** The float logits of the sweep and the probabilities they really give, in double. */
    private static double[] sweptProbabilities() {
        float[] z = LossCurves.logitSweep(POINTS);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = 1 / (1 + Math.exp(-(double) z[i]));
        }
        return p;
    }

    private static LossCurves.Curve curve(LossCurves.Sweep sweep, String name) {
        return sweep.distinctCurves().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no curve " + name + " in " + sweep.distinctCurves().stream()
                        .map(LossCurves.Curve::name).toList()));
    }

    /**
     * Whether {@code p} is within float rounding of a gate's edge: there the kernel's own {@code p_t}
     * (float inputs, its own exp) decides the side, and the sweep does put points there.
     */
    private static boolean atEdge(double p, double edge) {
        return Math.abs(p - edge) < 1e-6;
    }

    private static void assertClose(double expected, double actual, double relative, String what) {
        double tolerance = Math.max(relative * Math.abs(expected), 1e-6);
        assertEquals(expected, actual, tolerance, what);
    }

    @Test
    void xAxesAreTheProbabilitiesOfTheSweptLogits() {
        double[] p = sweptProbabilities();
        LossCurves.Sweep loss = LossCurves.perRow(POINTS, false);
        LossCurves.Sweep gate = LossCurves.gate(0.7f, POINTS);
        assertEquals(POINTS - 1, loss.x().length);
        for (int i = 0; i < p.length; i++) {
            assertClose(p[i], loss.x()[i], 1e-6, "p_t at " + i);
            assertClose(p[i], gate.x()[i], 1e-6, "y^ at " + i);
        }
        assertClose(0.5, loss.x()[POINTS / 2 - 1], 1e-7, "p_t in the middle of the sweep");
    }

    @Test
    void gateOfFigure1() {
        for (float m : new float[] {0.6f, 0.7f, 0.9f}) {
            LossCurves.Sweep gate = LossCurves.gate(m, POINTS);
            double[] positives = curve(gate, "positives (y = 1)").y();
            double[] negatives = curve(gate, "negatives (y = 0)").y();
            int open = 0;
            for (int i = 0; i < gate.x().length; i++) {
                double yHat = gate.x()[i];
                if (atEdge(yHat, m) || atEdge(yHat, 1 - m)) {
                    continue;
                }
                String at = "m = " + m + ", y^ = " + yHat;
                // the spec's lambda: positives train while y^ <= m, negatives while y^ >= 1 - m
                assertEquals(yHat < m ? 1.0 : 0.0, positives[i], 1e-6, "positive " + at);
                assertEquals(yHat > 1 - m ? 1.0 : 0.0, negatives[i], 1e-6, "negative " + at);
                open += positives[i] == 1 && negatives[i] == 1 ? 1 : 0;
            }
            // both classes train exactly in the wrong-easily area [1 - m, m]
            assertEquals(Math.round((2 * m - 1) * POINTS), open, 3, "rows where both gates are open, m = " + m);
        }
    }

    @Test
    void perRowLossesMatchTheFormulas() {
        double[] p = sweptProbabilities();
        LossCurves.Sweep sweep = LossCurves.perRow(POINTS, false);
        for (int i = 0; i < p.length; i++) {
            double nll = -Math.log(p[i]);
            double q = 1 - p[i];
            String at = " at p_t = " + p[i];
            assertClose(nll, curve(sweep, "ce").y()[i], 1e-5, "ce" + at);
            for (float m : LossCurves.GATED_MARGINS) {
                if (atEdge(p[i], m)) {
                    continue;
                }
                assertClose(p[i] < m ? nll : 0, curve(sweep, "gated m=" + LossCurves.format(m)).y()[i], 1e-5,
                        "gated m=" + m + at);
            }
            for (float k : LossCurves.SHARPNESS) {
                double w = 1 / (1 + Math.exp(-k * (LossCurves.FIGURE1_MARGIN - p[i])));
                assertClose(w * nll, curve(sweep, "soft_gated m=0.7 k=" + LossCurves.format(k)).y()[i], 1e-5,
                        "soft_gated k=" + k + at);
            }
            for (float g : LossCurves.FOCAL_GAMMAS) {
                assertClose(Math.pow(q, g) * nll, curve(sweep, "focal gamma=" + LossCurves.format(g)).y()[i], 1e-5,
                        "focal gamma=" + g + at);
            }
        }
    }

    @Test
    void perRowGradientsMatchTheChainRule() {
        double[] p = sweptProbabilities();
        LossCurves.Sweep sweep = LossCurves.perRow(POINTS, true);
        for (int i = 0; i < p.length; i++) {
            double q = 1 - p[i];
            double logP = Math.log(p[i]);
            String at = " at p_t = " + p[i];
            // d(-log p_t)/d z_t = -(1 - p_t) for every kind, times the row's coefficient
            assertClose(q, curve(sweep, "ce").y()[i], 1e-5, "ce" + at);
            for (float m : LossCurves.GATED_MARGINS) {
                if (atEdge(p[i], m)) {
                    continue;
                }
                assertClose(p[i] < m ? q : 0, curve(sweep, "gated m=" + LossCurves.format(m)).y()[i], 1e-5,
                        "gated m=" + m + at);
            }
            for (float k : LossCurves.SHARPNESS) {
                // d/dz_t of -w(p) log p with w = sigma(k (m - p)), dp/dz_t = p q
                double w = 1 / (1 + Math.exp(-k * (LossCurves.FIGURE1_MARGIN - p[i])));
                double dLossDp = -w / p[i] + k * w * (1 - w) * logP;
                assertClose(Math.abs(dLossDp * p[i] * q),
                        curve(sweep, "soft_gated m=0.7 k=" + LossCurves.format(k)).y()[i], 1e-4,
                        "soft_gated k=" + k + at);
            }
            for (float g : LossCurves.FOCAL_GAMMAS) {
                // d/dp of -q^g log p is g q^(g-1) log p - q^g / p
                double dLossDp = (g == 0 ? 0 : g * Math.pow(q, g - 1) * logP) - Math.pow(q, g) / p[i];
                assertClose(Math.abs(dLossDp * p[i] * q), curve(sweep, "focal gamma=" + LossCurves.format(g)).y()[i],
                        1e-4, "focal gamma=" + g + at);
            }
        }
    }

    @Test
    void writesReadablePngsAndTheirCsvs() throws IOException {
        List<Path> files = LossFigures.write(dir);
        assertEquals(6, files.size());
        for (String name : List.of(LossFigures.GATE, LossFigures.LOSS, LossFigures.GRADIENT)) {
            BufferedImage image = ImageIO.read(dir.resolve(name + ".png").toFile());
            assertNotNull(image, name + ".png is not an image");
            assertTrue(image.getWidth() >= 800 && image.getHeight() >= 500, name + ".png is too small");
            List<String> lines = Files.readAllLines(dir.resolve(name + ".csv"), StandardCharsets.UTF_8);
            assertEquals(LossFigures.POINTS, lines.size(), name + ".csv: a header and one line per point");
            int columns = lines.get(0).split(",").length;
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                assertEquals(columns, cells.length, name + ".csv line " + line);
                for (String cell : cells) {
                    assertTrue(Double.isFinite(Double.parseDouble(cell)), name + ".csv cell " + cell);
                }
            }
        }
        // the CSV holds the curves' values: ce's loss at the middle point is log 2
        List<String> loss = Files.readAllLines(dir.resolve(LossFigures.LOSS + ".csv"));
        List<String> header = List.of(loss.get(0).split(","));
        assertEquals("p_t", header.get(0));
        assertEquals(1 + 4 + 3 + 5, header.size(), "p_t, ce + 3 gated, 3 soft-gated, 5 focal: " + header);
        String[] middle = loss.get(LossFigures.POINTS / 2).split(",");
        assertEquals(0.5, Double.parseDouble(middle[0]), 1e-7);
        assertEquals(Math.log(2), Double.parseDouble(middle[header.indexOf("ce")]), 1e-6);
    }

    @Test
    void keelFiguresWritesIntoOut() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = dev.keel.examples.KeelCli.run(new String[] {"figures", "--out", dir.resolve("f").toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        assertTrue(out.toString().contains(LossFigures.GATE + ".png"), out.toString());
        assertTrue(Files.isRegularFile(dir.resolve("f").resolve(LossFigures.GRADIENT + ".csv")));
    }
}

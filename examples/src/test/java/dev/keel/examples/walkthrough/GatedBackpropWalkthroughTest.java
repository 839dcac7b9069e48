package dev.keel.examples.walkthrough;

import dev.keel.nn.autograd.GradCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the walkthrough and checks its key numbers independently, and that docs/gated-backprop.md
 * quotes its output as it is now.
 */
class GatedBackpropWalkthroughTest {

    private static final int[] Y = GatedBackpropWalkthrough.LABELS;
    private static final int N = Y.length;

    private static GatedBackpropWalkthrough.Result result;
    private static String output;

    @BeforeAll
    static void run() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result = GatedBackpropWalkthrough.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        output = bytes.toString(StandardCharsets.UTF_8);
    }

    /** p of row i from the printed-path logits, in double. */
    private static double[] softmax(float[] z, int i) {
        double max = Math.max(z[2 * i], z[2 * i + 1]);
        double e0 = Math.exp(z[2 * i] - max);
        double e1 = Math.exp(z[2 * i + 1] - max);
        return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
    }

    @Test
    void theBatchHasGatedAndTrainingRowsOfBothKinds() {
        int gatedPositives = 0;
        int training = 0;
        for (int i = 0; i < N; i++) {
            double pt = softmax(result.logits(), i)[Y[i]];
            assertEquals(pt, result.pt()[i], 1e-12, "p_t of row " + i);
            assertEquals(pt > GatedBackpropWalkthrough.MARGIN ? 0.0 : 1.0, result.gate()[i], "gate of row " + i);
            gatedPositives += result.gate()[i] == 0 && Y[i] == 1 ? 1 : 0;
            training += result.gate()[i] == 1 ? 1 : 0;
        }
        assertTrue(gatedPositives >= 1 && training >= 2, "the walkthrough should show both cases");
    }

    @Test
    void lossEqualsAnIndependentComputation() {
        double sum = 0;
        for (int i = 0; i < N; i++) {
            double pt = softmax(result.logits(), i)[Y[i]];
            sum += pt > GatedBackpropWalkthrough.MARGIN ? 0 : -Math.log(pt);
        }
        double expected = sum / N;
        assertEquals(expected, result.loss(), 1e-6 * expected);
        assertEquals(expected, result.lossInDouble(), 1e-9 * expected);
        assertEquals(expected, result.binaryLoss(), 1e-6 * expected, "gated_bce on z_1 - z_0");
        assertTrue(result.lossAfter() < result.loss(), "one SGD step lowers the loss");
    }

    @Test
    void gatedRowsHaveExactlyZeroGradientAndTheOthersTheFormula() {
        float[] g = result.logitsGrad();
        for (int i = 0; i < N; i++) {
            double[] p = softmax(result.logits(), i);
            for (int c = 0; c < 2; c++) {
                if (result.gate()[i] == 0) {
                    assertEquals(0f, g[2 * i + c], 0f, "gated row " + i + " column " + c);
                } else {
                    double expected = (p[c] - (c == Y[i] ? 1 : 0)) / N;
                    assertEquals(expected, g[2 * i + c], 1e-7, "row " + i + " column " + c);
                }
            }
        }
    }

    @Test
    void everyGradientPassesTheFiniteDifferenceCheck() {
        assertEquals(3, result.checks().size());
        for (GradCheck.Result check : result.checks()) {
            assertTrue(check.passed(), check.toString());
            assertTrue(check.maxAbsError() < 1e-4, check.toString());
            assertTrue(check.checked() > 0, check.toString());
        }
        assertEquals(0.0, result.fastPathMaxDiff(), 1e-7, "the classifier's fast path computes the same gradients");
    }

    @Test
    void theStepChangesExactlyTheRowsWithGradient() {
        int dim = GatedBackpropWalkthrough.DIM;
        List<Integer> withGradient = new ArrayList<>();
        for (int r : result.usedRows()) {
            for (int d = 0; d < dim; d++) {
                if (result.tableGrad()[r * dim + d] != 0f) {
                    withGradient.add(r);
                    break;
                }
            }
        }
        assertEquals(withGradient, result.changedRows());
        assertTrue(withGradient.size() < result.usedRows().size(), "some rows are used only by gated-out reviews");
        for (int r = 0; r < result.tableGrad().length / dim; r++) {
            if (!result.usedRows().contains(r)) {
                for (int d = 0; d < dim; d++) {
                    assertEquals(0f, result.tableGrad()[r * dim + d], 0f, "unused row " + r);
                }
            }
        }
    }

    @Test
    void theSlipsAndAdam() {
        // slip 1: with the step reversed, positives train only below 1 - m, negatives only above m
        for (int i = 0; i < N; i++) {
            double yHat = softmax(result.logits(), i)[1];
            double m = GatedBackpropWalkthrough.MARGIN;
            double expected = Y[i] == 1 ? (yHat < 1 - m ? 1 : 0) : (yHat > m ? 1 : 0);
            assertEquals(expected, result.reversedStepGate()[i], "reversed-step lambda of row " + i);
        }
        // Adam's momentum moves rows whose gated gradient is exactly 0: all of them here
        List<Integer> zeroGradient = new ArrayList<>(result.usedRows());
        zeroGradient.removeAll(result.changedRows());
        assertFalse(zeroGradient.isEmpty());
        assertEquals(zeroGradient, result.adamMovedWithoutGradient());
    }

    /** The invariants hold for other seeds too, not just the one the document quotes. */
    @Test
    void otherSeeds() {
        PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream());
        for (long seed = 1; seed <= 4; seed++) {
            GatedBackpropWalkthrough.Result r = GatedBackpropWalkthrough.run(sink, seed, 6);
            double nearest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < N; i++) {
                nearest = Math.min(nearest, Math.abs(r.pt()[i] - GatedBackpropWalkthrough.MARGIN));
                if (r.gate()[i] == 0) {
                    assertEquals(0f, r.logitsGrad()[2 * i], 0f, "seed " + seed + " row " + i);
                    assertEquals(0f, r.logitsGrad()[2 * i + 1], 0f, "seed " + seed + " row " + i);
                }
            }
            assertEquals(r.lossInDouble(), r.loss(), 1e-6 * Math.max(r.loss(), 1e-3), "seed " + seed);
            if (nearest > 0.01) { // finite differences must not step over the gate's edge
                for (GradCheck.Result check : r.checks()) {
                    assertTrue(check.passed(), "seed " + seed + ": " + check);
                }
            }
        }
    }

    @Test
    void keelWalkthroughPrintsTheSameOutput() {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int status = dev.keel.examples.KeelCli.run(new String[] {"walkthrough"}, new java.io.PrintWriter(text, true),
                new java.io.PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        assertEquals(output, text.toString());
    }

    // ---------------------------------------------------------------- the document

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?(e[-+]?\\d+)?");

    private static Path document() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("gated-backprop.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        return fail("docs/gated-backprop.md not found above " + Path.of("").toAbsolutePath());
    }

    /** The line with its numbers replaced by #, and the numbers. */
    private record Shape(String skeleton, List<String> numbers) {
        static Shape of(String line) {
            Matcher m = NUMBER.matcher(line.strip());
            List<String> numbers = new ArrayList<>();
            StringBuilder skeleton = new StringBuilder();
            while (m.find()) {
                numbers.add(m.group());
                m.appendReplacement(skeleton, "#");
            }
            m.appendTail(skeleton);
            return new Shape(skeleton.toString().replaceAll("\\s+", " "), numbers);
        }

        /**
         * Same text; integers equal; decimals within one unit of the document's last digit (the two
         * kernel paths may round a last digit differently).
         */
        boolean matches(Shape printed) {
            if (!skeleton.equals(printed.skeleton) || numbers.size() != printed.numbers.size()) {
                return false;
            }
            for (int k = 0; k < numbers.size(); k++) {
                if (!close(numbers.get(k), printed.numbers.get(k))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static boolean close(String quoted, String printed) {
        int dot = quoted.indexOf('.');
        if (dot < 0 || quoted.contains("e")) {
            return quoted.equals(printed);
        }
        double unit = Math.pow(10, -(quoted.length() - dot - 1));
        return Math.abs(Double.parseDouble(quoted) - Double.parseDouble(printed)) <= unit * 1.0001;
    }

    @Test
    void documentQuotesTheOutputAsItIs() throws IOException {
        List<String> doc = Files.readAllLines(document(), StandardCharsets.UTF_8);
        List<Shape> printed = output.lines().map(Shape::of).toList();
        boolean inBlock = false;
        int quoted = 0;
        for (int k = 0; k < doc.size(); k++) {
            String line = doc.get(k);
            if (line.startsWith("```")) {
                inBlock = !inBlock && line.equals("```text");
                continue;
            }
            if (inBlock && !line.isBlank()) {
                Shape shape = Shape.of(line);
                quoted++;
                int lineNumber = k + 1;
                assertTrue(printed.stream().anyMatch(shape::matches),
                        () -> "docs/gated-backprop.md line " + lineNumber + " is not in the walkthrough's output: "
                                + line);
            }
        }
        assertTrue(quoted >= 20, "the document should quote the output, found " + quoted + " lines");
    }

    @Test
    void everyDecimalInTheDocumentIsPrinted() throws IOException {
        String doc = Files.readString(document(), StandardCharsets.UTF_8);
        List<String> printedNumbers = new ArrayList<>();
        Matcher p = NUMBER.matcher(output);
        while (p.find()) {
            printedNumbers.add(p.group());
        }
        // six decimals: the walkthrough's printing precision; shorter ones are parameters or prose
        Matcher m = Pattern.compile("-?\\d+\\.\\d{6}").matcher(doc);
        int seen = 0;
        while (m.find()) {
            String number = m.group();
            seen++;
            assertTrue(printedNumbers.stream().anyMatch(x -> close(number, x)),
                    "docs/gated-backprop.md quotes " + number + ", which the walkthrough does not print");
        }
        assertFalse(seen == 0, "no numbers found in the document");
        assertNotNull(result);
    }
}

package dev.keel.examples.walkthrough;

import dev.keel.core.IdBags;
import dev.keel.core.Tensor;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.GradCheck;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.autograd.Value;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.GateStats;
import dev.keel.nn.loss.CrossEntropy;
import dev.keel.nn.loss.GatedBinaryCrossEntropy;
import dev.keel.nn.loss.GatedCrossEntropy;
import dev.keel.nn.optim.SGD;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.Tokenizer;
import dev.keel.text.Vocabulary;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Backpropagation through the report's gated loss, one printed number at a time: six short
 * reviews go through tokenization, token ids, an embedding bag, a dense layer, softmax, the gate,
 * the loss and back, on keel's own autograd graph with the fused gated loss node. Every gradient is
 * checked by finite differences ({@link GradCheck}, in double) and against the classifier's
 * hand-written fast path; one SGD step ends it. Deterministic: the same numbers on every run of one
 * kernel path (the two paths agree to float rounding). {@code docs/gated-backprop.md} explains the
 * output; a test runs it and checks the numbers the document quotes.
 */
public final class GatedBackpropWalkthrough {

    /** The reviews; label 1 is a positive (5 stars, "great"), 0 a negative ("other"). */
    public static final List<String> REVIEWS = List.of(
            "Absolutely delicious! My kids love these crackers.",
            "Great coffee, rich and smooth. Will buy again.",
            "Not bad at all, better than I expected.",
            "Five stars: the best dog treats we have found.",
            "Stale and tasteless. Would not buy again.",
            "Great price, but the coffee tastes burnt.");
    /** The labels of {@link #REVIEWS}: four positives, two negatives (the minority, as in the report). */
    public static final int[] LABELS = {1, 1, 1, 1, 0, 0};

    /** The gate's margin m. */
    public static final float MARGIN = 0.7f;
    /** Embedding size: small enough to print. */
    public static final int DIM = 4;
    /** Hash buckets for the word bigrams. */
    public static final int BUCKETS = 16;
    /** Seed of the model's initial weights. */
    public static final long SEED = 17;
    /** Full-batch steps of plain cross entropy before the walkthrough's step. */
    public static final int WARM_UP_STEPS = 10;
    /** Learning rate of plain SGD, in the warm-up and in the final step. */
    public static final double LR = 0.5;

    /**
     * The walkthrough's key numbers, for tests.
     *
     * @param logits          {@code z}, rows x 2, before the step
     * @param pt              each row's {@code p_t} before the step
     * @param gate            each row's gate {@code theta(m - p_t)}
     * @param loss            the fused node's gated loss (mean over all rows)
     * @param lossInDouble    the same loss recomputed in double from the logits, independently
     * @param binaryLoss      the same batch through {@code gated_bce} on {@code z_1 - z_0}
     * @param logitsGrad      {@code dL/dz}, rows x 2, from the autograd graph
     * @param tableGrad       {@code dL/dE}, the embedding table's gradient (dense copy)
     * @param checks          finite-difference checks: logits, dense layer inputs, whole model
     * @param fastPathMaxDiff largest |difference| between the fast path's gradients and the graph's
     * @param changedRows     embedding rows the SGD step changed
     * @param usedRows        embedding rows the batch uses
     * @param lossAfter       the gated loss after the step
     * @param reversedStepGate each row's lambda with the report's step as printed (slip 1)
     * @param adamMovedWithoutGradient rows of E that Adam moved in a gated step without a gradient
     */
    public record Result(float[] logits, double[] pt, double[] gate, double loss, double lossInDouble,
                         double binaryLoss, float[] logitsGrad, float[] tableGrad, List<GradCheck.Result> checks,
                         double fastPathMaxDiff, List<Integer> changedRows, List<Integer> usedRows, double lossAfter,
                         double[] reversedStepGate, List<Integer> adamMovedWithoutGradient) {
    }

    private final PrintStream out;
    private final long seed;
    private final int warmUpSteps;

    private GatedBackpropWalkthrough(PrintStream out, long seed, int warmUpSteps) {
        this.out = out;
        this.seed = seed;
        this.warmUpSteps = warmUpSteps;
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the walkthrough, printing to {@code out}. */
    public static Result run(PrintStream out) {
        return run(out, SEED, WARM_UP_STEPS);
    }

    /** The walkthrough from another seed or warm-up (the document quotes the defaults). */
    public static Result run(PrintStream out, long seed, int warmUpSteps) {
        return new GatedBackpropWalkthrough(out, seed, warmUpSteps).walk();
    }

    private Result walk() {
        int n = REVIEWS.size();
        section("1. The batch: " + n + " reviews; y = 1 positive (\"great\"), y = 0 negative (\"other\")");
        for (int i = 0; i < n; i++) {
            line("row %d  y=%d  \"%s\"", i, LABELS[i], REVIEWS.get(i));
        }

        section("2. Tokenization (Tokenizer.standard(): HTML decoded, NFKC, case folded, split into words)");
        Tokenizer tokenizer = Tokenizer.standard();
        List<List<String>> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(tokenizer.tokenize(REVIEWS.get(i)));
            line("row %d  %s", i, tokens.get(i));
        }

        Vocabulary vocabulary = Vocabulary.fromTexts(REVIEWS, tokenizer, 1, 1000);
        TokenIdFeaturizer featurizer = new TokenIdFeaturizer(tokenizer, vocabulary,
                TokenIdFeaturizer.Options.defaults().withBuckets(BUCKETS));
        int tableRows = featurizer.dimension();
        section(String.format(Locale.ROOT, "3. Token ids: %d vocabulary ids (0 = <unk>, then words by count), "
                + "%d hash buckets for word bigrams (ids %d..%d)", vocabulary.size(), BUCKETS, vocabulary.size(),
                tableRows - 1));
        Map<Integer, TreeSet<String>> meaning = new TreeMap<>();
        IdBags bags = featurizer.bags(REVIEWS);
        for (int i = 0; i < n; i++) {
            List<String> words = tokens.get(i);
            for (String w : words) {
                meaning.computeIfAbsent(vocabulary.id(w), k -> new TreeSet<>()).add(w);
            }
            for (int k = 0; k + 1 < words.size(); k++) {
                String bigram = words.get(k) + " " + words.get(k + 1);
                meaning.computeIfAbsent(featurizer.bucketId(bigram), key -> new TreeSet<>()).add("\"" + bigram + "\"");
            }
            line("row %d  %d ids %s", i, bags.end(i) - bags.start(i), Arrays.toString(bags.bag(i)));
        }
        int[] ids = bags.ids();
        int[] offsets = bags.offsets();
        out.println("  what the ids stand for (a bucket may hold several bigrams: the hashing trick's collisions):");
        for (Map.Entry<Integer, TreeSet<String>> e : meaning.entrySet()) {
            line("  id %2d  %s", e.getKey(), String.join(", ", e.getValue()));
        }

        // The model and a warm-up of plain cross entropy, so some rows are already confidently right.
        var model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(tableRows, DIM, 0, 2, seed));
        FusedLoss ce = FusedLoss.of(new CrossEntropy());
        FusedLoss gated = FusedLoss.of(new GatedCrossEntropy(MARGIN));
        SGD warmUp = new SGD(model.parameters(), LR);
        double ceStart = Double.NaN;
        for (int s = 0; s < warmUpSteps; s++) {
            double l = model.trainStep(bags, LABELS, ce, warmUp);
            ceStart = s == 0 ? l : ceStart;
        }
        section(String.format(Locale.ROOT, "4. The model: embedding table E [%d x %d] (normal(0, 1)), dense W [2 x %d]"
                + " and b [2] (Xavier-uniform, 0); seed %d; then %d full-batch SGD steps (lr %s) of plain cross "
                + "entropy: CE %.6f -> %.6f", tableRows, DIM, DIM, seed, warmUpSteps, LR, ceStart,
                ce.compute(logitsOf(model, bags), n, 2, LABELS, null)));
        Parameter table = model.embedding().weight();
        Parameter weight = model.output().weight();
        Parameter bias = model.output().bias();
        printMatrix("W", weight.data());
        printVector("b", bias.data().toArray());

        section("5. Embedding bag: h_i = the mean of the rows of E named by row i's ids");
        model.zeroGrad();
        Value bag = model.embedding().forward(ids, offsets).retainGrad();
        for (int i = 0; i < n; i++) {
            printVector("row " + i + "  h", bag.data().row(i).toArray());
        }

        section("6. Dense layer: z_i = W h_i + b, the logits [z_0, z_1]");
        Value logits = model.output().forward(bag).retainGrad();
        float[] z = logits.data().toArray();
        for (int i = 0; i < n; i++) {
            printVector("row " + i + "  z", Arrays.copyOfRange(z, 2 * i, 2 * i + 2));
        }

        section("7. Softmax: p_i = softmax(z_i); y^ = p_i1, the probability of \"positive\"; "
                + "p_t = p of the true class");
        double[] pt = new double[n];
        double[] gate = new double[n];
        for (int i = 0; i < n; i++) {
            double[] p = softmax(z[2 * i], z[2 * i + 1]);
            pt[i] = p[LABELS[i]];
            line("row %d  p = [%.6f, %.6f]  y^ = %.6f  y=%d  p_t = %.6f", i, p[0], p[1], p[1], LABELS[i], pt[i]);
        }

        section(String.format(Locale.ROOT, "8. The gate: g_i = theta(m - p_t), m = %s "
                + "(1 above 0, 1/2 at 0, 0 below)", MARGIN));
        double closestToEdge = Double.POSITIVE_INFINITY;
        int closestRow = -1;
        for (int i = 0; i < n; i++) {
            gate[i] = pt[i] < MARGIN ? 1 : pt[i] > MARGIN ? 0 : 0.5;
            if (Math.abs(pt[i] - MARGIN) < closestToEdge) {
                closestToEdge = Math.abs(pt[i] - MARGIN);
                closestRow = i;
            }
            String why = gate[i] == 0 ? "gated out: confidently right, p_t > m"
                    : pt[i] < 1 - MARGIN ? "trains: confidently wrong, p_t < 1 - m"
                    : pt[i] < 0.5 ? "trains: wrong, inside the wrong-easily area [1 - m, m]"
                    : "trains: right, but inside the wrong-easily area [1 - m, m]";
            line("row %d  y=%d  p_t = %.6f  g = %s  %s", i, LABELS[i], pt[i], gate[i] == 0.5 ? "1/2" : (int) gate[i],
                    why);
        }
        line("closest to the edge: row %d, |p_t - m| = %.6f", closestRow, closestToEdge);
        // Slip 1: the report prints its step reversed, epsilon(x) = 1 for x < 0. Its lambda
        // 1 - eps(y - m) eps(y^ - m) - eps(1 - m - y) eps(1 - m - y^) then trains positives only below
        // 1 - m and negatives only above m: the confidently wrong rows, never the wrong-easily area.
        double[] reversed = new double[n];
        for (int i = 0; i < n; i++) {
            double yHat = softmax(z[2 * i], z[2 * i + 1])[1];
            reversed[i] = 1 - reversedStep(LABELS[i] - MARGIN) * reversedStep(yHat - MARGIN)
                    - reversedStep(1 - MARGIN - LABELS[i]) * reversedStep(1 - MARGIN - yHat);
        }
        line("slip 1: with the step printed reversed (1 for x < 0), lambda would be %s for rows 0..%d",
                Arrays.toString(Arrays.stream(reversed).mapToInt(v -> (int) v).toArray()), n - 1);

        section("9. The loss: l_i = -g_i log p_t (the report's eq. 4 for y = 1, eq. 5 for y = 0), "
                + "L = (1/N) sum_i l_i over all N rows");
        Value lossNode = Functional.loss(logits, LABELS, gated);
        double loss = lossNode.item();
        double inDouble = 0;
        for (int i = 0; i < n; i++) {
            double li = -gate[i] * Math.log(pt[i]);
            inDouble += li;
            line("row %d  l = -%s * log(%.6f) = %.6f", i, gate[i] == 0.5 ? "1/2" : (int) gate[i], pt[i], li);
        }
        inDouble /= n;
        float[] differences = new float[n];
        for (int i = 0; i < n; i++) {
            differences[i] = z[2 * i + 1] - z[2 * i];
        }
        double binary = FusedLoss.of(new GatedBinaryCrossEntropy(MARGIN)).compute(differences, n, 1, LABELS, null);
        line("L = %.6f  the fused loss node, FusedLoss.of(new GatedCrossEntropy(%s))", loss, MARGIN);
        line("L = %.6f  recomputed here in double from z", inDouble);
        line("L = %.6f  gated_bce on the one logit x = z_1 - z_0 (the report's sigmoid form, y^ = sigmoid(x))",
                binary);
        line("    %.6f  plain cross entropy of the same batch, for scale", ce.compute(z, n, 2, LABELS, null));
        for (int i = 0; i < n; i++) {
            if (LABELS[i] == 0 && gate[i] != 0) {
                double yHat = softmax(z[2 * i], z[2 * i + 1])[1];
                line("slip 2, row %d (y = 0): eq. 5 as printed, -g y log y^ = -1 * 0 * log(%.6f) = 0; "
                        + "meant, -g log(1 - y^) = -log(%.6f) = %.6f", i, yHat, 1 - yHat, -Math.log(1 - yHat));
            }
        }

        section("10. Backward through the graph: loss -> logits -> dense -> embedding bag -> E");
        lossNode.backward();
        float[] gz = logits.grad().toArray();
        line("dL/dz_i = g_i (p_i - onehot(y_i)) / N, N = %d:", n);
        for (int i = 0; i < n; i++) {
            line("row %d  dL/dz = [%.6f, %.6f]%s", i, plus(gz[2 * i]), plus(gz[2 * i + 1]),
                    gate[i] == 0 ? "  exactly 0: g = 0 multiplies the row" : "");
        }
        out.println("  dL/dh_i = W^T dL/dz_i:");
        for (int i = 0; i < n; i++) {
            printVector("row " + i + "  dL/dh", plus(bag.grad().row(i).toArray()));
        }
        printMatrix("dL/dW = sum_i dL/dz_i h_i^T", weight.grad());
        printVector("dL/db = sum_i dL/dz_i", plus(bias.grad().toArray()));
        float[] gTable = table.grad().toArray();
        float[] gWeight = weight.grad().toArray();
        float[] gBias = bias.grad().toArray();
        out.println("  dL/dE_r = sum over the rows i using id r of dL/dh_i / (ids in row i), for the rows of E with a"
                + " gradient:");
        List<Integer> used = new ArrayList<>(new TreeSet<>(boxed(ids)));
        List<Integer> zeroRows = new ArrayList<>();
        for (int r : used) {
            float[] gr = Arrays.copyOfRange(gTable, r * DIM, (r + 1) * DIM);
            if (allZero(gr)) {
                zeroRows.add(r);
            } else {
                printVector(String.format(Locale.ROOT, "E row %2d %-24s dL/dE", r, shortMeaning(meaning.get(r))),
                        plus(gr));
            }
        }
        line("%d of the %d rows the batch uses have gradient exactly 0, those used only by gated-out rows %s: %s",
                zeroRows.size(), used.size(), gatedRows(gate), zeroRows);
        line("rows of E marked touched by the sparse gradient: %d (every id of the batch, zero gradient or not)",
                table.touchedRowCount());

        section("11. Gradient checks: central differences (h, h/2, Richardson) in double against autograd");
        List<GradCheck.Result> checks = new ArrayList<>();
        checks.add(GradCheck.check(v -> Functional.loss(v[0], LABELS, gated), logits.data().copy()));
        line("dL/dz (the loss node alone):           %s", summary(checks.get(0)));
        checks.add(GradCheck.check(v -> Functional.loss(Functional.linear(v[0], v[1], v[2]), LABELS, gated),
                bag.data().copy(), weight.data().copy(), bias.data().copy()));
        line("dL/dh, dL/dW, dL/db (dense + loss):     %s", summary(checks.get(1)));
        checks.add(GradCheck.check(() -> Functional.loss(model.forward(bags), LABELS, gated),
                model.parameters()));
        line("dL/dE, dL/dW, dL/db (the whole model): %s", summary(checks.get(2)));
        line("(a gated row's numeric derivative is 0 too: the gate is a step, flat on each side of m, and every "
                + "p_t is %.4f away from it)", closestToEdge);

        section("12. The classifier's fast path (trainStep's hand-written backward) on the same batch");
        model.zeroGrad();
        model.accumulateGradients(bags, LABELS, gated);
        double maxDiff = Math.max(maxAbsDiff(model.lastLogitsGrad().toArray(), gz),
                Math.max(maxAbsDiff(table.grad().toArray(), gTable),
                        Math.max(maxAbsDiff(weight.grad().toArray(), gWeight), maxAbsDiff(bias.grad().toArray(), gBias))));
        line("largest |fast path - graph| over dL/dz, dL/dE, dL/dW, dL/db: %s",
                maxDiff == 0 ? "0 (the same bits)" : String.format(Locale.ROOT, "%.2e", maxDiff));
        GateStats stats = gated.gateStats(z, n, 2, LABELS);
        GateStats ceStats = ce.gateStats(MARGIN, z, n, 2, LABELS);
        line("GateStats: class 1 (positives) %d rows, %d gated out; class 0 (negatives) %d rows, %d gated out",
                stats.rows(1), stats.gatedOut(1), stats.rows(0), stats.gatedOut(0));
        line("share of the squared gradient norm at the logits, negatives: gated %.4f, plain CE %.4f",
                stats.gradientShare(0), ceStats.gradientShare(0));

        section(String.format(Locale.ROOT, "13. One SGD step, w <- w - %s dL/dw, with the graph's gradients", LR));
        model.zeroGrad();
        Functional.loss(model.forward(bags), LABELS, gated).backward();
        float[] tableBefore = table.data().toArray();
        float[] weightBefore = weight.data().toArray();
        new SGD(model.parameters(), LR).step();
        float[] tableAfter = table.data().toArray();
        List<Integer> changed = new ArrayList<>();
        for (int r = 0; r < tableRows; r++) {
            float[] before = Arrays.copyOfRange(tableBefore, r * DIM, (r + 1) * DIM);
            float[] after = Arrays.copyOfRange(tableAfter, r * DIM, (r + 1) * DIM);
            if (!Arrays.equals(before, after)) {
                changed.add(r);
                printVector(String.format(Locale.ROOT, "E row %2d %-24s after - before", r,
                        shortMeaning(meaning.get(r))), difference(after, before));
            }
        }
        List<Integer> unchangedUsed = new ArrayList<>(used);
        unchangedUsed.removeAll(changed);
        line("E rows changed: %d of the %d the batch uses, each by -%s dL/dE_r; unchanged, bit for bit: %s",
                changed.size(), used.size(), LR, unchangedUsed);
        printMatrix("W after - before", Tensor.of(difference(weight.data().toArray(), weightBefore), 2, DIM));
        float[] zAfter = logitsOf(model, bags);
        for (int i = 0; i < n; i++) {
            double before = pt[i];
            double after = softmax(zAfter[2 * i], zAfter[2 * i + 1])[LABELS[i]];
            line("row %d  p_t %.6f -> %.6f  (g was %d)", i, before, after, (int) gate[i]);
        }
        double lossAfter = gated.compute(zAfter, n, 2, LABELS, null);
        line("gated loss %.6f -> %.6f; plain CE %.6f -> %.6f", loss, lossAfter, ce.compute(z, n, 2, LABELS, null),
                ce.compute(zAfter, n, 2, LABELS, null));

        section("14. The same gated step under Adam, after one Adam step of plain cross entropy");
        model.zeroGrad();
        var adam = new dev.keel.nn.optim.Adam(model.parameters(), 0.01);
        Functional.loss(model.forward(bags), LABELS, ce).backward();
        adam.step();
        model.zeroGrad();
        Functional.loss(model.forward(bags), LABELS, gated).backward();
        float[] gatedGrad = table.grad().toArray();
        float[] beforeAdam = table.data().toArray();
        adam.step();
        float[] afterAdam = table.data().toArray();
        List<Integer> movedWithoutGradient = new ArrayList<>();
        for (int r : used) {
            boolean noGradient = allZero(Arrays.copyOfRange(gatedGrad, r * DIM, (r + 1) * DIM));
            boolean moved = !Arrays.equals(Arrays.copyOfRange(beforeAdam, r * DIM, (r + 1) * DIM),
                    Arrays.copyOfRange(afterAdam, r * DIM, (r + 1) * DIM));
            if (noGradient && moved) {
                movedWithoutGradient.add(r);
            }
        }
        line("rows of E with gradient exactly 0 in the gated step that Adam still moved (by momentum): %s",
                movedWithoutGradient);
        if (!movedWithoutGradient.isEmpty()) {
            int r = movedWithoutGradient.get(0);
            printVector(String.format(Locale.ROOT, "E row %2d %-24s after - before", r, shortMeaning(meaning.get(r))),
                    difference(Arrays.copyOfRange(afterAdam, r * DIM, (r + 1) * DIM),
                            Arrays.copyOfRange(beforeAdam, r * DIM, (r + 1) * DIM)));
        }
        return new Result(z, pt, gate, loss, inDouble, binary, gz, gTable, checks, maxDiff, changed, used, lossAfter,
                reversed, movedWithoutGradient);
    }

    // ---------------------------------------------------------------- small helpers

    private static float[] logitsOf(BagOfEmbeddingsClassifier model, IdBags bags) {
        float[] z = new float[bags.size() * 2];
        model.logits(bags, z);
        return z;
    }

    /** softmax of two logits, in double. */
    private static double[] softmax(float z0, float z1) {
        double max = Math.max(z0, z1);
        double e0 = Math.exp(z0 - max);
        double e1 = Math.exp(z1 - max);
        return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
    }

    /** The report's step as printed: 1 for x < 0, 1/2 at 0, 0 above (slip 1). */
    private static double reversedStep(double x) {
        return x < 0 ? 1 : x == 0 ? 0.5 : 0;
    }

    private static float[] difference(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static List<Integer> gatedRows(double[] gate) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < gate.length; i++) {
            if (gate[i] == 0) {
                rows.add(i);
            }
        }
        return rows;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    private static boolean allZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }

    /** -0.0 printed as 0: a gated row's target column is {@code -(0 * q)}, IEEE's negative zero. */
    private static float plus(float v) {
        return v + 0f;
    }

    private static float[] plus(float[] v) {
        float[] c = v.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += 0f;
        }
        return c;
    }

    private static List<Integer> boxed(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) {
            l.add(v);
        }
        return l;
    }

    private static String shortMeaning(TreeSet<String> words) {
        String s = words == null ? "" : String.join(",", words);
        return "(" + (s.length() > 22 ? s.substring(0, 21) + "…" : s) + ")";
    }

    private static String summary(GradCheck.Result r) {
        return String.format(Locale.ROOT, "%s, %d elements, max |analytic - numeric| %.2e, worst at %.3f of its "
                + "tolerance", r.passed() ? "passed" : "FAILED", r.checked(), r.maxAbsError(), r.worstRatio());
    }

    private void section(String title) {
        out.println();
        out.println("== " + title);
    }

    private void line(String format, Object... args) {
        out.println("  " + String.format(Locale.ROOT, format, args));
    }

    private void printVector(String label, float[] v) {
        StringBuilder s = new StringBuilder("  ").append(label).append(" = [");
        for (int i = 0; i < v.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%9.6f", v[i]));
        }
        out.println(s.append(']'));
    }

    private void printMatrix(String label, Tensor m) {
        out.println("  " + label + " =");
        for (int r = 0; r < m.rows(); r++) {
            printVector("  row " + r, plus(m.row(r).toArray()));
        }
    }

}

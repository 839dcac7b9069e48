package dev.keel.classifier;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a model turns logits into a class: the largest of {@code z_c + offset_c}. With every offset 0
 * that is argmax; under class imbalance argmax is rarely what maximises macro-F1 (a rare class needs
 * a lower bar), so {@link #tune} chooses offsets on held-out logits to maximise a {@link Metric}.
 * For two classes only the difference matters: one threshold on {@code z_1 - z_0}, scanned exactly.
 * For more, coordinate ascent: each class's offset in turn is set to its best value given the
 * others (every value where a row's decision changes is tried), until a round changes nothing.
 *
 * <p>Offsets are logits' units, so they also express logit adjustment's post-hoc form (Menon et al.
 * 2020): {@code offset_c = -tau log prior_c}. Stored in the model folder's manifest and applied by
 * {@code predict}, {@code eval} and {@link TextClassifier}. Probabilities are never changed: only the
 * decision.
 *
 * @param offsets one per class, finite
 * @param metric  what they were chosen for ({@code "macro_f1"}, {@code "f1:LABEL"}, {@code "logit_adjustment"}...)
 */
public record DecisionRule(float[] offsets, String metric) {

    public DecisionRule {
        offsets = offsets.clone();
        for (int c = 0; c < offsets.length; c++) {
            if (!Float.isFinite(offsets[c])) {
                throw new IllegalArgumentException("decision offset " + offsets[c] + " of class " + c + " is not finite");
            }
        }
        if (metric == null || metric.isEmpty()) {
            throw new IllegalArgumentException("a decision rule needs the metric it was chosen for");
        }
    }

    /** What offsets are tuned to maximise: macro-F1, or the F1 of one class. */
    public record Metric(String name, int classIndex) {

        public static final Metric MACRO_F1 = new Metric("macro_f1", -1);

        /** {@code macro_f1} or {@code f1:LABEL} (a label of {@code labels}). */
        public static Metric parse(String text, List<String> labels) {
            if (text.equals("macro_f1")) {
                return MACRO_F1;
            }
            if (text.startsWith("f1:") && labels.contains(text.substring(3))) {
                return new Metric(text, labels.indexOf(text.substring(3)));
            }
            throw new IllegalArgumentException("unknown metric '" + text + "'; use macro_f1 or f1:LABEL with a label of "
                    + labels);
        }

        /** The metric of a confusion matrix (rows: true class). */
        double of(int[][] confusion) {
            int classes = confusion.length;
            if (classIndex >= 0) {
                return f1(confusion, classIndex);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += f1(confusion, c);
            }
            return sum / classes;
        }

        private static double f1(int[][] confusion, int c) {
            long tp = confusion[c][c], predicted = 0, actual = 0;
            for (int k = 0; k < confusion.length; k++) {
                predicted += confusion[k][c];
                actual += confusion[c][k];
            }
            return predicted + actual == 0 ? 0 : 2.0 * tp / (predicted + actual);
        }
    }

    /** The class of each row: the largest {@code logits[r][c] + offsets[c]} (the first on ties). */
    public int[] decide(float[] logits, int rows, int classes) {
        if (offsets.length != classes) {
            throw new IllegalArgumentException("the decision rule has " + offsets.length + " offsets, the logits "
                    + classes + " classes");
        }
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = decide(logits, r * classes, classes, offsets);
        }
        return out;
    }

    private static int decide(float[] logits, int o, int classes, float[] offsets) {
        int best = 0;
        float bestValue = logits[o] + offsets[0];
        for (int c = 1; c < classes; c++) {
            float v = logits[o + c] + offsets[c];
            if (v > bestValue) {
                best = c;
                bestValue = v;
            }
        }
        return best;
    }

    /**
     * The offsets that maximise {@code metric} on these held-out logits; among equally good ones, the
     * middle of the best interval nearest argmax (offsets 0 where that is among the best).
     */
    public static DecisionRule tune(float[] logits, int rows, int classes, int[] labels, Metric metric) {
        float[] offsets = new float[classes];
        if (rows == 0) {
            return new DecisionRule(offsets, metric.name());
        }
        double best = score(logits, rows, classes, labels, offsets, metric);
        for (int round = 0; round < 20; round++) {
            boolean changed = false;
            for (int c = classes == 2 ? 1 : 0; c < classes; c++) { // two classes: one threshold is enough
                float before = offsets[c];
                double score = bestOffset(logits, rows, classes, labels, offsets, c, metric);
                if (score > best + 1e-12) {
                    best = score;
                    changed = true;
                } else {
                    offsets[c] = before;
                }
            }
            if (!changed) {
                break;
            }
        }
        return new DecisionRule(offsets, metric.name());
    }

    /**
     * Sets {@code offsets[c]} to its best value given the others and returns the metric there. The
     * candidates are the midpoints between consecutive values of {@code need_r = max_{k != c}(z_k +
     * b_k) - z_c} (above {@code need_r} row r goes to c), and one beyond each end.
     */
    private static double bestOffset(float[] logits, int rows, int classes, int[] labels, float[] offsets, int c,
                                     Metric metric) {
        double[] need = new double[rows];
        int[] other = new int[rows]; // each row's decision when c does not win
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            int bestOther = -1;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double v = (double) logits[o + k] + offsets[k];
                if (k != c && v > bestValue) {
                    bestOther = k;
                    bestValue = v;
                }
            }
            other[r] = bestOther;
            need[r] = bestValue - logits[o + c];
        }
        Integer[] order = new Integer[rows];
        for (int r = 0; r < rows; r++) {
            order[r] = r;
        }
        Arrays.sort(order, (a, b) -> Double.compare(need[a], need[b]));
        // Start with offset below every need: c wins no row; then let rows go to c in order of need.
        int[][] confusion = new int[classes][classes];
        for (int r = 0; r < rows; r++) {
            confusion[labels[r]][other[r]]++;
        }
        double bestScore = metric.of(confusion);
        double bestLow = Double.NEGATIVE_INFINITY, bestHigh = need[order[0]];
        for (int i = 0; i < rows; ) {
            double value = need[order[i]];
            for (; i < rows && need[order[i]] == value; i++) { // ties at exactly one value move together
                int r = order[i];
                confusion[labels[r]][other[r]]--;
                confusion[labels[r]][c]++;
            }
            double score = metric.of(confusion);
            double high = i < rows ? need[order[i]] : Double.POSITIVE_INFINITY;
            if (score > bestScore + 1e-12 || (score > bestScore - 1e-12 && Math.abs(pick(value, high))
                    < Math.abs(pick(bestLow, bestHigh)))) {
                bestScore = Math.max(bestScore, score);
                bestLow = value;
                bestHigh = high;
            }
        }
        offsets[c] = (float) pick(bestLow, bestHigh);
        // the float offset must decide as the double did: recount with it
        return score(logits, rows, classes, labels, offsets, metric);
    }

    /** The offset chosen in (low, high): 0 (argmax) when it lies inside, else the middle. */
    private static double pick(double low, double high) {
        return low < 0 && 0 < high ? 0 : mid(low, high);
    }

    /** A point strictly inside (low, high): c wins the rows whose need is below it. */
    private static double mid(double low, double high) {
        if (low == Double.NEGATIVE_INFINITY) {
            return high - 1;
        }
        if (high == Double.POSITIVE_INFINITY) {
            return low + 1;
        }
        return (low + high) / 2;
    }

    private static double score(float[] logits, int rows, int classes, int[] labels, float[] offsets, Metric metric) {
        int[][] confusion = new int[classes][classes];
        for (int r = 0; r < rows; r++) {
            confusion[labels[r]][decide(logits, r * classes, classes, offsets)]++;
        }
        return metric.of(confusion);
    }

    /** As the manifest stores it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Double> list = new java.util.ArrayList<>();
        for (float v : offsets) {
            list.add(Double.parseDouble(Float.toString(v)));
        }
        m.put("offsets", list);
        m.put("metric", metric);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecisionRule d && Arrays.equals(offsets, d.offsets) && metric.equals(d.metric);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(offsets) + metric.hashCode();
    }

    @Override
    public String toString() {
        return "offsets " + Arrays.toString(offsets) + " for " + metric;
    }
}

package dev.keel.nn.loss;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-weighted cross entropy: {@code l = -w_t log p_t}, {@code B = w_t}; the mean reduction is
 * the weighted mean {@code sum_i w_ti l_i / sum_i w_ti}, as PyTorch defines it. Written
 * {@code weighted_ce[:w=W/W/...]}: per-class weights, finite and {@code >= 0} (at least one above
 * 0); without {@code w}, inverse class frequency of the training rows, {@code w_c = rows / (classes
 * count_c)} (mean weight 1 per row, scikit-learn's {@code class_weight="balanced"}), filled in by
 * {@link #forClasses}.
 *
 * @param weights one per class, or null for inverse class frequency (not yet resolved)
 */
public record WeightedCrossEntropy(float[] weights) implements LossKind {

    static final String NAME = "weighted_ce";
    static final LossSyntax SYNTAX = new LossSyntax(NAME, false,
            List.of(LossSyntax.Option.perClass("w", "weights")),
            values -> new WeightedCrossEntropy(values.numbers("w")));

    public WeightedCrossEntropy {
        if (weights != null) {
            weights = LossSyntax.checkedPerClass(weights, NAME, "class weight", "w", 0f, true, Float.MAX_VALUE,
                    "finite and >= 0");
        }
    }

    /** Inverse class frequency, resolved by {@link #forClasses}. */
    public static WeightedCrossEntropy inverseClassFrequency() {
        return new WeightedCrossEntropy(null);
    }

    /** {@code rows / (classes * count_c)}; a class with no rows gets weight 0. */
    public static double[] inverseFrequency(int[] classCounts) {
        long rows = Arrays.stream(classCounts).asLongStream().sum();
        double[] w = new double[classCounts.length];
        for (int c = 0; c < w.length; c++) {
            w[c] = classCounts[c] == 0 ? 0 : (double) rows / ((double) classCounts.length * classCounts[c]);
        }
        return w;
    }

    @Override
    public float[] weights() {
        return weights == null ? null : weights.clone();
    }

    @Override
    public String specName() {
        return NAME;
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("w", weights != null ? LossSyntax.decimals(weights) : "inverse class frequency");
        return options;
    }

    @Override
    public LossKind forClasses(int[] classCounts) {
        if (weights != null) {
            checkClasses(classCounts.length);
            return this;
        }
        double[] w = inverseFrequency(classCounts);
        float[] floats = new float[w.length];
        for (int c = 0; c < w.length; c++) {
            floats[c] = (float) w[c];
        }
        return new WeightedCrossEntropy(floats);
    }

    @Override
    public void checkClasses(int classes) {
        LossSyntax.checkLength(weights, classes, NAME, "weights"); // inverse class frequency fits any count
    }

    @Override
    public float[] classWeights() {
        return weights();
    }

    @Override
    public void row(LossRow row, double weight, double logPt, double pt, double q) {
        CrossEntropy.weighted(row, weight, logPt);
    }

    @Override
    @SuppressWarnings("exports")
    public VectorPhase[] vectorRow(boolean binaryStatistics) {
        return CrossEntropy.Vector.ROW;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightedCrossEntropy other && Arrays.equals(weights, other.weights);
    }

    @Override
    public String toString() {
        return written();
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights);
    }
}

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
 * count_c)} (mean weight 1 per row, scikit-learn's {@code class_weight="balanced"}); or with
 * {@code b=BETA} in [0, 1) the class-balanced weights of Cui et al. 2019, inversely proportional to
 * each class's effective number of rows {@code (1 - BETA^count_c) / (1 - BETA)} and scaled to a mean
 * weight of 1 per row (BETA 0: all 1; towards 1: inverse frequency). Defaults are filled in by
 * {@link #forClasses}.
 *
 * @param weights one per class, or null for a default from the class counts (not yet resolved)
 * @param beta    the effective number's BETA, or NaN for inverse frequency (with {@code weights} null)
 */
public record WeightedCrossEntropy(float[] weights, float beta) implements LossKind {

    static final String NAME = "weighted_ce";
    static final LossSyntax SYNTAX = new LossSyntax(NAME, false,
            List.of(LossSyntax.Option.perClass("w", "weights"), LossSyntax.Option.number("b", "beta", null)),
            values -> new WeightedCrossEntropy(values.numbers("w"), values.number("b")));

    public WeightedCrossEntropy {
        if (weights != null) {
            weights = LossSyntax.checkedPerClass(weights, NAME, "class weight", "w", 0f, true, Float.MAX_VALUE,
                    "finite and >= 0");
            if (!Float.isNaN(beta)) {
                throw new IllegalArgumentException(NAME + ": give class weights w or an effective number's b, not both");
            }
        } else if (!Float.isNaN(beta)) {
            LossSyntax.check(beta >= 0f && beta < 1f, NAME, "beta", "b", beta, "0 <= b < 1");
        }
    }

    /** Given weights (null: inverse class frequency). */
    public WeightedCrossEntropy(float[] weights) {
        this(weights, Float.NaN);
    }

    /** Inverse class frequency, resolved by {@link #forClasses}. */
    public static WeightedCrossEntropy inverseClassFrequency() {
        return new WeightedCrossEntropy(null);
    }

    /** Cui et al.'s class-balanced weights for these counts (effective number, mean weight 1 per row); empty classes 0. */
    public static double[] effectiveNumberWeights(int[] classCounts, double beta) {
        double[] w = new double[classCounts.length];
        long rows = 0;
        double weighted = 0;
        for (int c = 0; c < w.length; c++) {
            int n = classCounts[c];
            w[c] = n == 0 ? 0 : (1 - beta) / (1 - Math.pow(beta, n));
            rows += n;
            weighted += w[c] * n;
        }
        for (int c = 0; c < w.length; c++) {
            w[c] *= rows / weighted;
        }
        return w;
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
        if (!Float.isNaN(beta)) {
            options.put("b", LossSyntax.decimal(beta));
        }
        options.put("w", weights != null ? LossSyntax.decimals(weights)
                : Float.isNaN(beta) ? "inverse class frequency" : "effective number");
        return options;
    }

    @Override
    public LossKind forClasses(int[] classCounts) {
        if (weights != null) {
            checkClasses(classCounts.length);
            return this;
        }
        double[] w = Float.isNaN(beta) ? inverseFrequency(classCounts) : effectiveNumberWeights(classCounts, beta);
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
    public LossKind unweighted() {
        return new CrossEntropy();
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
        return o instanceof WeightedCrossEntropy other && Arrays.equals(weights, other.weights)
                && Float.compare(beta, other.beta) == 0;
    }

    @Override
    public String toString() {
        return written();
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + Float.hashCode(beta);
    }
}

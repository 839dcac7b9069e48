package dev.keel.nn.loss;

import java.util.List;
import java.util.Map;

/**
 * Binary cross entropy on one logit {@code x} per row ({@code classes == 1}), target {@code y} in
 * {0, 1}: {@code l = max(x, 0) - x y + log1p(exp(-|x|))}, {@code d l / dx = s - y}. A binary row is a
 * two-class softmax over {@code (0, x)}, so this is {@link CrossEntropy} on it ({@code B = 1}).
 * Written {@code bce}; no options.
 */
public record BinaryCrossEntropy() implements LossKind {

    static final LossSyntax SYNTAX = new LossSyntax("bce", true, List.of(), values -> new BinaryCrossEntropy());

    @Override
    public String specName() {
        return "bce";
    }

    @Override
    public boolean binary() {
        return true;
    }

    @Override
    public Map<String, Object> options() {
        return Map.of();
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
}

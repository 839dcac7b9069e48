package dev.keel.nn.loss;

import java.util.List;
import java.util.Map;

/**
 * The report's gate on a sigmoid: {@code l = lambda bce}, {@code d l / dx = lambda (s - y)} with
 * {@code lambda = 1 - theta(y - m) theta(s - m) - theta(1 - m - y) theta(1 - m - s)}: positives stop
 * training above {@code m}, negatives below {@code 1 - m}. On the binary row that {@code lambda} is
 * {@code theta(m - p_t)}, so this is {@link GatedCrossEntropy} on it. Written
 * {@code gated_bce[:m=0.7]}, {@code 0.5 < m < 1}.
 *
 * @param margin {@code m}
 */
public record GatedBinaryCrossEntropy(float margin) implements LossKind {

    static final String NAME = "gated_bce";
    static final LossSyntax SYNTAX = new LossSyntax(NAME, true,
            List.of(LossSyntax.Option.number("m", "margin", GatedCrossEntropy.DEFAULT_MARGIN)),
            values -> new GatedBinaryCrossEntropy(values.number("m")));

    public GatedBinaryCrossEntropy {
        LossSyntax.check(margin > 0.5f && margin < 1f, NAME, "margin", "m", margin, "0.5 < m < 1");
    }

    @Override
    public String specName() {
        return NAME;
    }

    @Override
    public boolean binary() {
        return true;
    }

    @Override
    public Map<String, Object> options() {
        return Map.of("m", LossSyntax.decimal(margin));
    }

    @Override
    public void row(LossRow row, double weight, double logPt, double pt, double q) {
        GatedCrossEntropy.gated(row, margin, logPt, pt);
    }

    @Override
    @SuppressWarnings("exports")
    public VectorPhase[] vectorRow(boolean binaryStatistics) {
        return GatedCrossEntropy.Vector.ROW;
    }
}

package dev.keel.nn.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's sigmoid focal loss, on one logit per row: {@code l = a_y (1 - p_t)^gamma bce} with
 * {@code p_t = s} for {@code y = 1} and {@code 1 - s} for {@code y = 0}; {@code a_1 = alpha},
 * {@code a_0 = 1 - alpha}, no {@code a} for a negative alpha. {@link FocalLoss} on the binary row
 * (computed without torchvision's NaN: {@code 1 - p_t} is {@code sigma(-x)} or {@code sigma(x)}, never
 * a cancellation). Written {@code sigmoid_focal[:g=2][:a=0.25]}: {@code gamma} in [0, 10], alpha in
 * [0, 1] or negative (the default) for none.
 *
 * @param gamma {@code gamma}
 * @param alpha {@code alpha}, or negative for none
 */
public record SigmoidFocalLoss(float gamma, float alpha) implements LossKind {

    static final String NAME = "sigmoid_focal";
    static final LossSyntax SYNTAX = new LossSyntax(NAME, true,
            List.of(LossSyntax.Option.number("g", "gamma", FocalLoss.DEFAULT_GAMMA),
                    LossSyntax.Option.number("a", "alpha", -1.0)),
            values -> new SigmoidFocalLoss(values.number("g"), values.number("a")));

    public SigmoidFocalLoss {
        FocalLoss.checkGamma(NAME, gamma);
        LossSyntax.check(!Float.isNaN(alpha) && alpha <= 1f, NAME, "alpha", "a", alpha,
                "0 <= a <= 1, or negative for none");
        alpha = alpha < 0 ? -1f : alpha;
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
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("g", LossSyntax.decimal(gamma));
        if (alpha >= 0) {
            options.put("a", LossSyntax.decimal(alpha));
        }
        return options;
    }

    @Override
    public double binaryWeight(int y) {
        return alpha < 0 ? 1 : y == 1 ? alpha : 1 - alpha;
    }

    @Override
    public void row(LossRow row, double weight, double logPt, double pt, double q) {
        FocalLoss.focal(row, gamma, weight, logPt, pt, q);
    }

    @Override
    @SuppressWarnings("exports")
    public VectorPhase[] vectorRow(boolean binaryStatistics) {
        return FocalLoss.Vector.row(gamma, binaryStatistics);
    }
}

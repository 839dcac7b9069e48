package dev.keel.nn.loss;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.List;
import java.util.Map;

/**
 * The report's gated cross entropy: {@code l = -theta(m - p_t) log p_t}, {@code B = theta(m - p_t)}
 * (the gate is a constant, as in the report). A row trains only while its true class's probability
 * is at most the margin {@code m} (the "wrong-easily area"), with half weight exactly at it; beyond
 * it loss and gradient are 0. Written {@code gated[:m=0.7]}, {@code 1/classes < m < 1}.
 *
 * @param margin {@code m}
 */
public record GatedCrossEntropy(float margin) implements LossKind {

    static final String NAME = "gated";
    /** The margin when none is given. */
    public static final double DEFAULT_MARGIN = 0.7;
    static final LossSyntax SYNTAX = new LossSyntax(NAME, false,
            List.of(LossSyntax.Option.number("m", "margin", DEFAULT_MARGIN)),
            values -> new GatedCrossEntropy(values.number("m")));

    public GatedCrossEntropy {
        checkMargin(NAME, margin);
    }

    /** A margin in (0, 1); the lower bound 1/classes is checked against the data ({@link #checkClasses}). */
    static void checkMargin(String kind, float margin) {
        LossSyntax.check(margin > 0f && margin < 1f, kind, "margin", "m", margin, "1/classes < m < 1");
    }

    @Override
    public String specName() {
        return NAME;
    }

    @Override
    public Map<String, Object> options() {
        return Map.of("m", LossSyntax.decimal(margin));
    }

    @Override
    public void checkClasses(int classes) {
        LossSyntax.checkMargin(NAME, margin, classes);
    }

    @Override
    public void row(LossRow row, double weight, double logPt, double pt, double q) {
        gated(row, margin, logPt, pt);
    }

    /** {@code g = theta(m - p_t)}: {@code l = -g log p_t}, {@code B = g}. */
    static void gated(LossRow row, float margin, double logPt, double pt) {
        double gate = LossRow.theta(margin - pt);
        row.set(-gate * logPt, gate);
    }

    @Override
    @SuppressWarnings("exports")
    public VectorPhase[] vectorRow(boolean binaryStatistics) {
        return Vector.ROW;
    }

    /** The vector form (loaded on the vector path only). */
    static final class Vector {
        static final VectorPhase[] ROW = {Vector::gated};

        /** {@link GatedCrossEntropy#gated} by lanes: the gate 1 below the margin, 1/2 on it, 0 above. */
        static void gated(LossBlock block) {
            float margin = block.kind.margin();
            for (int i = 0; i < block.n; i += LossBlock.L) {
                FloatVector pt = FloatVector.fromArray(LossBlock.F, block.pt, i);
                FloatVector gate = FloatVector.zero(LossBlock.F)
                        .blend(0.5f, pt.compare(VectorOperators.EQ, margin))
                        .blend(1f, pt.compare(VectorOperators.LT, margin));
                gate.mul(FloatVector.fromArray(LossBlock.F, block.logPt, i)).neg().intoArray(block.loss, i);
                gate.mul(block.gradScale).intoArray(block.coefficient, i);
            }
        }
    }
}

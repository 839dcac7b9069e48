package dev.keel.nn.loss;

import jdk.incubator.vector.FloatVector;

import java.util.List;
import java.util.Map;

/**
 * Cross entropy over a softmax: {@code l = -log p_t}, {@code d l / d z_j = p_j - [j = t]}, so
 * {@code B = 1}. Written {@code ce}; no options.
 */
public record CrossEntropy() implements LossKind {

    static final LossSyntax SYNTAX = new LossSyntax("ce", false, List.of(), values -> new CrossEntropy());

    @Override
    public String specName() {
        return "ce";
    }

    @Override
    public Map<String, Object> options() {
        return Map.of();
    }

    @Override
    public void row(LossRow row, double weight, double logPt, double pt, double q) {
        weighted(row, weight, logPt);
    }

    /** {@code l = -w log p_t}, {@code B = w}: cross entropy with a row weight (1, {@code w_t}, {@code a_y}). */
    static void weighted(LossRow row, double weight, double logPt) {
        row.set(-weight * logPt, weight);
    }

    @Override
    @SuppressWarnings("exports")
    public VectorPhase[] vectorRow(boolean binaryStatistics) {
        return Vector.ROW;
    }

    /** The vector form (loaded on the vector path only). */
    static final class Vector {
        static final VectorPhase[] ROW = {Vector::weighted};

        /** {@link CrossEntropy#weighted} by lanes: {@code l = -w log p_t}, {@code B = w}. */
        static void weighted(LossBlock block) {
            for (int i = 0; i < block.n; i += LossBlock.L) {
                FloatVector weight = FloatVector.fromArray(LossBlock.F, block.weight, i);
                weight.mul(FloatVector.fromArray(LossBlock.F, block.logPt, i)).neg().intoArray(block.loss, i);
                weight.mul(block.gradScale).intoArray(block.coefficient, i);
            }
        }
    }
}

package dev.keel.nn.loss;

import dev.keel.core.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gate softened into a sigmoid of sharpness {@code k}: {@code l = -w log p_t} with
 * {@code w = sigma(k (m - p_t))}, differentiated like any other factor (the chain rule through
 * {@code p_t}): {@code B = w - k w (1 - w) p_t log p_t}. As {@code k} grows it tends to
 * {@link GatedCrossEntropy}, including the half weight on the edge. Written
 * {@code soft_gated[:m=0.7][:k=20]}, {@code 1/classes < m < 1}, {@code k > 0} finite.
 *
 * @param margin    {@code m}
 * @param sharpness {@code k}
 */
public record SoftGatedCrossEntropy(float margin, float sharpness) implements LossKind {

    static final String NAME = "soft_gated";
    /** The sharpness when none is given. */
    public static final double DEFAULT_SHARPNESS = 20;
    static final LossSyntax SYNTAX = new LossSyntax(NAME, false,
            List.of(LossSyntax.Option.number("m", "margin", GatedCrossEntropy.DEFAULT_MARGIN),
                    LossSyntax.Option.number("k", "sharpness", DEFAULT_SHARPNESS)),
            values -> new SoftGatedCrossEntropy(values.number("m"), values.number("k")));

    public SoftGatedCrossEntropy {
        GatedCrossEntropy.checkMargin(NAME, margin);
        LossSyntax.check(sharpness > 0f && sharpness < Float.POSITIVE_INFINITY, NAME, "sharpness", "k", sharpness,
                "k > 0, finite");
    }

    @Override
    public String specName() {
        return NAME;
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("m", LossSyntax.decimal(margin));
        options.put("k", LossSyntax.decimal(sharpness));
        return options;
    }

    @Override
    public void checkClasses(int classes) {
        LossSyntax.checkMargin(NAME, margin, classes);
    }

    @Override
    public void row(LossRow row, double weight, double logPt, double pt, double q) {
        double k = sharpness;
        double y = k * (margin - pt);
        double e = Math.exp(-Math.abs(y));
        double w = y >= 0 ? 1 / (1 + e) : e / (1 + e);          // sigma(y), without 1 - sigma's cancellation
        double oneMinusW = y >= 0 ? e / (1 + e) : 1 / (1 + e);
        row.set(-w * logPt, w - k * w * oneMinusW * pt * logPt);
    }

    @Override
    @SuppressWarnings("exports")
    public VectorPhase[] vectorRow(boolean binaryStatistics) {
        return Vector.ROW;
    }

    /** The vector form (loaded on the vector path only): the sigmoid's exp in a phase of its own. */
    static final class Vector {
        static final VectorPhase[] ROW = {
            Vector::gateArguments,
            block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),
            Vector::softGated,
        };

        /** {@code -|k (m - p_t)|} into scratch, for the sigmoid's exp. */
        static void gateArguments(LossBlock block) {
            SoftGatedCrossEntropy kind = (SoftGatedCrossEntropy) block.kind;
            FloatVector margin = FloatVector.broadcast(LossBlock.F, kind.margin);
            for (int i = 0; i < block.n; i += LossBlock.L) {
                margin.sub(FloatVector.fromArray(LossBlock.F, block.pt, i)).mul(kind.sharpness).abs().neg()
                        .intoArray(block.scratch, i);
            }
        }

        /** {@link SoftGatedCrossEntropy#row} by lanes, with {@code e = exp(-|k (m - p_t)|)} in scratch. */
        static void softGated(LossBlock block) {
            SoftGatedCrossEntropy kind = (SoftGatedCrossEntropy) block.kind;
            float margin = kind.margin;
            float sharpness = kind.sharpness;
            FloatVector one = FloatVector.broadcast(LossBlock.F, 1f);
            for (int i = 0; i < block.n; i += LossBlock.L) {
                FloatVector pt = FloatVector.fromArray(LossBlock.F, block.pt, i);
                FloatVector logPt = FloatVector.fromArray(LossBlock.F, block.logPt, i);
                FloatVector e = FloatVector.fromArray(LossBlock.F, block.scratch, i);
                FloatVector sigmoidAbs = one.div(one.add(e));
                FloatVector sigmoidNegAbs = e.mul(sigmoidAbs);
                VectorMask<Float> nonNegative = pt.compare(VectorOperators.LE, margin); // k (m - p_t) >= 0
                FloatVector w = sigmoidNegAbs.blend(sigmoidAbs, nonNegative);
                FloatVector oneMinusW = sigmoidAbs.blend(sigmoidNegAbs, nonNegative);
                w.mul(logPt).neg().intoArray(block.loss, i);
                w.sub(w.mul(oneMinusW).mul(pt).mul(logPt).mul(sharpness)).mul(block.gradScale)
                        .intoArray(block.coefficient, i);
            }
        }
    }
}

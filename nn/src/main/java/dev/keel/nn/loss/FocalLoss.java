package dev.keel.nn.loss;

import dev.keel.core.kernel.VectorMath;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Focal loss (Lin et al. 2017) over a softmax: {@code l = -a_t q^gamma log p_t},
 * {@code B = a_t q^gamma (1 - gamma p_t log(p_t) / q)}. {@code q^(gamma-1) log p} is written as
 * {@code q^gamma (log p / q)}: the ratio tends to -1 as {@code q -> 0}, so nothing diverges;
 * {@code 0^0 = 1}, so {@code gamma = 0} is exactly cross entropy. Written
 * {@code focal[:g=2][:a=A/A/...]}: {@code gamma} in [0, 10] (the range the specification guarantees
 * finite results for); per-class {@code alpha} in (0, 1], all 1 when absent.
 *
 * @param gamma {@code gamma}
 * @param alpha per-class {@code a_t}, or null for none
 */
public record FocalLoss(float gamma, float[] alpha) implements LossKind {

    static final String NAME = "focal";
    /** gamma when none is given. */
    public static final double DEFAULT_GAMMA = 2;
    /** The largest gamma: the specification's numerical contract holds up to it. */
    public static final float MAX_GAMMA = 10;
    static final LossSyntax SYNTAX = new LossSyntax(NAME, false,
            List.of(LossSyntax.Option.number("g", "gamma", DEFAULT_GAMMA), LossSyntax.Option.perClass("a", "alpha")),
            values -> new FocalLoss(values.number("g"), values.numbers("a")));

    public FocalLoss {
        checkGamma(NAME, gamma);
        if (alpha != null) {
            alpha = LossSyntax.checkedPerClass(alpha, NAME, "alpha", "a", 0f, false, 1f, "in (0, 1]");
        }
    }

    /** Without alpha. */
    public FocalLoss(float gamma) {
        this(gamma, null);
    }

    static void checkGamma(String kind, float gamma) {
        LossSyntax.check(gamma >= 0f && gamma <= MAX_GAMMA, kind, "gamma", "g", gamma, "0 <= g <= 10");
    }

    @Override
    public float[] alpha() {
        return alpha == null ? null : alpha.clone();
    }

    @Override
    public String specName() {
        return NAME;
    }

    @Override
    public Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("g", LossSyntax.decimal(gamma));
        if (alpha != null) {
            options.put("a", LossSyntax.decimals(alpha));
        }
        return options;
    }

    @Override
    public void checkClasses(int classes) {
        LossSyntax.checkLength(alpha, classes, NAME, "alpha");
    }

    @Override
    public LossKind unweighted() {
        return alpha == null ? this : new FocalLoss(gamma);
    }

    @Override
    public float[] classWeights() {
        return alpha();
    }

    @Override
    public void row(LossRow row, double weight, double logPt, double pt, double q) {
        focal(row, gamma, weight, logPt, pt, q);
    }

    /** {@code l = -a q^gamma log p_t}, {@code B = a q^gamma (1 - gamma p_t log(p_t) / q)}. */
    static void focal(LossRow row, float gamma, double a, double logPt, double pt, double q) {
        double qGamma = Math.pow(q, gamma); // pow(0, 0) == 1, as the spec takes 0^0
        double ratio = q > 0 ? logPt / q : -1;
        row.set(-a * qGamma * logPt, a * qGamma * (1 - gamma * pt * ratio));
    }

    @Override
    @SuppressWarnings("exports")
    public VectorPhase[] vectorRow(boolean binaryStatistics) {
        return Vector.row(gamma, binaryStatistics);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FocalLoss other && Float.compare(gamma, other.gamma) == 0 && Arrays.equals(alpha, other.alpha);
    }

    @Override
    public String toString() {
        return written();
    }

    @Override
    public int hashCode() {
        return 31 * Float.hashCode(gamma) + Arrays.hashCode(alpha);
    }

    /**
     * The vector form (loaded on the vector path only), for focal and sigmoid_focal: {@code q^gamma}
     * as {@code exp(gamma log q)} into scratch, from {@code q} or from the binary statistics' exact
     * {@code log q}; then {@link #focal}. With {@code gamma = 0}, {@code q^0 = 1}, also for {@code q = 0}.
     */
    static final class Vector {
        private static final VectorPhase[] FROM_Q = {
            block -> VectorMath.log(block.q, 0, block.scratch, 0, block.n),
            Vector::timesGamma,
            block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),
            Vector::focal,
        };
        private static final VectorPhase[] FROM_LOG_Q = {
            block -> System.arraycopy(block.logQ, 0, block.scratch, 0, block.n),
            Vector::timesGamma,
            block -> VectorMath.exp(block.scratch, 0, block.scratch, 0, block.n),
            Vector::focal,
        };
        private static final VectorPhase[] GAMMA_ZERO = {
            block -> Arrays.fill(block.scratch, 0, block.n, 1f),
            Vector::focal,
        };

        static VectorPhase[] row(float gamma, boolean binaryStatistics) {
            return gamma == 0f ? GAMMA_ZERO : binaryStatistics ? FROM_LOG_Q : FROM_Q;
        }

        private static float gamma(LossBlock block) {
            return block.kind instanceof FocalLoss focal ? focal.gamma : ((SigmoidFocalLoss) block.kind).gamma();
        }

        /** {@code scratch *= gamma} (log q to its power's log; a log q of -infinity stays so, exp makes it 0). */
        static void timesGamma(LossBlock block) {
            float gamma = gamma(block);
            for (int i = 0; i < block.n; i++) {
                block.scratch[i] *= gamma;
            }
        }

        /**
         * {@link FocalLoss#focal} by lanes, with {@code q^gamma} in scratch. The ratio is clamped at
         * {@code -Float.MAX_VALUE}: with {@code log p_t} within a few ulps of {@code -Float.MAX_VALUE}
         * (a target logit about that far below the row's largest) and {@code q} rounded just below 1,
         * it overflows to -infinity, and {@code p_t * ratio} was {@code 0 * -inf}, NaN. It overflows
         * only where {@code p_t} has underflowed to 0 (for {@code p_t > 0}, {@code log p_t} is above
         * about -104 and {@code q} is not tiny unless {@code log p_t} is too), so the clamp changes
         * nothing else and that product is then 0, as in the scalar path's double.
         */
        static void focal(LossBlock block) {
            float gamma = gamma(block);
            FloatVector one = FloatVector.broadcast(LossBlock.F, 1f);
            for (int i = 0; i < block.n; i += LossBlock.L) {
                FloatVector pt = FloatVector.fromArray(LossBlock.F, block.pt, i);
                FloatVector q = FloatVector.fromArray(LossBlock.F, block.q, i);
                FloatVector logPt = FloatVector.fromArray(LossBlock.F, block.logPt, i);
                FloatVector ratio = logPt.div(q).max(-Float.MAX_VALUE).blend(-1f, q.compare(VectorOperators.EQ, 0f));
                FloatVector aq = FloatVector.fromArray(LossBlock.F, block.weight, i)
                        .mul(FloatVector.fromArray(LossBlock.F, block.scratch, i));
                aq.mul(logPt).neg().intoArray(block.loss, i);
                aq.mul(one.sub(pt.mul(ratio).mul(gamma))).mul(block.gradScale).intoArray(block.coefficient, i);
            }
        }
    }
}

package dev.keel.nn.loss;

/**
 * Factories for the fused losses of the loss specification. Each returns a {@link FusedLoss} (a
 * {@link Loss}) with the mean reduction on the {@link LossKernels#active() active} kernel path;
 * change either with {@link FusedLoss#withReduction} and {@link FusedLoss#withKernels}.
 *
 * <p>Hyper-parameters are checked here; those that depend on the number of classes (a margin's
 * lower bound {@code 1/classes}, the length of per-class arrays) when the loss is computed.
 */
public final class Losses {

    private Losses() {
    }

    /** Cross entropy: {@code -log p_t}. */
    public static FusedLoss crossEntropy() {
        return make(LossKind.CE, Float.NaN, Float.NaN, 0f, -1f, null);
    }

    /** Class-weighted cross entropy {@code -w_t log p_t}, reduced by the weighted mean. */
    public static FusedLoss weightedCrossEntropy(float[] classWeights) {
        return make(LossKind.WEIGHTED_CE, Float.NaN, Float.NaN, 0f, -1f,
                checkedCopy(classWeights, "class weight", Float.POSITIVE_INFINITY));
    }

    /**
     * The report's gated cross entropy {@code -theta(m - p_t) log p_t}: a row trains only while its
     * true class's probability is at most {@code margin} (half weight exactly at it).
     *
     * @param margin in {@code (1/classes, 1)}
     */
    public static FusedLoss gated(float margin) {
        return make(LossKind.GATED, checkedMargin(margin, 0f), Float.NaN, 0f, -1f, null);
    }

    /**
     * The gate softened into a sigmoid: {@code -sigma(k (m - p_t)) log p_t}.
     *
     * @param sharpness {@code k > 0}, finite
     */
    public static FusedLoss softGated(float margin, float sharpness) {
        if (!(sharpness > 0f) || Float.isInfinite(sharpness)) {
            throw new IllegalArgumentException("sharpness " + sharpness + " must be finite and > 0");
        }
        return make(LossKind.SOFT_GATED, checkedMargin(margin, 0f), sharpness, 0f, -1f, null);
    }

    /** Focal loss {@code -q^gamma log p_t}; {@code focal(0)} is cross entropy. */
    public static FusedLoss focal(float gamma) {
        return make(LossKind.FOCAL, Float.NaN, Float.NaN, checkedGamma(gamma), -1f, null);
    }

    /** Focal loss with per-class alpha {@code a_t} in [0, 1]: {@code -a_t q^gamma log p_t}. */
    public static FusedLoss focal(float gamma, float[] alpha) {
        return make(LossKind.FOCAL, Float.NaN, Float.NaN, checkedGamma(gamma), -1f, checkedCopy(alpha, "alpha", 1f));
    }

    /** Binary cross entropy on one logit per row ({@code classes == 1}), targets 0 or 1. */
    public static FusedLoss binaryCrossEntropy() {
        return make(LossKind.BCE, Float.NaN, Float.NaN, 0f, -1f, null);
    }

    /**
     * torchvision's sigmoid focal loss {@code a_y (1 - p_t)^gamma bce}.
     *
     * @param alpha in [0, 1] for {@code a_1 = alpha, a_0 = 1 - alpha}; negative for no alpha
     */
    public static FusedLoss sigmoidFocal(float gamma, float alpha) {
        if (Float.isNaN(alpha) || alpha > 1f) {
            throw new IllegalArgumentException("alpha " + alpha + " must be in [0, 1], or negative for none");
        }
        return make(LossKind.SIGMOID_FOCAL, Float.NaN, Float.NaN, checkedGamma(gamma), alpha < 0 ? -1f : alpha, null);
    }

    /**
     * The report's gate on a sigmoid: {@code lambda bce}, where positives stop training above
     * {@code margin} and negatives below {@code 1 - margin}.
     *
     * @param margin in {@code (0.5, 1)}
     */
    public static FusedLoss gatedBinary(float margin) {
        return make(LossKind.GATED_BCE, checkedMargin(margin, 0.5f), Float.NaN, 0f, -1f, null);
    }

    private static FusedLoss make(LossKind kind, float margin, float sharpness, float gamma, float binaryAlpha,
                                  float[] classWeights) {
        return new FusedLoss(kind, margin, sharpness, gamma, binaryAlpha, classWeights, Reduction.MEAN,
                LossKernels.active());
    }

    private static float checkedMargin(float margin, float lowerBound) {
        if (!(margin > lowerBound && margin < 1f)) {
            throw new IllegalArgumentException("margin " + margin + " is outside (" + (lowerBound == 0f ? "1/classes"
                    : lowerBound) + ", 1)");
        }
        return margin;
    }

    private static float checkedGamma(float gamma) {
        if (!(gamma >= 0f) || Float.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma " + gamma + " must be finite and >= 0");
        }
        return gamma;
    }

    private static float[] checkedCopy(float[] values, String what, float max) {
        if (values == null) {
            throw new IllegalArgumentException(what + "s are null");
        }
        for (int c = 0; c < values.length; c++) {
            if (!(values[c] >= 0f && values[c] <= max) || Float.isInfinite(values[c])) {
                throw new IllegalArgumentException(what + " " + values[c] + " of class " + c + " must be in [0, "
                        + (max == Float.POSITIVE_INFINITY ? "infinity)" : max + "]"));
            }
        }
        return values.clone();
    }
}

package dev.keel.nn.loss;

/** The kinds of loss keel computes, named as in the loss specification ({@code spec/losses.md}). */
public enum LossKind {
    /** Cross entropy over a softmax. */
    CE("ce", false),
    /** Class-weighted cross entropy; the mean is the weighted mean, as PyTorch defines it. */
    WEIGHTED_CE("weighted_ce", false),
    /** The report's gated cross entropy: rows train only while {@code p_t <= margin}. */
    GATED("gated", false),
    /** The gate softened into a sigmoid of sharpness {@code k}. */
    SOFT_GATED("soft_gated", false),
    /** Focal loss (Lin et al. 2017) over a softmax, with optional per-class alpha. */
    FOCAL("focal", false),
    /** Binary cross entropy on one logit per row. */
    BCE("bce", true),
    /** torchvision's sigmoid focal loss, computed without its NaN. */
    SIGMOID_FOCAL("sigmoid_focal", true),
    /** The report's gate on a sigmoid. */
    GATED_BCE("gated_bce", true);

    private final String specName;
    private final boolean binary;

    LossKind(String specName, boolean binary) {
        this.specName = specName;
        this.binary = binary;
    }

    /** The name the specification and the golden file use, e.g. {@code "soft_gated"}. */
    public String specName() {
        return specName;
    }

    /** True for the kinds with one logit per row and a sigmoid ({@code classes == 1}). */
    public boolean binary() {
        return binary;
    }

    /** The kind whose {@link #specName()} is {@code name}. */
    public static LossKind fromSpecName(String name) {
        for (LossKind kind : values()) {
            if (kind.specName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown loss kind '" + name + "'");
    }
}

package dev.keel.nn.loss;

import java.util.Objects;

/**
 * One loss of {@link LossKind}, with its hyper-parameters, a {@link Reduction} and a kernel path:
 * a fused kernel that computes the log-softmax (or log-sigmoid), the loss and, on request, the
 * gradient with respect to the logits in one pass. Instances are immutable and thread-safe; make
 * them with {@link #of}.
 *
 * <p>Shapes and targets are checked before anything is written; NaN or infinite logits are found
 * by the kernel's own pass over them (the outputs may then be partly written). A failed check is an
 * {@link IllegalArgumentException} naming the value and the row.
 */
public final class FusedLoss implements Loss {

    final LossKind kind;
    /** The kind's per-class weights ({@code w_t} or {@code a_t}), or null: read by the kernels for every row. */
    final float[] classWeights;
    private final Reduction reduction;
    private final LossKernels kernels;

    private FusedLoss(LossKind kind, Reduction reduction, LossKernels kernels) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (kind instanceof WeightedCrossEntropy weighted && weighted.weights() == null) {
            throw new IllegalArgumentException(kind.specName() + "'s class weights are null (inverse class frequency, not"
                    + " resolved yet): resolve them with forClasses(classCounts) first");
        }
        this.classWeights = kind.classWeights();
        this.reduction = Objects.requireNonNull(reduction, "reduction");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    /** {@code kind} with the mean reduction on the {@link LossKernels#active() active} kernel path. */
    public static FusedLoss of(LossKind kind) {
        return new FusedLoss(kind, Reduction.MEAN, LossKernels.active());
    }

    /** Which loss this computes, with its hyper-parameters. */
    public LossKind kind() {
        return kind;
    }

    /** How the rows are reduced. */
    public Reduction reduction() {
        return reduction;
    }

    /** The kernel path this loss runs on. */
    public LossKernels kernels() {
        return kernels;
    }

    /** The same loss with another reduction. */
    public FusedLoss withReduction(Reduction newReduction) {
        return new FusedLoss(kind, newReduction, kernels);
    }

    /** The same loss on another kernel path, e.g. {@link LossKernels#scalar()}. */
    public FusedLoss withKernels(LossKernels newKernels) {
        return new FusedLoss(kind, reduction, newKernels);
    }

    /**
     * The reduced loss (for {@link Reduction#NONE}, the sum); if {@code grad != null}, writes
     * {@code d(loss)/d(logits)} into it. An empty batch ({@code rows == 0}) has loss 0. A weighted
     * mean over a batch whose targets all weigh 0 is 0, with a zero gradient.
     */
    @Override
    public double compute(float[] logits, int rows, int classes, int[] targets, float[] grad) {
        return run(logits, rows, classes, targets, grad, null, null);
    }

    /**
     * As {@link #compute}, and also writes each row's unreduced loss ({@code w_t l_i} for weighted
     * cross entropy) into {@code rowLosses} (length {@code rows}).
     */
    public double computeRows(float[] logits, int rows, int classes, int[] targets, float[] rowLosses,
                              float[] grad) {
        Objects.requireNonNull(rowLosses, "rowLosses");
        if (rowLosses.length != rows) {
            throw new IllegalArgumentException("rowLosses has length " + rowLosses.length + ", expected rows = "
                    + rows);
        }
        return run(logits, rows, classes, targets, grad, rowLosses, null);
    }

    /** {@link #gateStats(float, float[], int, int, int[])} at this loss's own margin (gated kinds only). */
    public GateStats gateStats(float[] logits, int rows, int classes, int[] targets) {
        if (Float.isNaN(kind.margin())) {
            throw new IllegalStateException(this + " has no margin: pass one to gateStats(margin, ...)");
        }
        return gateStats(kind.margin(), logits, rows, classes, targets);
    }

    /**
     * Gate statistics of a batch at {@code margin}, by target class: rows gated out
     * ({@code p_t > margin}), on the edge ({@code p_t == margin}), inside the wrong-easily area
     * ({@code p_t < margin}), and each class's share of this loss's gradient norm at the logits. For
     * the binary kinds the classes are the targets 0 and 1. Costs one loss evaluation.
     */
    public GateStats gateStats(float margin, float[] logits, int rows, int classes, int[] targets) {
        LossSyntax.checkMargin("gate statistics", margin, kind.binary() ? 2 : classes);
        float[] grad = new float[logits.length];
        float[] rowPt = new float[Math.max(rows, 0)];
        run(logits, rows, classes, targets, grad, null, rowPt);
        return GateStats.measure(margin, kind.binary() ? 2 : classes, rows, classes, targets, rowPt, grad);
    }

    private double run(float[] logits, int rows, int classes, int[] targets, float[] grad, float[] rowLoss,
                       float[] rowPt) {
        checkShapes(logits, rows, classes, targets, grad);
        double weightTotal = checkTargets(targets, rows, kind.binary() ? 2 : classes);
        if (rows == 0) {
            return 0;
        }
        double divisor = reduction != Reduction.MEAN ? 1 : kind instanceof WeightedCrossEntropy ? weightTotal : rows;
        float gradScale = divisor > 0 ? (float) (1 / divisor) : 0f;
        double total = kind.binary()
                ? kernels.binary(this, logits, 0, rows, targets, gradScale, grad, rowLoss, rowPt)
                : kernels.softmax(this, logits, 0, rows, classes, targets, gradScale, grad, rowLoss, rowPt);
        if (Double.isNaN(total)) { // the kernels' signal: finite logits always give a finite loss
            throw nonFiniteLogit(logits, classes, targets);
        }
        return divisor > 0 ? total / divisor : 0;
    }

    private void checkShapes(float[] logits, int rows, int classes, int[] targets, float[] grad) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(targets, "targets");
        if (rows < 0) {
            throw new IllegalArgumentException("rows " + rows + " is negative");
        }
        if (kind.binary() && classes != 1) {
            throw new IllegalArgumentException(kind.specName() + " takes one logit per row (classes == 1), not classes"
                    + " = " + classes);
        }
        if (!kind.binary() && classes < 2) {
            throw new IllegalArgumentException(kind.specName() + " needs classes >= 2, not " + classes
                    + " (the binary kinds take one logit per row)");
        }
        if ((long) rows * classes != logits.length) {
            throw new IllegalArgumentException("logits has length " + logits.length + ", but rows * classes = "
                    + rows + " * " + classes + " = " + (long) rows * classes);
        }
        if (targets.length != rows) {
            throw new IllegalArgumentException("targets has length " + targets.length + ", expected rows = " + rows);
        }
        if (grad != null && grad.length != logits.length) {
            throw new IllegalArgumentException("grad has length " + grad.length + ", expected rows * classes = "
                    + logits.length);
        }
        kind.checkClasses(kind.binary() ? 2 : classes);
    }

    /** Checks every target and returns the total weight of the rows (weighted_ce) or 0. */
    private double checkTargets(int[] targets, int rows, int classCount) {
        int outOfRange = 0;
        for (int i = 0; i < rows; i++) {
            int t = targets[i];
            outOfRange |= t | (classCount - 1 - t); // negative iff t < 0 or t >= classCount
        }
        if (outOfRange < 0) {
            for (int i = 0; i < rows; i++) {
                if (targets[i] < 0 || targets[i] >= classCount) {
                    throw new IllegalArgumentException("target " + targets[i] + " at row " + i + " is outside [0, "
                            + classCount + ")");
                }
            }
        }
        if (!(kind instanceof WeightedCrossEntropy)) {
            return 0;
        }
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += classWeights[targets[i]];
        }
        return total;
    }

    private IllegalArgumentException nonFiniteLogit(float[] logits, int classes, int[] targets) {
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                return new IllegalArgumentException("logit " + logits[i] + " at row " + i / classes + ", column "
                        + i % classes + " (index " + i + ") is not finite");
            }
        }
        // Finite logits, but the target's lies more than Float.MAX_VALUE below the row's largest:
        // log p_t is -infinity in float, and so the loss and its gradient are not representable.
        for (int r = 0; !kind.binary() && r < targets.length; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = r * classes; j < (r + 1) * classes; j++) {
                max = Math.max(max, logits[j]);
            }
            float target = logits[r * classes + targets[r]];
            if (target - max == Float.NEGATIVE_INFINITY) {
                return new IllegalArgumentException("the target logit of row " + r + " (" + target
                        + ") lies more than the float range below the row's largest (" + max + "): the loss overflows");
            }
            if (classes == 2 && Float.isInfinite(logits[r * 2 + 1] - logits[r * 2])) {
                // the vector path computes two-class rows on the logit difference
                return new IllegalArgumentException("the two logits of row " + r + " (" + logits[r * 2] + ", "
                        + logits[r * 2 + 1] + ") lie more than the float range apart: their difference overflows");
            }
        }
        throw new IllegalStateException("the loss kernels computed NaN from finite logits (a bug)");
    }

    /** E.g. {@code "gated:m=0.7 mean, vector"}. */
    @Override
    public String toString() {
        return kind.written() + " " + reduction.name().toLowerCase(java.util.Locale.ROOT) + ", " + kernels.name();
    }
}

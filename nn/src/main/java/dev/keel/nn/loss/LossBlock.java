package dev.keel.nn.loss;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The state of one vector loss-kernel call: its arguments, the per-row arrays of the current block
 * of rows, and the exponentials the gradient is made from. The phases of {@code VectorLossKernels}
 * and the kinds' vector forms ({@link LossKind#vectorRow}) read and write its arrays. One per thread,
 * reused (it is 50 kB to zero). Vector path only.
 */
final class LossBlock {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Rows per block: a block's arrays stay in L1. */
    static final int BLOCK = 256;

    private static final ThreadLocal<LossBlock> PER_THREAD = ThreadLocal.withInitial(LossBlock::new);

    // the call
    FusedLoss fused;
    /** {@code fused}'s kind, for the kinds' vector forms. */
    LossKind kind;
    float[] logits;
    int[] targets;
    float[] grad;
    float[] rowLoss;
    float[] rowPt;
    float gradScale;
    int classes;
    /** The binary pipeline's logit of row {@code b0 + i} is {@code x[xOffset + i]}. */
    float[] x;
    int xOffset;
    // the block
    int b0;
    int n;
    /** The loss sum of the blocks done. */
    double total;
    /** The loss sum of the current block, from its float row losses. */
    double blockTotal;
    /** Set when a logit of the block is NaN or infinite. */
    boolean nonFinite;

    final float[] logPt = new float[BLOCK];
    final float[] pt = new float[BLOCK];
    final float[] q = new float[BLOCK];
    final float[] weight = new float[BLOCK];
    /** Softmax: 1 / sum_j exp(z_j - max); binary: s - y. */
    final float[] extra = new float[BLOCK];
    final float[] loss = new float[BLOCK];
    /** gradScale * B. */
    final float[] coefficient = new float[BLOCK];
    final float[] scratch = new float[BLOCK];
    /** Binary: {@code log q = log(1 - p_t)}, exact from the logit. */
    final float[] logQ = new float[BLOCK];
    /** Softmax: each row's largest logit. */
    final float[] rowMax = new float[BLOCK];
    /** Two classes: {@code z_1 - z_0} of each row, the logit of a binary row. */
    final float[] difference = new float[BLOCK];
    /** Softmax: the targets as floats, to compare with a column index. */
    final float[] targetClass = new float[BLOCK];
    /** Softmax: exp(z_j - max) by tile, column-major: [(tile * classes + j) * L + lane]. */
    final float[] exps = new float[VectorLossKernels.ACROSS_ROWS_MAX_CLASSES * BLOCK];
    /** Softmax: one tile's gradient, column-major. */
    final float[] gradTile = new float[VectorLossKernels.ACROSS_ROWS_MAX_CLASSES * L];
    /** Softmax: lane * classes, the gather map of a tile's column. */
    final int[] columnIndex = new int[L];
    /**
     * Softmax: gather maps from a column-major tile to its row-major order: the k-th vector of
     * the rows {@code [k * L, (k + 1) * L)} (in logit order) comes from {@code rowMajor[k * L ..]}.
     * Gathering it from L1 is much faster than scattering columns into the gradient.
     */
    final int[] rowMajor = new int[VectorLossKernels.ACROSS_ROWS_MAX_CLASSES * L];
    /** The class count the maps were made for. */
    private int mapsClasses;

    /** This thread's block, set up for a call. */
    static LossBlock of(FusedLoss loss, float[] logits, int classes, int[] targets, float gradScale, float[] grad,
                    float[] rowLoss, float[] rowPt) {
        LossBlock block = PER_THREAD.get();
        block.fused = loss;
        block.kind = loss.kind;
        block.logits = logits;
        block.targets = targets;
        block.grad = grad;
        block.rowLoss = rowLoss;
        block.rowPt = rowPt;
        block.gradScale = gradScale;
        block.classes = classes;
        block.x = classes == 2 ? block.difference : logits;
        block.total = 0;
        block.nonFinite = false;
        if (block.mapsClasses != classes) {
            block.mapsClasses = classes;
            for (int lane = 0; lane < L; lane++) {
                block.columnIndex[lane] = lane * classes;
            }
            for (int index = 0; index < classes * L; index++) {
                block.rowMajor[index] = index % classes * L + index / classes;
            }
        }
        return block;
    }

    /** Runs the pipeline over the whole tiles of rows {@code [rowStart, tiled)}; false on a non-finite logit. */
    boolean run(VectorPhase[] pipeline, int rowStart, int tiled) {
        for (b0 = rowStart; b0 < tiled; b0 += BLOCK) {
            n = Math.min(BLOCK, tiled - b0);
            xOffset = x == difference ? 0 : b0;
            for (VectorPhase phase : pipeline) { // megamorphic: never inlined, see the class comment
                phase.run(this);
            }
            if (nonFinite) {
                return false;
            }
            total += Double.isInfinite(blockTotal) ? totalWithOverflowedRowsInDouble() : blockTotal;
        }
        return true;
    }

    /**
     * The block's loss sum with each row whose float loss overflowed to infinity (a class weight
     * above 1 times a {@code log p_t} near {@code -Float.MAX_VALUE}) done again on the scalar path,
     * whose sum is in double as here: the total stays finite, as on that path. Only for such blocks,
     * so it costs the common case one comparison.
     */
    private double totalWithOverflowedRowsInDouble() {
        ScalarLossKernels scalar = ScalarLossKernels.INSTANCE;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int row = b0 + i;
            sum += Float.isFinite(loss[i]) ? loss[i] : classes == 1
                    ? scalar.binary(fused, logits, row, row + 1, targets, gradScale, grad, rowLoss, rowPt)
                    : scalar.softmax(fused, logits, row, row + 1, classes, targets, gradScale, grad, rowLoss, rowPt);
        }
        return sum;
    }

    /** Drops the references to the caller's arrays. */
    void release() {
        fused = null;
        kind = null;
        logits = null;
        targets = null;
        grad = null;
        x = null;
        rowLoss = null;
        rowPt = null;
    }
}

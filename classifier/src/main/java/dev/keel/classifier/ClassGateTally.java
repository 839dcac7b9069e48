package dev.keel.classifier;

import dev.keel.core.Tensor;
import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.GateStats;

/**
 * An epoch's per-class view of a loss, summed from the loss kernel's {@link GateStats} of each
 * training batch: how many rows of each class had their gate closed ({@code p_t > m}), open
 * ({@code p_t < m}) or on the edge ({@code p_t == m}), and each class's share of the squared
 * gradient norm at the logits. For a loss without a gate (cross entropy, focal) the margin is a
 * reference: it says how confident the loss made each class, not which rows it trained.
 */
public final class ClassGateTally {

    private final float margin;
    private final long[] closed;
    private final long[] open;
    private final long[] edge;
    private final double[] gradSquared;
    private float[] logits = new float[0];
    private int[] targets = new int[0];

    public ClassGateTally(int classes, double margin) {
        this.margin = (float) margin;
        closed = new long[classes];
        open = new long[classes];
        edge = new long[classes];
        gradSquared = new double[classes];
    }

    /** The margin the rows are compared with. */
    public float margin() {
        return margin;
    }

    /**
     * Adds a batch: {@code logitsView} holds its {@code rows x classes} logits (the classifier's
     * {@code lastLogits()}), {@code batchTargets} at least {@code rows} targets. Costs one
     * evaluation of {@code loss}, which the kernel needs for {@code p_t} and the gradient.
     */
    public void add(FusedLoss loss, Tensor logitsView, int rows, int[] batchTargets) {
        int classes = closed.length;
        if (logits.length != rows * classes) { // the kernels take exact-length arrays
            logits = new float[rows * classes];
            targets = new int[rows];
        }
        System.arraycopy(logitsView.data(), logitsView.offset(), logits, 0, logits.length);
        System.arraycopy(batchTargets, 0, targets, 0, rows);
        GateStats stats = loss.gateStats(margin, logits, rows, classes, targets);
        for (int c = 0; c < classes; c++) {
            closed[c] += stats.gatedOut(c);
            open[c] += stats.wrongEasily(c);
            edge[c] += stats.onEdge(c);
            double norm = stats.gradientNorm(c);
            gradSquared[c] += norm * norm;
        }
    }

    /** {@code [class][closed, open, edge]}: shares of each class's rows (NaN for a class with no rows). */
    public double[][] closedOpenEdgeShares() {
        double[][] shares = new double[closed.length][3];
        for (int c = 0; c < closed.length; c++) {
            double rows = closed[c] + open[c] + edge[c];
            shares[c][0] = rows == 0 ? Double.NaN : closed[c] / rows;
            shares[c][1] = rows == 0 ? Double.NaN : open[c] / rows;
            shares[c][2] = rows == 0 ? Double.NaN : edge[c] / rows;
        }
        return shares;
    }

    /** The share of all rows whose gate was closed. */
    public double closedShare() {
        long all = 0;
        long shut = 0;
        for (int c = 0; c < closed.length; c++) {
            all += closed[c] + open[c] + edge[c];
            shut += closed[c];
        }
        return all == 0 ? Double.NaN : (double) shut / all;
    }

    /**
     * Each class's share of the epoch's squared gradient norm at the logits,
     * {@code sum over batches |g_c|^2 / sum over batches |g|^2} (NaN when the gradient was 0 throughout).
     */
    public double[] gradientShares() {
        double total = 0;
        for (double g : gradSquared) {
            total += g;
        }
        double[] shares = new double[gradSquared.length];
        for (int c = 0; c < shares.length; c++) {
            shares[c] = total == 0 ? Double.NaN : gradSquared[c] / total;
        }
        return shares;
    }
}

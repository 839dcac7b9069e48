package dev.keel.nn.loss;

import java.util.Locale;

/**
 * How a batch sits against a gate's margin, by target class: how many rows were gated out
 * ({@code p_t > margin}: confidently right, no longer trained by a gated loss), on the edge
 * ({@code p_t == margin}, half weight), and inside the report's wrong-easily area
 * ({@code p_t < margin}, still trained); and the share of the gradient norm at the logits that each
 * class's rows contributed. Made by {@link FusedLoss#gateStats}.
 */
public final class GateStats {

    private final float margin;
    private final long[] rows;
    private final long[] gatedOut;
    private final long[] onEdge;
    private final long[] wrongEasily;
    private final double[] gradSquared;

    private GateStats(float margin, int classes) {
        this.margin = margin;
        rows = new long[classes];
        gatedOut = new long[classes];
        onEdge = new long[classes];
        wrongEasily = new long[classes];
        gradSquared = new double[classes];
    }

    /**
     * @param width the logits per row in {@code grad} (1 for the binary kinds)
     * @param rowPt each row's {@code p_t} as the kernel computed it
     */
    static GateStats measure(float margin, int classes, int rowCount, int width, int[] targets, float[] rowPt,
                             float[] grad) {
        GateStats stats = new GateStats(margin, classes);
        for (int i = 0; i < rowCount; i++) {
            int c = targets[i];
            stats.rows[c]++;
            float pt = rowPt[i];
            if (pt > margin) {
                stats.gatedOut[c]++;
            } else if (pt == margin) {
                stats.onEdge[c]++;
            } else {
                stats.wrongEasily[c]++;
            }
            double squares = 0;
            for (int j = i * width, end = j + width; j < end; j++) {
                squares += (double) grad[j] * grad[j];
            }
            stats.gradSquared[c] += squares;
        }
        return stats;
    }

    /** The margin the rows were compared with. */
    public float margin() {
        return margin;
    }

    /** The number of target classes (2 for the binary kinds). */
    public int classes() {
        return rows.length;
    }

    /** Rows whose target is {@code c}. */
    public long rows(int c) {
        return rows[c];
    }

    /** Rows of class {@code c} with {@code p_t > margin}. */
    public long gatedOut(int c) {
        return gatedOut[c];
    }

    /** Rows of class {@code c} with {@code p_t == margin} exactly. */
    public long onEdge(int c) {
        return onEdge[c];
    }

    /** Rows of class {@code c} with {@code p_t < margin}. */
    public long wrongEasily(int c) {
        return wrongEasily[c];
    }

    /** All rows gated out. */
    public long gatedOut() {
        return total(gatedOut);
    }

    /** All rows on the edge. */
    public long onEdge() {
        return total(onEdge);
    }

    /** All rows in the wrong-easily area. */
    public long wrongEasily() {
        return total(wrongEasily);
    }

    /** The Euclidean norm of the gradient entries in the rows of class {@code c}. */
    public double gradientNorm(int c) {
        return Math.sqrt(gradSquared[c]);
    }

    /** The norm of the whole gradient. */
    public double gradientNorm() {
        double sum = 0;
        for (double g : gradSquared) {
            sum += g;
        }
        return Math.sqrt(sum);
    }

    /**
     * Class {@code c}'s share of the squared gradient norm: {@code |g_c|^2 / |g|^2}; the shares sum to
     * 1 (all 0 when the gradient is 0).
     */
    public double gradientShare(int c) {
        double all = gradientNorm();
        return all > 0 ? gradSquared[c] / (all * all) : 0;
    }

    private static long total(long[] counts) {
        long sum = 0;
        for (long n : counts) {
            sum += n;
        }
        return sum;
    }

    /** A small table: one line per class. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "gate stats at margin %s: class rows gated-out edge wrong-easily grad-share%n", margin));
        for (int c = 0; c < classes(); c++) {
            s.append(String.format(Locale.ROOT, "%d %d %d %d %d %.4f%n", c, rows[c], gatedOut[c], onEdge[c],
                    wrongEasily[c], gradientShare(c)));
        }
        return s.toString();
    }
}

package dev.keel.nn.testing;

import dev.keel.nn.loss.BinaryCrossEntropy;
import dev.keel.nn.loss.CrossEntropy;
import dev.keel.nn.loss.FocalLoss;
import dev.keel.nn.loss.GatedBinaryCrossEntropy;
import dev.keel.nn.loss.GatedCrossEntropy;
import dev.keel.nn.loss.LossKind;
import dev.keel.nn.loss.SigmoidFocalLoss;
import dev.keel.nn.loss.SoftGatedCrossEntropy;
import dev.keel.nn.loss.WeightedCrossEntropy;

/**
 * keel's one reference for the losses of the specification, in double precision, written from their
 * definitions (not from the kernels' gradient formulas): finite-difference checks, loss comparisons,
 * {@link TestLosses}' cross entropy and the benchmarks' reference all use it (nn's test-jar). The
 * gates of gated and gated_bce are evaluated like any other function: away from the edge they are
 * locally constant, which is what the kernels' "gate is a constant" gradient assumes.
 */
public final class ReferenceLosses {

    private ReferenceLosses() {
    }

    /** The reduced loss (mean, or weighted mean for weighted_ce) of the batch, in double. */
    public static double loss(LossKind kind, double[] z, int rows, int classes, int[] targets) {
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += rowLoss(kind, z, i, classes, targets[i]);
        }
        return total / divisor(kind, rows, targets);
    }

    /** What the mean divides by: the rows, or for weighted_ce the total weight of their targets. */
    public static double divisor(LossKind kind, int rows, int[] targets) {
        if (!(kind instanceof WeightedCrossEntropy weighted)) {
            return rows;
        }
        float[] w = weighted.weights();
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += w[targets[i]];
        }
        return total;
    }

    /** Row {@code i}'s loss (with its weight for weighted_ce). */
    public static double rowLoss(LossKind kind, double[] z, int i, int classes, int t) {
        if (kind.binary()) {
            return binaryRow(kind, z[i], t);
        }
        double[] p = softmax(z, i * classes, classes);
        double pt = p[t];
        double q = 0;
        for (int j = 0; j < classes; j++) {
            q += j != t ? p[j] : 0;
        }
        double logPt = logSoftmax(z, i * classes, classes, t);
        if (kind instanceof CrossEntropy) {
            return -logPt;
        } else if (kind instanceof WeightedCrossEntropy weighted) {
            return -weighted.weights()[t] * logPt;
        } else if (kind instanceof GatedCrossEntropy gated) {
            return -theta(gated.margin() - pt) * logPt;
        } else if (kind instanceof SoftGatedCrossEntropy soft) {
            return -sigmoid(soft.sharpness() * (soft.margin() - pt)) * logPt;
        } else if (kind instanceof FocalLoss focal) {
            double a = focal.alpha() != null ? focal.alpha()[t] : 1;
            return -a * Math.pow(q, focal.gamma()) * logPt;
        }
        throw new IllegalArgumentException("no reference for " + kind);
    }

    private static double binaryRow(LossKind kind, double x, int y) {
        double bce = Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
        double s = sigmoid(x);
        if (kind instanceof BinaryCrossEntropy) {
            return bce;
        } else if (kind instanceof SigmoidFocalLoss focal) {
            double oneMinusPt = y == 1 ? sigmoid(-x) : s;
            double alpha = focal.alpha();
            double a = alpha < 0 ? 1 : y == 1 ? alpha : 1 - alpha;
            return a * Math.pow(oneMinusPt, focal.gamma()) * bce;
        } else if (kind instanceof GatedBinaryCrossEntropy gated) {
            double m = gated.margin();
            double lambda = 1 - theta(y - m) * theta(s - m) - theta(1 - m - y) * theta(1 - m - s);
            return lambda * bce;
        }
        throw new IllegalArgumentException("no reference for " + kind);
    }

    /** The softmax of {@code z[off, off + classes)}, max-shifted. */
    public static double[] softmax(double[] z, int off, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        double[] p = new double[classes];
        for (int j = 0; j < classes; j++) {
            p[j] = Math.exp(z[off + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < classes; j++) {
            p[j] /= sum;
        }
        return p;
    }

    /** {@code log softmax(z[off, off + classes))[t]}: the cross entropy of one row is its negative. */
    public static double logSoftmax(double[] z, int off, int classes, int t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, z[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(z[off + j] - max);
        }
        return z[off + t] - max - Math.log(sum);
    }

    public static double theta(double x) {
        return x > 0 ? 1 : x == 0 ? 0.5 : 0;
    }

    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** {@code p_t} of each row, in double. */
    public static double[] targetProbabilities(LossKind kind, float[] z, int rows, int classes, int[] targets) {
        double[] pt = new double[rows];
        double[] zd = toDouble(z);
        for (int i = 0; i < rows; i++) {
            if (kind.binary()) {
                pt[i] = targets[i] == 1 ? sigmoid(zd[i]) : sigmoid(-zd[i]);
            } else {
                pt[i] = softmax(zd, i * classes, classes)[targets[i]];
            }
        }
        return pt;
    }

    public static double[] toDouble(float[] z) {
        double[] d = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            d[i] = z[i];
        }
        return d;
    }
}

package dev.keel.nn.loss;

/**
 * The losses of the specification in double precision, written from their definitions (not from
 * the kernels' gradient formulas), for finite-difference checks and loss comparisons. The gates of
 * gated and gated_bce are evaluated like any other function: away from the edge they are locally
 * constant, which is what the kernels' "gate is a constant" gradient assumes.
 */
final class ReferenceLosses {

    private ReferenceLosses() {
    }

    /** The reduced loss (mean, or weighted mean for weighted_ce) of the batch, in double. */
    static double loss(FusedLoss loss, double[] z, int rows, int classes, int[] targets) {
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += rowLoss(loss, z, i, classes, targets[i]);
        }
        return total / divisor(loss, rows, targets);
    }

    /** What the mean divides by: the rows, or for weighted_ce the total weight of their targets. */
    static double divisor(FusedLoss loss, int rows, int[] targets) {
        if (loss.kind() != LossKind.WEIGHTED_CE) {
            return rows;
        }
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += loss.classWeights[targets[i]];
        }
        return total;
    }

    /** Row {@code i}'s loss (with its weight for weighted_ce). */
    static double rowLoss(FusedLoss loss, double[] z, int i, int classes, int t) {
        if (loss.kind().binary()) {
            return binaryRow(loss, z[i], t);
        }
        double[] p = softmax(z, i * classes, classes);
        double pt = p[t];
        double q = 0;
        for (int j = 0; j < classes; j++) {
            q += j != t ? p[j] : 0;
        }
        double logPt = logSoftmax(z, i * classes, classes, t);
        double weight = loss.classWeights != null ? loss.classWeights[t] : 1;
        switch (loss.kind()) {
            case CE:
                return -logPt;
            case WEIGHTED_CE:
                return -weight * logPt;
            case GATED:
                return -theta(loss.margin - pt) * logPt;
            case SOFT_GATED:
                return -sigmoid(loss.sharpness * (loss.margin - pt)) * logPt;
            case FOCAL:
                return -weight * Math.pow(q, loss.gamma) * logPt;
            default:
                throw new IllegalArgumentException(loss.kind().toString());
        }
    }

    private static double binaryRow(FusedLoss loss, double x, int y) {
        double bce = Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
        double s = sigmoid(x);
        switch (loss.kind()) {
            case BCE:
                return bce;
            case SIGMOID_FOCAL: {
                double oneMinusPt = y == 1 ? sigmoid(-x) : s;
                double a = loss.binaryAlpha < 0 ? 1 : y == 1 ? loss.binaryAlpha : 1 - loss.binaryAlpha;
                return a * Math.pow(oneMinusPt, loss.gamma) * bce;
            }
            case GATED_BCE: {
                double m = loss.margin;
                double lambda = 1 - theta(y - m) * theta(s - m) - theta(1 - m - y) * theta(1 - m - s);
                return lambda * bce;
            }
            default:
                throw new IllegalArgumentException(loss.kind().toString());
        }
    }

    static double[] softmax(double[] z, int off, int classes) {
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

    static double logSoftmax(double[] z, int off, int classes, int t) {
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

    static double theta(double x) {
        return x > 0 ? 1 : x == 0 ? 0.5 : 0;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /** {@code p_t} of each row, in double. */
    static double[] targetProbabilities(FusedLoss loss, float[] z, int rows, int classes, int[] targets) {
        double[] pt = new double[rows];
        double[] zd = toDouble(z);
        for (int i = 0; i < rows; i++) {
            if (loss.kind().binary()) {
                pt[i] = targets[i] == 1 ? sigmoid(zd[i]) : sigmoid(-zd[i]);
            } else {
                pt[i] = softmax(zd, i * classes, classes)[targets[i]];
            }
        }
        return pt;
    }

    static double[] toDouble(float[] z) {
        double[] d = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            d[i] = z[i];
        }
        return d;
    }
}

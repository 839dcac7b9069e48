package dev.keel.nn.loss;

/**
 * The per-row part of every kind, in double precision: from a row's statistics to its loss and
 * the coefficient of its gradient. Used by the scalar path and by the vector path's wide rows.
 *
 * <p>Every gradient is {@code d l / d z_j = B (p_j - [j = t])} with a per-row {@code B}, the
 * {@link #coefficient}: {@code w_t} for ce and weighted_ce, the gate {@code theta(m - p_t)} for
 * gated, {@code w - k w (1 - w) p_t log p_t} for soft_gated (w the soft gate: the chain rule through
 * {@code p_t}), and {@code a_t q^gamma (1 - gamma p_t log(p_t) / q)} for focal. A binary row is a
 * two-class softmax over {@code (0, x)}, so the binary kinds are ce, gated and focal again, and
 * {@code d l / dx = B (s - y)}.
 *
 * <p>Instances hold the last row's results; one per loop, not shared between threads.
 */
final class RowMath {

    /** The row's loss {@code l_i}. */
    double loss;
    /** {@code B}. */
    double coefficient;
    /** The probability of the target: {@code p_t}. */
    double pt;
    /** Binary rows: {@code s - y}, the gradient of {@code -log p_t} at the logit. */
    double signedQ;

    /** {@code theta(x)}: 1 above 0, 1/2 at 0, 0 below. */
    static double step(double x) {
        return x > 0 ? 1 : x == 0 ? 0.5 : 0;
    }

    /**
     * A row from {@code log p_t}, {@code p_t} and {@code q = 1 - p_t} (computed from the other
     * classes' exponentials, never as {@code 1 - p_t}); {@code weight} is {@code w_t} or {@code a_t}
     * (1 when the kind has none).
     */
    void coefficients(FusedLoss loss, double weight, double logPt, double pt, double q) {
        this.pt = pt;
        switch (loss.kind) {
            case CE:
            case WEIGHTED_CE:
            case BCE:
                this.loss = -weight * logPt;
                coefficient = weight;
                break;
            case GATED:
            case GATED_BCE: {
                // gated_bce's 1 - theta(y - m) theta(s - m) - theta(1 - m - y) theta(1 - m - s) is theta(m - p_t)
                double gate = step(loss.margin - pt);
                this.loss = -gate * logPt;
                coefficient = gate;
                break;
            }
            case SOFT_GATED: {
                double k = loss.sharpness;
                double y = k * (loss.margin - pt);
                double e = Math.exp(-Math.abs(y));
                double w = y >= 0 ? 1 / (1 + e) : e / (1 + e);
                double oneMinusW = y >= 0 ? e / (1 + e) : 1 / (1 + e);
                this.loss = -w * logPt;
                coefficient = w - k * w * oneMinusW * pt * logPt;
                break;
            }
            case FOCAL:
            case SIGMOID_FOCAL: {
                double gamma = loss.gamma;
                double qGamma = Math.pow(q, gamma); // pow(0, 0) == 1, as the spec takes 0^0
                // q^(gamma-1) log p written as q^gamma (log p / q): the ratio tends to -1 as q -> 0.
                double ratio = q > 0 ? logPt / q : -1;
                this.loss = -weight * qGamma * logPt;
                coefficient = weight * qGamma * (1 - gamma * pt * ratio);
                break;
            }
            default:
                throw new IllegalStateException("unknown kind " + loss.kind);
        }
    }

    /** A binary row: logit {@code x}, target {@code y} in {0, 1}. */
    void binary(FusedLoss loss, float x, int y) {
        double e = Math.exp(-Math.abs(x));
        double sigmoidAbs = 1 / (1 + e);       // sigma(|x|)
        double sigmoidNegAbs = e * sigmoidAbs; // sigma(-|x|), without the 1 - sigma cancellation
        double s = x >= 0 ? sigmoidAbs : sigmoidNegAbs;
        double oneMinusS = x >= 0 ? sigmoidNegAbs : sigmoidAbs;
        double u = y == 1 ? x : -x;                              // the logit of p_t
        double logPt = -(Math.max(-u, 0) + Math.log1p(e));       // -bce
        double q = y == 1 ? oneMinusS : s;
        signedQ = y == 1 ? -q : q;
        coefficients(loss, binaryWeight(loss, y), logPt, y == 1 ? s : oneMinusS, q);
    }

    /** sigmoid_focal's {@code a_y}: alpha for positives, 1 - alpha for negatives; 1 for no alpha. */
    static double binaryWeight(FusedLoss loss, int y) {
        float alpha = loss.binaryAlpha;
        return alpha < 0 ? 1 : y == 1 ? alpha : 1 - alpha;
    }
}

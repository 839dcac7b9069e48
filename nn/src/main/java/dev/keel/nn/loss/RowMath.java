package dev.keel.nn.loss;

/**
 * The per-row part of every kind, in double precision: from a row's statistics to its loss and
 * the coefficient of its gradient. Used by the scalar path and by the vector path's wide rows.
 *
 * <p>Softmax kinds: every gradient is {@code d l / d z_j = B (p_j - [j = t])} with a per-row
 * {@code B}, the {@link #coefficient}: 1 for ce, {@code w_t} for weighted_ce, the gate for gated,
 * {@code w - k w (1 - w) p_t log p_t} for soft_gated (w the soft gate, by the chain rule through
 * {@code p_t}), {@code a_t q^gamma (1 - gamma p_t log(p_t) / q)} for focal.
 *
 * <p>Instances hold the last row's results; one per loop, not shared between threads.
 */
final class RowMath {

    /** The row's loss {@code l_i}. */
    double loss;
    /** Softmax kinds: {@code B}; binary kinds: {@code d l / d x}. */
    double coefficient;
    /** The probability of the target: {@code p_t}. */
    double pt;

    /** {@code theta(x)}: 1 above 0, 1/2 at 0, 0 below. */
    static double step(double x) {
        return x > 0 ? 1 : x == 0 ? 0.5 : 0;
    }

    /**
     * A softmax row from {@code log p_t}, {@code p_t} and {@code q = 1 - p_t} (computed from the
     * other classes' exponentials, never as {@code 1 - p_t}); {@code weight} is {@code w_t} or
     * {@code a_t} (1 when the kind has none).
     */
    void softmax(FusedLoss loss, double weight, double logPt, double pt, double q) {
        this.pt = pt;
        switch (loss.kind) {
            case CE:
            case WEIGHTED_CE:
                this.loss = -weight * logPt;
                coefficient = weight;
                break;
            case GATED: {
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
            case FOCAL: {
                double gamma = loss.gamma;
                double qGamma = Math.pow(q, gamma); // pow(0, 0) == 1, as the spec takes 0^0
                // q^(gamma-1) log p written as q^gamma (log p / q): the ratio tends to -1 as q -> 0.
                double ratio = q > 0 ? logPt / q : -1;
                this.loss = -weight * qGamma * logPt;
                coefficient = weight * qGamma * (1 - gamma * pt * ratio);
                break;
            }
            default:
                throw new IllegalStateException(loss.kind + " is not a softmax kind");
        }
    }

    /** A binary row: logit {@code x}, target {@code y} in {0, 1}. */
    void binary(FusedLoss loss, float x, int y) {
        double e = Math.exp(-Math.abs(x));
        double log1pE = Math.log1p(e);
        double sigmoidAbs = 1 / (1 + e);       // sigma(|x|)
        double sigmoidNegAbs = e * sigmoidAbs; // sigma(-|x|), without the 1 - sigma cancellation
        double s = x >= 0 ? sigmoidAbs : sigmoidNegAbs;
        double oneMinusS = x >= 0 ? sigmoidNegAbs : sigmoidAbs;
        double u = y == 1 ? x : -x;                 // the logit of p_t
        pt = y == 1 ? s : oneMinusS;
        double qb = y == 1 ? oneMinusS : s;         // 1 - p_t
        double bce = Math.max(-u, 0) + log1pE;      // -log p_t
        double sign = y == 1 ? -1 : 1;              // d(-log p_t)/dx = s - y = sign * qb
        switch (loss.kind) {
            case BCE:
                this.loss = bce;
                coefficient = sign * qb;
                break;
            case GATED_BCE: {
                // 1 - theta(y - m) theta(s - m) - theta(1 - m - y) theta(1 - m - s) == theta(m - p_t)
                double gate = step(loss.margin - pt);
                this.loss = gate * bce;
                coefficient = gate * sign * qb;
                break;
            }
            case SIGMOID_FOCAL: {
                double a = loss.binaryAlpha < 0 ? 1 : y == 1 ? loss.binaryAlpha : 1 - loss.binaryAlpha;
                double logQb = -(Math.max(u, 0) + log1pE);
                double qGamma = Math.exp(loss.gamma * logQb);
                this.loss = a * qGamma * bce;
                coefficient = a * sign * qGamma * (qb + loss.gamma * pt * bce);
                break;
            }
            default:
                throw new IllegalStateException(loss.kind + " is not a binary kind");
        }
    }
}

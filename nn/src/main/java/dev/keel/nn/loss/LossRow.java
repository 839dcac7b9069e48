package dev.keel.nn.loss;

/**
 * One row's loss {@code l_i} and gradient coefficient {@code B_i}, as a {@link LossKind} computes
 * them from the row's statistics ({@link LossKind#row}); every gradient is then
 * {@code d l_i / d z_ij = B_i (p_ij - [j = t])}, and for a binary row {@code d l_i / dx = B_i (s - y)}.
 * The row pipeline of the scalar path and of the vector path's wide rows, in double precision.
 *
 * <p>Holds the last row's results: one per loop, not shared between threads.
 */
public final class LossRow {

    /** The row's loss {@code l_i}. */
    double loss;
    /** {@code B_i}. */
    double coefficient;
    /** The probability of the target: {@code p_t}. */
    double pt;
    /** Binary rows: {@code s - y}, the gradient of {@code -log p_t} at the logit. */
    double signedQ;

    /** A row to compute into. */
    public LossRow() {
    }

    /** What a kind's {@link LossKind#row} writes. */
    public void set(double loss, double coefficient) {
        this.loss = loss;
        this.coefficient = coefficient;
    }

    public double loss() {
        return loss;
    }

    public double coefficient() {
        return coefficient;
    }

    /** {@code theta(x)}: 1 above 0, 1/2 at 0, 0 below. */
    public static double theta(double x) {
        return x > 0 ? 1 : x == 0 ? 0.5 : 0;
    }

    /** A softmax row from its statistics (see {@link LossKind#row}). */
    void softmax(LossKind kind, double weight, double logPt, double pt, double q) {
        this.pt = pt;
        kind.row(this, weight, logPt, pt, q);
    }

    /** Writes the row's loss and {@code p_t} at {@code i} where asked (either array may be null); returns the loss. */
    double record(int i, float[] rowLoss, float[] rowPt) {
        if (rowLoss != null) {
            rowLoss[i] = (float) loss;
        }
        if (rowPt != null) {
            rowPt[i] = (float) pt;
        }
        return loss;
    }

    /** A binary row: logit {@code x}, target {@code y} in {0, 1}, a two-class softmax over {@code (0, x)}. */
    void binary(LossKind kind, float x, int y) {
        double e = Math.exp(-Math.abs(x));
        double sigmoidAbs = 1 / (1 + e);       // sigma(|x|)
        double sigmoidNegAbs = e * sigmoidAbs; // sigma(-|x|), without the 1 - sigma cancellation
        double s = x >= 0 ? sigmoidAbs : sigmoidNegAbs;
        double oneMinusS = x >= 0 ? sigmoidNegAbs : sigmoidAbs;
        double u = y == 1 ? x : -x;                              // the logit of p_t
        double logPt = -(Math.max(-u, 0) + Math.log1p(e));       // -bce
        double q = y == 1 ? oneMinusS : s;
        signedQ = y == 1 ? -q : q;
        softmax(kind, kind.binaryWeight(y), logPt, y == 1 ? s : oneMinusS, q);
    }
}

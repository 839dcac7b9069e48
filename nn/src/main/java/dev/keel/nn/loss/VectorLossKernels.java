package dev.keel.nn.loss;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API loss kernels. Loaded only by {@link LossKernels} through
 * {@code Kernels.loadVectorImplementation}; never reference this class directly.
 *
 * <p>Rows of up to {@link #ACROSS_ROWS_MAX_CLASSES} classes are processed {@code L} rows at a time,
 * one row per lane: the columns of a tile of rows are gathered into lanes, so a row of 2 classes
 * costs the same vector work per lane as one of 16 along the row would. Wider rows are vectorized
 * along the row. The binary kinds (one logit per row) are contiguous across rows already.
 *
 * <p>{@code exp} and {@code log} are polynomial (Cephes' {@code expf}/{@code logf}, about 1 ulp):
 * the Vector API's own transcendental operations are not intrinsified on every JDK this runs on.
 */
final class VectorLossKernels extends LossKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    private static final int L = F.length();

    /** Rows up to this many classes go across rows, wider ones along the row (measured in LossBench). */
    static final int ACROSS_ROWS_MAX_CLASSES = 32;

    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND_MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Below this, exp is 0 (its result would not be a normal float). */
    private static final float EXP_MIN = -87.0f;
    private static final float EXP_MAX = 88.0f;
    private static final float SQRT2 = 1.41421356f;

    VectorLossKernels() {
        // Below 128 bits the API runs without intrinsics, far slower than plain loops.
        if (F.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector size is only " + F.vectorBitSize() + " bits");
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    boolean allFinite(float[] x, int n) {
        // (bits & exponent) + 1 exponent unit sets the sign bit exactly for NaN and infinity
        IntVector flags = IntVector.zero(I);
        int i = 0;
        for (; i <= n - L; i += L) {
            IntVector bits = FloatVector.fromArray(F, x, i).reinterpretAsInts();
            flags = flags.or(bits.and(0x7f800000).add(0x00800000));
        }
        if (flags.reduceLanes(VectorOperators.OR) < 0) {
            return false;
        }
        for (; i < n; i++) {
            if (!Float.isFinite(x[i])) {
                return false;
            }
        }
        return true;
    }

    // ---- softmax kinds ----

    @Override
    double softmax(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int classes, int[] targets,
                   float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        if (classes > ACROSS_ROWS_MAX_CLASSES) {
            return softmaxByRow(loss, logits, rowStart, rowEnd, classes, targets, gradScale, grad, rowLoss, rowPt);
        }
        int[] columnIndex = new int[L];
        for (int lane = 0; lane < L; lane++) {
            columnIndex[lane] = lane * classes;
        }
        float[] zTile = new float[classes * L]; // column-major: zTile[j * L + lane]
        float[] eTile = new float[classes * L];
        float[] weights = loss.classWeights;
        LossKind kind = loss.kind;
        float margin = loss.margin;
        float sharpness = loss.sharpness;
        float gamma = loss.gamma;
        FloatVector one = FloatVector.broadcast(F, 1f);
        DoubleVector sumLow = DoubleVector.zero(D);
        DoubleVector sumHigh = DoubleVector.zero(D);
        int r0 = rowStart;
        for (; r0 <= rowEnd - L; r0 += L) {
            int base = r0 * classes;
            FloatVector max = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < classes; j++) {
                FloatVector z = FloatVector.fromArray(F, logits, base + j, columnIndex, 0);
                z.intoArray(zTile, j * L);
                max = max.max(z);
            }
            FloatVector targetClass = (FloatVector) IntVector.fromArray(I, targets, r0)
                    .convert(VectorOperators.I2F, 0);
            FloatVector others = FloatVector.zero(F);
            FloatVector target = FloatVector.zero(F);
            FloatVector targetLogit = FloatVector.zero(F);
            for (int j = 0; j < classes; j++) {
                FloatVector z = FloatVector.fromArray(F, zTile, j * L);
                FloatVector e = exp(z.sub(max));
                e.intoArray(eTile, j * L);
                VectorMask<Float> isTarget = targetClass.compare(VectorOperators.EQ, (float) j);
                target = target.blend(e, isTarget);
                targetLogit = targetLogit.blend(z, isTarget);
                others = others.add(e, isTarget.not()); // q's numerator, never 1 - p_t
            }
            FloatVector sum = target.add(others);
            FloatVector inverse = one.div(sum);
            FloatVector pt = target.mul(inverse);
            FloatVector q = others.mul(inverse);
            // log(sum) as a log1p: exact where the target is the largest logit (target == 1)
            FloatVector logSum = log1p(others.add(target.sub(1f)));
            FloatVector logPt = targetLogit.sub(max).sub(logSum);
            FloatVector weight = weights == null ? one : FloatVector.fromArray(F, weights, 0, targets, r0);

            FloatVector lossV;
            FloatVector coefficient;
            switch (kind) {
                case CE:
                case WEIGHTED_CE:
                    lossV = weight.mul(logPt).neg();
                    coefficient = weight;
                    break;
                case GATED: {
                    FloatVector gate = step(pt, margin);
                    lossV = gate.mul(logPt).neg();
                    coefficient = gate;
                    break;
                }
                case SOFT_GATED: {
                    FloatVector y = FloatVector.broadcast(F, margin).sub(pt).mul(sharpness);
                    FloatVector e = exp(y.abs().neg());
                    FloatVector sigmoidAbs = one.div(one.add(e));
                    FloatVector sigmoidNegAbs = e.mul(sigmoidAbs);
                    VectorMask<Float> nonNegative = y.compare(VectorOperators.GE, 0f);
                    FloatVector w = sigmoidNegAbs.blend(sigmoidAbs, nonNegative);
                    FloatVector oneMinusW = sigmoidAbs.blend(sigmoidNegAbs, nonNegative);
                    lossV = w.mul(logPt).neg();
                    // w - k w (1 - w) p_t log p_t
                    coefficient = w.sub(w.mul(oneMinusW).mul(pt).mul(logPt).mul(sharpness));
                    break;
                }
                case FOCAL: {
                    FloatVector qGamma;
                    if (gamma == 0f) {
                        qGamma = one; // 0^0 == 1
                    } else {
                        // log q = log(others) - log(sum); others below the normal range is flushed,
                        // harmless since every use of q^gamma is multiplied by q, p_j or log p_t
                        FloatVector logQ = log(others.max(Float.MIN_NORMAL)).sub(logSum);
                        qGamma = exp(logQ.mul(gamma));
                    }
                    // q^(gamma-1) log p written as q^gamma (log p / q); the ratio tends to -1 as q -> 0
                    FloatVector ratio = logPt.div(q).blend(-1f, q.compare(VectorOperators.EQ, 0f));
                    FloatVector aq = weight.mul(qGamma);
                    lossV = aq.mul(logPt).neg();
                    coefficient = aq.mul(one.sub(pt.mul(ratio).mul(gamma)));
                    break;
                }
                default:
                    throw new IllegalStateException(kind + " is not a softmax kind");
            }
            sumLow = sumLow.add(lossV.convertShape(VectorOperators.F2D, D, 0));
            sumHigh = sumHigh.add(lossV.convertShape(VectorOperators.F2D, D, 1));
            if (rowLoss != null) {
                lossV.intoArray(rowLoss, r0);
            }
            if (rowPt != null) {
                pt.intoArray(rowPt, r0);
            }
            if (grad != null) {
                FloatVector b = coefficient.mul(gradScale);
                FloatVector perExp = b.mul(inverse);
                FloatVector targetGrad = b.mul(q).neg();
                for (int j = 0; j < classes; j++) {
                    FloatVector g = FloatVector.fromArray(F, eTile, j * L).mul(perExp)
                            .blend(targetGrad, targetClass.compare(VectorOperators.EQ, (float) j));
                    g.intoArray(grad, base + j, columnIndex, 0);
                }
            }
        }
        double total = sumLow.add(sumHigh).reduceLanes(VectorOperators.ADD);
        if (r0 < rowEnd) {
            total += ScalarLossKernels.INSTANCE.softmax(loss, logits, r0, rowEnd, classes, targets, gradScale, grad,
                    rowLoss, rowPt);
        }
        return total;
    }

    // ---- binary kinds ----

    @Override
    double binary(FusedLoss loss, float[] logits, int rowStart, int rowEnd, int[] targets,
                  float gradScale, float[] grad, float[] rowLoss, float[] rowPt) {
        LossKind kind = loss.kind;
        float margin = loss.margin;
        float gamma = loss.gamma;
        float alpha = loss.binaryAlpha;
        FloatVector one = FloatVector.broadcast(F, 1f);
        DoubleVector sumLow = DoubleVector.zero(D);
        DoubleVector sumHigh = DoubleVector.zero(D);
        int i = rowStart;
        for (; i <= rowEnd - L; i += L) {
            FloatVector x = FloatVector.fromArray(F, logits, i);
            VectorMask<Float> positive = IntVector.fromArray(I, targets, i).compare(VectorOperators.EQ, 1).cast(F);
            FloatVector e = exp(x.abs().neg());
            FloatVector log1pE = log1p(e);
            FloatVector sigmoidAbs = one.div(one.add(e));   // sigma(|x|)
            FloatVector sigmoidNegAbs = e.mul(sigmoidAbs);  // sigma(-|x|), without 1 - sigma's cancellation
            VectorMask<Float> nonNegative = x.compare(VectorOperators.GE, 0f);
            FloatVector s = sigmoidNegAbs.blend(sigmoidAbs, nonNegative);
            FloatVector oneMinusS = sigmoidAbs.blend(sigmoidNegAbs, nonNegative);
            FloatVector u = x.neg().blend(x, positive);          // the logit of p_t
            FloatVector pt = oneMinusS.blend(s, positive);
            FloatVector qb = s.blend(oneMinusS, positive);       // 1 - p_t
            FloatVector bce = u.neg().max(0f).add(log1pE);       // -log p_t
            FloatVector sign = one.blend(-1f, positive);          // d(-log p_t)/dx = s - y = sign * qb
            FloatVector signedQb = qb.mul(sign);
            FloatVector lossV;
            FloatVector dLossDx;
            switch (kind) {
                case BCE:
                    lossV = bce;
                    dLossDx = signedQb;
                    break;
                case GATED_BCE: {
                    FloatVector gate = step(pt, margin); // the report's lambda, == theta(m - p_t)
                    lossV = gate.mul(bce);
                    dLossDx = gate.mul(signedQb);
                    break;
                }
                case SIGMOID_FOCAL: {
                    FloatVector a = alpha < 0 ? one
                            : FloatVector.broadcast(F, 1f - alpha).blend(FloatVector.broadcast(F, alpha), positive);
                    FloatVector logQb = u.max(0f).add(log1pE).neg();
                    FloatVector aq = a.mul(exp(logQb.mul(gamma)));
                    lossV = aq.mul(bce);
                    // a sign qb^gamma (qb + gamma p_t bce)
                    dLossDx = aq.mul(sign).mul(qb.add(pt.mul(bce).mul(gamma)));
                    break;
                }
                default:
                    throw new IllegalStateException(kind + " is not a binary kind");
            }
            sumLow = sumLow.add(lossV.convertShape(VectorOperators.F2D, D, 0));
            sumHigh = sumHigh.add(lossV.convertShape(VectorOperators.F2D, D, 1));
            if (rowLoss != null) {
                lossV.intoArray(rowLoss, i);
            }
            if (rowPt != null) {
                pt.intoArray(rowPt, i);
            }
            if (grad != null) {
                dLossDx.mul(gradScale).intoArray(grad, i);
            }
        }
        double total = sumLow.add(sumHigh).reduceLanes(VectorOperators.ADD);
        if (i < rowEnd) {
            total += ScalarLossKernels.INSTANCE.binary(loss, logits, i, rowEnd, targets, gradScale, grad, rowLoss, rowPt);
        }
        return total;
    }

    // ---- row primitives for wide rows ----

    @Override
    float max(float[] x, int off, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = 0;
        for (; j <= n - L; j += L) {
            acc = acc.max(FloatVector.fromArray(F, x, off + j));
        }
        float max = acc.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    @Override
    void expShifted(float[] x, int xo, float shift, float[] out, int oo, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            exp(FloatVector.fromArray(F, x, xo + j).sub(shift)).intoArray(out, oo + j);
        }
        for (; j < n; j++) {
            out[oo + j] = (float) Math.exp(x[xo + j] - shift);
        }
    }

    @Override
    double sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(F);
        int j = 0;
        for (; j <= n - L; j += L) {
            acc = acc.add(FloatVector.fromArray(F, x, off + j));
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            sum += x[off + j];
        }
        return sum;
    }

    @Override
    void scale(float[] x, int off, int n, float factor) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector.fromArray(F, x, off + j).mul(factor).intoArray(x, off + j);
        }
        for (; j < n; j++) {
            x[off + j] *= factor;
        }
    }

    // ---- elementary functions ----

    /** {@code theta(margin - p)}: 1 below the margin, 1/2 on it, 0 above. */
    private static FloatVector step(FloatVector p, float margin) {
        return FloatVector.zero(F)
                .blend(0.5f, p.compare(VectorOperators.EQ, margin))
                .blend(1f, p.compare(VectorOperators.LT, margin));
    }

    /**
     * {@code exp(x)} to about 1 ulp for {@code x <= 88}; 0 below -87 (where the result would not be a
     * normal float). Range reduction {@code x = n ln2 + r}, {@code |r| <= ln2/2}, Cephes' polynomial.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector shifted = clamped.fma(LOG2E, ROUND_MAGIC); // the low bits hold n = round(x / ln2)
        FloatVector n = shifted.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), clamped);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500E-4f);
        p = mulAdd(p, r, 1.3981999507E-3f);
        p = mulAdd(p, r, 8.3334519073E-3f);
        p = mulAdd(p, r, 4.1665795894E-2f);
        p = mulAdd(p, r, 1.6666665459E-1f);
        p = mulAdd(p, r, 5.0000001201E-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);
        // multiply by 2^n: add n to the exponent field
        IntVector twoToN = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        FloatVector result = p.reinterpretAsInts().add(twoToN).reinterpretAsFloats();
        return result.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /**
     * {@code log(x)} to about 1 ulp for normal positive {@code x}: {@code x = m 2^e} with
     * {@code m} in {@code [sqrt(1/2), sqrt(2))}, Cephes' polynomial in {@code m - 1}.
     */
    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        FloatVector exponent = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127)
                .convert(VectorOperators.I2F, 0);
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats(); // [1, 2)
        VectorMask<Float> high = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), high);
        exponent = exponent.add(1f, high);
        FloatVector f = m.sub(1f);
        FloatVector z = f.mul(f);
        FloatVector p = FloatVector.broadcast(F, 7.0376836292E-2f);
        p = mulAdd(p, f, -1.1514610310E-1f);
        p = mulAdd(p, f, 1.1676998740E-1f);
        p = mulAdd(p, f, -1.2420140846E-1f);
        p = mulAdd(p, f, 1.4249322787E-1f);
        p = mulAdd(p, f, -1.6668057665E-1f);
        p = mulAdd(p, f, 2.0000714765E-1f);
        p = mulAdd(p, f, -2.4999993993E-1f);
        p = mulAdd(p, f, 3.3333331174E-1f);
        FloatVector y = p.mul(f).mul(z);
        y = exponent.fma(FloatVector.broadcast(F, LN2_LO), y);
        y = z.fma(FloatVector.broadcast(F, -0.5f), y);
        return f.add(y).add(exponent.mul(LN2_HI));
    }

    /** {@code a * b + c} in one rounding. */
    private static FloatVector mulAdd(FloatVector a, FloatVector b, float c) {
        return a.fma(b, FloatVector.broadcast(F, c));
    }

    /**
     * {@code log(1 + x)} for {@code x >= 0}: {@code log(u) + (x - (u - 1)) / u} with {@code u = 1 + x}
     * corrects the rounding of {@code u}, so tiny {@code x} gives {@code x}.
     */
    static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        return log(u).add(x.sub(u.sub(1f)).div(u));
    }
}

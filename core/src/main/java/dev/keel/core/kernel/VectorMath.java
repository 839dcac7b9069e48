package dev.keel.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * keel's one vector {@code exp} and {@code log}, for the core kernels and the loss kernels alike.
 * It touches the Vector API, so only vector-path classes may call it (those that
 * {@link Kernels#loadVectorImplementation} loaded, or {@link Kernels} itself).
 *
 * <p>Why polynomials rather than the Vector API's {@code lanewise(EXP)} / {@code lanewise(LOG)}:
 * those call a platform math library that only some JDK/CPU combinations have (elsewhere a per-lane
 * Java fallback, far slower than scalar code). These are a dozen vector instructions everywhere.
 *
 * <p>{@code exp} is {@link FloatExp#exp(float)} lane by lane, the same operations in the same order,
 * so the scalar and vector paths give the same bits (gradual underflow included). Clamps are
 * compare-and-blend: the lane-wise MIN and MAX keep {@link Math#min}'s NaN and -0.0 rules, several
 * instructions, and give the same results at these bounds.
 *
 * <p>{@code log} is Cephes' {@code logf} (about 1 ulp): {@code u = m 2^e}, {@code m} in
 * {@code [sqrt(1/2), sqrt(2))}, a polynomial in {@code m - 1}. Subnormal arguments are scaled into
 * the normal range first; 0 gives -infinity, a negative number or NaN gives NaN, +infinity itself.
 */
public final class VectorMath {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private static final float SQRT2 = 1.41421356f;
    /** 2^23: multiplies a subnormal into the normal range. */
    private static final float TWO_23 = 8388608f;

    /** No shift, for {@link #exp(float[], int, float[], int, int, float[], int, int)}. */
    private static final float[] NO_SHIFT = new float[L];

    private VectorMath() {
    }

    /** Float lanes of the vectors here. */
    public static int lanes() {
        return L;
    }

    /** {@code e^x} lane by lane: {@link FloatExp#exp(float)}'s bits. */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.blend(FloatExp.LO, x.compare(VectorOperators.LT, FloatExp.LO))
                .blend(FloatExp.HI, x.compare(VectorOperators.GT, FloatExp.HI));
        FloatVector t = xc.fma(FloatExp.LOG2E, FloatExp.SHIFTER); // the low bits hold n = round(x / ln 2)
        FloatVector n = t.sub(FloatExp.SHIFTER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -FloatExp.LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(F, -FloatExp.LN2_LO), r);
        FloatVector p = r.fma(FloatExp.P5, FloatExp.P4)
                .fma(r, FloatVector.broadcast(F, FloatExp.P3))
                .fma(r, FloatVector.broadcast(F, FloatExp.P2))
                .fma(r, FloatVector.broadcast(F, FloatExp.P1))
                .fma(r, FloatVector.broadcast(F, FloatExp.P0));
        p = p.fma(r.mul(r), r).add(1f);
        // times 2^n as 2^(n/2) 2^(n - n/2), each a normal float: overflow gives infinity, underflow is gradual
        IntVector ni = t.reinterpretAsInts().sub(FloatExp.SHIFTER_BITS);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector scale1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scale2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale1).mul(scale2);
    }

    /** {@code out[oo + j] = exp(x[xo + j])} for {@code j < n} ({@code out} may be {@code x}). */
    public static void exp(float[] x, int xo, float[] out, int oo, int n) {
        exp(x, xo, NO_SHIFT, 0, Math.max(n, 1), out, oo, n);
    }

    /**
     * {@code out[oo + j] = exp(x[xo + j] - shift_j)}, where {@code shift_j} is lane {@code j % L} of
     * the vector {@code shifts[s * shiftStride ..]}, {@code s = j / segment}: one shift for all
     * (stride 0), or one per row of a column-major tile of L rows (stride L, segment a tile).
     * {@code out} may be {@code x}. The elements past the last whole vector of a segment go through
     * {@link FloatExp#exp(float)}: the same bits.
     */
    public static void exp(float[] x, int xo, float[] shifts, int shiftStride, int segment, float[] out, int oo,
                           int n) {
        for (int start = 0, s = 0; start < n; start += segment, s += shiftStride) {
            FloatVector shift = FloatVector.fromArray(F, shifts, s);
            int end = Math.min(n, start + segment);
            int aligned = start + (end - start) / L * L;
            for (int at = start; at < aligned; at += L) {
                exp(FloatVector.fromArray(F, x, xo + at).sub(shift)).intoArray(out, oo + at);
            }
            if (aligned < end && out != x && shiftStride == 0 && end - start >= L) {
                // the tail as a last vector overlapping the one before (same bits), not element by element
                exp(FloatVector.fromArray(F, x, xo + end - L).sub(shift)).intoArray(out, oo + end - L);
                continue;
            }
            for (int j = aligned; j < end; j++) {
                out[oo + j] = FloatExp.exp(x[xo + j] - shifts[s + (j - start) % L]);
            }
        }
    }

    /** {@code out[oo + j] = log(x[xo + j])} ({@code out} may be {@code x}). */
    public static void log(float[] x, int xo, float[] out, int oo, int n) {
        log(x, xo, 0f, out, oo, n);
    }

    /**
     * {@code out[oo + j] = log1p(x[xo + j])}: {@code (x - (u - 1)) / u} corrects the rounding of
     * {@code u = 1 + x}, so the log1p of a tiny x is x ({@code out} may be {@code x}).
     */
    public static void log1p(float[] x, int xo, float[] out, int oo, int n) {
        log(x, xo, 1f, out, oo, n);
    }

    /** {@code log(plus + x)} for {@code plus} 0 or 1, with log1p's correction (exactly 0 for plus 0). */
    private static void log(float[] x, int xo, float plus, float[] out, int oo, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + j);
            FloatVector u = v.add(plus);
            FloatVector log = plus == 0f ? logOf(u) : logOf(u).add(v.sub(u.sub(plus)).div(u));
            // 0, negative, NaN and +infinity as Math.log has them (NaN compares false to everything)
            log.blend(Float.NEGATIVE_INFINITY, u.compare(VectorOperators.EQ, 0f))
                    .blend(Float.NaN, u.compare(VectorOperators.GE, 0f).not())
                    .blend(Float.POSITIVE_INFINITY, u.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY))
                    .intoArray(out, oo + j);
        }
        for (; j < n; j++) {
            out[oo + j] = (float) (plus == 1f ? Math.log1p(x[xo + j]) : Math.log(x[xo + j]));
        }
    }

    /** {@code log(u)} lane by lane for positive finite {@code u} (the caller handles the special values). */
    private static FloatVector logOf(FloatVector u) {
        VectorMask<Float> subnormal = u.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector scaled = u.blend(u.mul(TWO_23), subnormal);
        IntVector bits = scaled.reinterpretAsInts();
        FloatVector exponent = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127)
                .convert(VectorOperators.I2F, 0);
        exponent = exponent.sub(23f, subnormal);
        FloatVector m = bits.and(0x007fffff).or(0x3f800000).reinterpretAsFloats(); // [1, 2)
        VectorMask<Float> high = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), high);
        exponent = exponent.add(1f, high);
        FloatVector f = m.sub(1f);
        FloatVector z = f.mul(f);
        FloatVector p = FloatVector.broadcast(F, 7.0376836292E-2f)
                .fma(f, FloatVector.broadcast(F, -1.1514610310E-1f))
                .fma(f, FloatVector.broadcast(F, 1.1676998740E-1f))
                .fma(f, FloatVector.broadcast(F, -1.2420140846E-1f))
                .fma(f, FloatVector.broadcast(F, 1.4249322787E-1f))
                .fma(f, FloatVector.broadcast(F, -1.6668057665E-1f))
                .fma(f, FloatVector.broadcast(F, 2.0000714765E-1f))
                .fma(f, FloatVector.broadcast(F, -2.4999993993E-1f))
                .fma(f, FloatVector.broadcast(F, 3.3333331174E-1f));
        FloatVector y = z.fma(FloatVector.broadcast(F, -0.5f),
                exponent.fma(FloatVector.broadcast(F, FloatExp.LN2_LO), p.mul(f).mul(z)));
        return f.add(y).add(exponent.mul(FloatExp.LN2_HI));
    }
}

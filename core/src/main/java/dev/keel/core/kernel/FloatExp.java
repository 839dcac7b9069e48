package dev.keel.core.kernel;

/**
 * {@code exp} for floats by range reduction and a polynomial, written so that the scalar path
 * ({@link #exp(float)}) and the vector path ({@code VectorFloatKernels}, same constants, same
 * operations lane by lane) give bit-identical results.
 *
 * <p>Why not {@link Math#exp} or the Vector API's {@code lanewise(EXP)}: the former costs a
 * double-precision call per element; the latter is a call into a platform math library that only
 * some JDK/CPU combinations have (elsewhere a per-lane Java fallback, far slower than scalar code),
 * whose register spills also slow the softmax loops around it. This one is a dozen vector
 * instructions everywhere.
 *
 * <p>Method (Cephes {@code expf}): clamp x to [{@link #LO}, {@link #HI}]; {@code n = round(x / ln 2)}
 * with the 1.5·2^23 shifter trick (no float-to-int conversion needed); {@code r = x - n ln 2} in two
 * fused steps (Cody–Waite: {@code ln 2 = LN2_HI + LN2_LO}, LN2_HI exact in few bits), so
 * {@code |r| <= ln2/2}; {@code e^r ~ 1 + r + r^2 P(r)} with Cephes' degree-5 minimax P; then
 * {@code 2^n} applied as two factors {@code 2^(n/2) 2^(n - n/2)}, each a normal float, so that
 * results that overflow become infinity and results in the subnormal range round gradually to 0.
 *
 * <p>Accuracy, measured against {@code Math.exp} in double on every 7th float in [-105, 90]: at most
 * 1.01 ulp. Special values: NaN gives NaN, +inf gives +inf, -inf and x below about -103.97 give 0,
 * x above about 88.72 gives +inf.
 */
final class FloatExp {

    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: {@code (x + SHIFTER) - SHIFTER} rounds x to an integer, left in the low mantissa bits. */
    static final float SHIFTER = 12582912f;
    static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    /** Above HI exp overflows; below LO it is below half the smallest subnormal. Clamping keeps n in [-150, 129]. */
    static final float HI = 89f;
    static final float LO = -104f;
    static final float P5 = 1.9875691500E-4f;
    static final float P4 = 1.3981999507E-3f;
    static final float P3 = 8.3334519073E-3f;
    static final float P2 = 4.1665795894E-2f;
    static final float P1 = 1.6666665459E-1f;
    static final float P0 = 5.0000001201E-1f;

    private FloatExp() {
    }

    /** {@code e^x}, within about one ulp. */
    static float exp(float x) {
        float xc = Math.min(Math.max(x, LO), HI); // NaN stays NaN through both
        float t = Math.fma(xc, LOG2E, SHIFTER);
        float n = t - SHIFTER;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P5, P4), r, P3), r, P2), r, P1), r, P0);
        p = Math.fma(p, r * r, r) + 1f;
        int ni = Float.floatToRawIntBits(t) - SHIFTER_BITS;
        int n1 = ni >> 1;
        int n2 = ni - n1;
        return p * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }
}

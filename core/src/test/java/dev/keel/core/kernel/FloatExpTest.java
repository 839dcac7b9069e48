package dev.keel.core.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The polynomial exp both paths share: accuracy over its whole range, special values, and same bits on both paths. */
class FloatExpTest {

    /** Every 4099th bit pattern (a prime stride, so every exponent and many mantissas) in the finite range. */
    private static float[] sweep() {
        float[] xs = new float[1 << 20];
        int count = 0;
        for (long bits = 0; bits < 0x1_0000_0000L; bits += 4099) {
            float x = Float.intBitsToFloat((int) bits);
            if (x >= -105f && x <= 90f) {
                xs[count++] = x;
            }
        }
        return java.util.Arrays.copyOf(xs, count);
    }

    @Test
    void withinOnePointOhTwoUlpsOfTheExactValueEverywhere() {
        double worst = 0;
        float worstX = 0;
        for (float x : sweep()) {
            double exact = Math.exp(x);
            float rounded = (float) exact;
            double ulp = Math.ulp(rounded == 0f ? Float.MIN_VALUE : rounded);
            double errUlps = Float.isInfinite(rounded) ? 0 : Math.abs(FloatExp.exp(x) - exact) / ulp;
            if (Float.isInfinite(rounded) && FloatExp.exp(x) != rounded) {
                fail("exp(" + x + ") should overflow to infinity, got " + FloatExp.exp(x));
            }
            if (errUlps > worst) {
                worst = errUlps;
                worstX = x;
            }
        }
        assertTrue(worst <= 1.02, "worst error " + worst + " ulps at x = " + worstX);
    }

    @Test
    void specialValues() {
        assertTrue(Float.isNaN(FloatExp.exp(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(1f, FloatExp.exp(0f));
        assertEquals(1f, FloatExp.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(88.7229f)); // just past ln(Float.MAX_VALUE)
        assertEquals((float) Math.exp(88.72283f), FloatExp.exp(88.72283f));
        assertEquals(Float.MIN_VALUE, FloatExp.exp(-103.972f)); // the smallest subnormal
        assertEquals(0f, FloatExp.exp(-103.98f));
        assertEquals(0f, FloatExp.exp(-1e30f));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(1e30f));
    }

    @Test
    void vectorPathGivesTheSameBitsAsScalar() {
        FloatKernels vector = Kernels.vector().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(vector != null, "no vector path in this JVM");
        float[] x = sweep();
        float[] v = new float[x.length];
        float[] s = new float[x.length];
        vector.exp(x, 0, v, 0, x.length);
        Kernels.scalar().exp(x, 0, s, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToIntBits(v[i]) != Float.floatToIntBits(s[i])) {
                fail("exp(" + x[i] + "): vector " + v[i] + ", scalar " + s[i]);
            }
        }
    }
}

package dev.keel.core.kernel;

/**
 * The scalar path's GEMM: {@link PackedGemm} with a micro-kernel that holds a 4 x 4 tile of C in
 * scalar locals (16 independent accumulators). Products and sums are separate roundings, added in
 * increasing {@code p} onto the value in C, so every element of C is rounded exactly as the naive loop
 * {@code for p: c[i][j] += a[i][p] * b[p][j]} rounds it, on every JVM, whatever the blocking.
 */
final class ScalarGemm extends PackedGemm {

    static final ScalarGemm INSTANCE = new ScalarGemm();

    private ScalarGemm() {
        super(4, 4, 256, 64, 1024);
    }

    @Override
    float dotOnto(float c, float[] a, int ao, float[] b, int bo, int n) {
        float s = c;
        for (int p = 0; p < n; p++) {
            s += a[ao + p] * b[bo + p];
        }
        return s;
    }

    @Override
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        ScalarFloatKernels.INSTANCE.axpy(alpha, x, xo, y, yo, n);
    }

    /** {@code C[4 x 4] += Apanel . Bpanel} over depth {@code kc}; C has row stride {@code ldc}. */
    @Override
    void microKernel(int kc, float[] ap, int aOff, float[] bp, int bOff,
                     float[] c, int cOff, int ldc) {
        int r0 = cOff, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        float c00 = c[r0], c01 = c[r0 + 1], c02 = c[r0 + 2], c03 = c[r0 + 3];
        float c10 = c[r1], c11 = c[r1 + 1], c12 = c[r1 + 2], c13 = c[r1 + 3];
        float c20 = c[r2], c21 = c[r2 + 1], c22 = c[r2 + 2], c23 = c[r2 + 3];
        float c30 = c[r3], c31 = c[r3 + 1], c32 = c[r3 + 2], c33 = c[r3 + 3];
        for (int p = 0; p < kc; p++) {
            int ai = aOff + 4 * p;
            int bi = bOff + 4 * p;
            float a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
            float b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03;
        c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
        c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
        c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
    }
}

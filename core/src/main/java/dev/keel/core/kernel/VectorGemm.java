package dev.keel.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector path's GEMM: {@link PackedGemm} with a Vector API micro-kernel that keeps
 * {@code MR x 2} vectors of C as independent accumulators in registers and, per depth step, loads two
 * vectors of B and broadcasts MR values of A for {@code 2 MR} fused multiply-adds.
 */
final class VectorGemm extends PackedGemm {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** The micro-tile is MR rows by two vectors: 12 accumulators, 15 registers with the operands. */
    private static final int MR = 6;
    private static final int NR = 2 * L;

    private final VectorFloatKernels rowKernels;

    /**
     * KC = 256: a KC x NR panel of B (32 KiB at 16 lanes) stays in L1 while the A panels stream from
     * an MC x KC block in L2; NC is large so that B is packed once per KC slice for usual sizes.
     */
    VectorGemm(VectorFloatKernels rowKernels) {
        super(MR, NR, 256, 16 * MR, 64 * NR);
        this.rowKernels = rowKernels;
    }

    @Override
    float dotOnto(float c, float[] a, int ao, float[] b, int bo, int n) {
        return c + rowKernels.dot(a, ao, b, bo, n);
    }

    @Override
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        rowKernels.axpy(alpha, x, xo, y, yo, n);
    }

    /** {@code C[MR x NR] += Apanel . Bpanel} over depth {@code kc}; C has row stride {@code ldc}. */
    @Override
    void microKernel(int kc, float[] ap, int aOff, float[] bp, int bOff,
                     float[] c, int cOff, int ldc) {
        // The accumulators start from C, so each element is c + a0*b0 + a1*b1 + ... fused in order of p.
        int r0 = cOff, r1 = cOff + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc;
        FloatVector c00 = FloatVector.fromArray(F, c, r0), c01 = FloatVector.fromArray(F, c, r0 + L);
        FloatVector c10 = FloatVector.fromArray(F, c, r1), c11 = FloatVector.fromArray(F, c, r1 + L);
        FloatVector c20 = FloatVector.fromArray(F, c, r2), c21 = FloatVector.fromArray(F, c, r2 + L);
        FloatVector c30 = FloatVector.fromArray(F, c, r3), c31 = FloatVector.fromArray(F, c, r3 + L);
        FloatVector c40 = FloatVector.fromArray(F, c, r4), c41 = FloatVector.fromArray(F, c, r4 + L);
        FloatVector c50 = FloatVector.fromArray(F, c, r5), c51 = FloatVector.fromArray(F, c, r5 + L);
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            int ai = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector av = FloatVector.broadcast(F, ap[ai]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
        }
        // Stores written out, not in a helper: a vector passed to a call that C2 does not inline is
        // boxed, and a boxed accumulator can make the whole loop allocate (measured: 100x slower).
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
    }
}

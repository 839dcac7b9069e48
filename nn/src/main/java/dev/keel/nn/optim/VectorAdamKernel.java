package dev.keel.nn.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AdamKernel} on the Vector API. Loaded only through
 * {@code Kernels.loadVectorImplementation}, after the vector module has been found; never
 * reference this class directly. Same operations in the same order as the scalar loop.
 */
final class VectorAdamKernel implements AdamKernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    VectorAdamKernel() {
        if (F.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("preferred vector size is only " + F.vectorBitSize() + " bits");
        }
    }

    @Override
    public void update(Coefficients c, float[] w, int wo, float[] g, int go, float[] m, int mo, float[] v, int vo,
                       int n) {
        int lanes = F.length();
        int i = 0;
        for (; i <= n - lanes; i += lanes) {
            FloatVector weight = FloatVector.fromArray(F, w, wo + i);
            FloatVector grad = FloatVector.fromArray(F, g, go + i).add(weight.mul(c.l2));
            FloatVector mNew = FloatVector.fromArray(F, m, mo + i).mul(c.beta1).add(grad.mul(c.oneMinusBeta1));
            FloatVector vNew = FloatVector.fromArray(F, v, vo + i).mul(c.beta2)
                    .add(grad.mul(c.oneMinusBeta2).mul(grad));
            mNew.intoArray(m, mo + i);
            vNew.intoArray(v, vo + i);
            FloatVector denominator = vNew.sqrt().mul(c.invSqrtBias2).add(c.eps);
            weight.mul(c.decay).sub(mNew.mul(c.stepSize).div(denominator)).intoArray(w, wo + i);
        }
        AdamKernel.scalarUpdate(c, w, wo + i, g, go + i, m, mo + i, v, vo + i, n - i);
    }
}

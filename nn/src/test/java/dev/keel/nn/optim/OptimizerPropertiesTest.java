package dev.keel.nn.optim;

import dev.keel.core.Tensor;
import dev.keel.nn.autograd.Parameter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Optimizers never turn finite parameters into NaN with finite gradients: every optimizer, with
 * hyper-parameters anywhere in their accepted ranges, on dense and row-sparse parameters, over a
 * few steps of arbitrary finite gradients.
 */
class OptimizerPropertiesTest {

    private static final int ROWS = 3;
    private static final int COLS = 4;

    /** An optimizer over the given parameters, with a description for failure messages. */
    record Maker(String name, double lrTimesDecay, Function<List<Parameter>, Optimizer> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Weights and gradients of moderate size: the range training can meet. */
    @Property(tries = 600)
    void finiteGradientsNeverGiveNaN(@ForAll("optimizers") Maker maker, @ForAll("moderate") float[] weights,
                                     @ForAll("moderateSteps") List<float[]> gradients, @ForAll boolean sparse) {
        check(maker, weights, gradients, sparse);
    }

    /**
     * Adam and AdamW, weights and gradients up to {@code +-1e18}, any hyper-parameters (for AdamW,
     * {@code lr * decay <= 1}: beyond, {@code 1 - lr * decay} is negative and the weights flip sign
     * and grow every step, as in PyTorch). Beyond about {@code 1.8e19} the squared gradient
     * overflows float and Adam can give NaN, as PyTorch's float32 Adam does: with
     * {@code beta2 = 0} the next step multiplies the infinite moment by 0, and a large
     * {@code lr / (1 - beta1^t) * m} over an infinite denominator is infinity over infinity.
     * keel's training guard therefore checks the weights after every step too.
     */
    @Property(tries = 600)
    void largeWeightsAndGradientsNeverGiveNaNWithAdam(@ForAll("adams") Maker maker, @ForAll("large") float[] weights,
                                                      @ForAll("largeSteps") List<float[]> gradients,
                                                      @ForAll boolean sparse) {
        check(maker, weights, gradients, sparse);
    }

    private static void check(Maker maker, float[] weights, List<float[]> gradients, boolean sparse) {
        Tensor data = Tensor.of(weights.clone(), ROWS, COLS);
        Parameter p = sparse ? Parameter.sparse(data) : Parameter.dense(data);
        Optimizer opt = maker.make().apply(List.of(p));
        for (int step = 0; step < gradients.size(); step++) {
            float[] g = gradients.get(step);
            opt.zeroGrad();
            if (sparse) { // rows 0 and 2 touched, row 1 not
                p.accumulateGradRow(0, 1f, g, 0);
                p.accumulateGradRow(2, 1f, g, 2 * COLS);
            } else {
                System.arraycopy(g, 0, p.gradBuffer().data(), 0, g.length);
            }
            opt.step();
            float[] w = p.data().data();
            for (int i = 0; i < w.length; i++) {
                int at = i;
                int s = step;
                assertFalse(Float.isNaN(w[i]), () -> maker + " turned weight " + at + " into NaN at step " + (s + 1));
            }
        }
    }

    @Provide
    Arbitrary<Maker> optimizers() {
        Arbitrary<Double> lr = Arbitraries.doubles().between(0, 10).ofScale(6).withSpecialValue(0.0).withSpecialValue(10.0);
        Arbitrary<Double> unit = Arbitraries.doubles().between(0, 0.999).ofScale(6).withSpecialValue(0.0);
        Arbitrary<Double> eps = Arbitraries.of(1e-12, 1e-8, 1e-6, 1e-3, 0.1, 1.0);
        Arbitrary<Double> decay = Arbitraries.doubles().between(0, 0.999).ofScale(6).withSpecialValue(0.0);
        Arbitrary<Maker> sgd = Combinators.combine(lr, unit, decay, Arbitraries.of(true, false)).as((r, m, d, nesterov) ->
                new Maker(String.format("SGD(lr %s, momentum %s, nesterov %s, decay %s)", r, m, nesterov && m > 0, d), r * d,
                        ps -> new SGD(ps, r, m, nesterov && m > 0, d)));
        Arbitrary<Maker> adam = Combinators.combine(lr, unit, unit, eps, decay).as((r, b1, b2, e, d) ->
                new Maker(String.format("Adam(lr %s, betas %s %s, eps %s, decay %s)", r, b1, b2, e, d), r * d,
                        ps -> new Adam(ps, r, b1, b2, e, d)));
        Arbitrary<Maker> adamW = Combinators.combine(lr, unit, unit, eps, decay).as((r, b1, b2, e, d) ->
                new Maker(String.format("AdamW(lr %s, betas %s %s, eps %s, decay %s)", r, b1, b2, e, d), r * d,
                        ps -> new AdamW(ps, r, b1, b2, e, d)));
        return Arbitraries.oneOf(sgd, adam, adamW);
    }

    @Provide
    Arbitrary<Maker> adams() {
        return optimizers().filter(m -> m.name().startsWith("Adam") && m.lrTimesDecay() <= 1);
    }

    @Provide
    Arbitrary<float[]> moderate() {
        return values(1e6f);
    }

    @Provide
    Arbitrary<List<float[]>> moderateSteps() {
        return values(1e6f).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<float[]> large() {
        return values(1e18f);
    }

    @Provide
    Arbitrary<List<float[]>> largeSteps() {
        return values(1e18f).list().ofMinSize(1).ofMaxSize(8);
    }

    /** {@code ROWS x COLS} floats in {@code [-limit, limit]}, with zeros, signed zeros, subnormals and the limits mixed in. */
    private static Arbitrary<float[]> values(float limit) {
        return Arbitraries.floats().between(-limit, limit).ofScale(8)
                .withSpecialValue(0f).withSpecialValue(-0f).withSpecialValue(Float.MIN_VALUE)
                .withSpecialValue(limit).withSpecialValue(-limit)
                .array(float[].class).ofSize(ROWS * COLS);
    }
}

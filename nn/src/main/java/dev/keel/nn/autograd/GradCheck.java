package dev.keel.nn.autograd;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Compares autograd's gradients with numerical ones, as PyTorch's {@code gradcheck}: for every
 * element {@code x} of every checked leaf, a central difference {@code (f(x + h) - f(x - h)) / 2h}
 * with one step of Richardson extrapolation ({@code (4 D(h/2) - D(h)) / 3}, error {@code O(h^4)}).
 *
 * <p>The function itself runs in float, as keel does; the checker does everything else in double:
 * the realised step (the float {@code x + h} minus the float {@code x - h}, exactly), the
 * differences and the quotient, and the projection of a non-scalar output onto fixed random
 * weights {@code w} (the checked quantity is then {@code sum_i w_i f_i(x)}, whose gradient is
 * {@code backward(w)}). The default step {@code h = 1e-2 * max(1, |x|)} balances float rounding
 * in {@code f} ({@code ~6e-8 |f| / h}) against truncation. Keep inputs away from kinks (ReLU at 0)
 * by more than {@code h}.
 *
 * <p>The result names the worst element (by {@code |analytic - numeric| / (atol + rtol |numeric|)})
 * and the largest absolute and relative errors.
 */
public final class GradCheck {

    /** Default absolute tolerance. */
    public static final double ATOL = 1e-4;
    /** Default relative tolerance. */
    public static final double RTOL = 1e-3;
    /** Default relative step. */
    public static final double STEP = 1e-2;

    private GradCheck() {
    }

    /**
     * The outcome of a check.
     *
     * @param worstLeaf     index of the leaf holding the worst element (-1 if nothing was checked)
     * @param worstIndex    flat index of the worst element within that leaf
     * @param analytic      autograd's gradient at the worst element
     * @param numeric       the finite-difference gradient there
     * @param maxAbsError   largest {@code |analytic - numeric|} over all elements
     * @param maxRelError   largest {@code |analytic - numeric| / max(|analytic|, |numeric|)} (0 where both are 0)
     * @param worstRatio    the worst element's error over its tolerance: the check passes when {@code <= 1}
     * @param checked       number of elements checked
     */
    public record Result(int worstLeaf, int worstIndex, double analytic, double numeric, double maxAbsError,
                         double maxRelError, double worstRatio, int checked, double atol, double rtol) {

        public boolean passed() {
            return worstRatio <= 1.0;
        }

        @Override
        public String toString() {
            return String.format("gradcheck %s over %d elements: worst at leaf %d element %d: analytic %.8g, "
                            + "numeric %.8g (|diff| / tolerance = %.3g); max abs error %.3g, max rel error %.3g "
                            + "(atol %.1g, rtol %.1g)",
                    passed() ? "passed" : "FAILED", checked, worstLeaf, worstIndex, analytic, numeric, worstRatio,
                    maxAbsError, maxRelError, atol, rtol);
        }
    }

    /**
     * Checks {@code f} with respect to each of {@code inputs} (wrapped as leaves requiring a
     * gradient and passed to {@code f} in order), with the default step and tolerances.
     */
    public static Result check(Function<Value[], Value> f, Tensor... inputs) {
        return check(f, STEP, ATOL, RTOL, inputs);
    }

    /** As {@link #check(Function, Tensor...)} with explicit step and tolerances. */
    public static Result check(Function<Value[], Value> f, double step, double atol, double rtol, Tensor... inputs) {
        Value[] leaves = new Value[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = Value.leaf(inputs[i]);
        }
        return check(() -> f.apply(leaves), Arrays.asList(leaves), step, atol, rtol);
    }

    /**
     * Checks {@code f}, a function that reads {@code leaves} (for instance a module's parameters),
     * with the default step and tolerances. Each leaf's gradient is zeroed first.
     */
    public static Result check(Supplier<Value> f, List<? extends Value> leaves) {
        return check(f, leaves, STEP, ATOL, RTOL);
    }

    /** As {@link #check(Supplier, List)} with explicit step and tolerances. */
    @SuppressWarnings("try") // the NoGrad scope is used for its effect, not referenced
    public static Result check(Supplier<Value> f, List<? extends Value> leaves, double step, double atol,
                               double rtol) {
        for (Value leaf : leaves) {
            if (!leaf.requiresGrad() || !leaf.isLeaf()) {
                throw new IllegalArgumentException("gradcheck: " + leaf + " is not a leaf that requires a gradient");
            }
            leaf.zeroGrad();
        }
        Value out = f.get();
        // Fixed weights make every output element count; for a scalar, weight 1.
        Tensor weights = out.data().size() == 1 ? Tensor.full(1f, out.shape())
                : Tensor.randn(new KeelRandom(0x9e3779b97f4a7c15L), 0f, 1f, out.shape());
        out.backward(weights);
        List<float[]> analytic = new ArrayList<>();
        for (Value leaf : leaves) {
            Tensor g = leaf.grad();
            analytic.add(g == null ? new float[leaf.data().size()] : g.toArray());
        }

        Accumulator acc = new Accumulator(atol, rtol);
        try (NoGrad ignored = NoGrad.enter()) {
            for (int l = 0; l < leaves.size(); l++) {
                Tensor x = leaves.get(l).data();
                float[] xs = x.data();
                for (int i = 0; i < x.size(); i++) {
                    int at = x.offset() + i;
                    float original = xs[at];
                    double h = step * Math.max(1.0, Math.abs(original));
                    double coarse = centralDifference(f, weights, xs, at, original, h);
                    double fine = centralDifference(f, weights, xs, at, original, h / 2);
                    acc.add(l, i, analytic.get(l)[i], (4 * fine - coarse) / 3);
                }
            }
        }
        return acc.result();
    }

    private static double centralDifference(Supplier<Value> f, Tensor weights, float[] xs, int at, float original,
                                            double h) {
        float plus = (float) (original + h);
        float minus = (float) (original - h);
        try {
            xs[at] = plus;
            double fPlus = projected(f.get().data(), weights);
            xs[at] = minus;
            double fMinus = projected(f.get().data(), weights);
            return (fPlus - fMinus) / ((double) plus - (double) minus);
        } finally {
            xs[at] = original;
        }
    }

    private static double projected(Tensor out, Tensor weights) {
        double s = 0;
        for (int i = 0; i < out.size(); i++) {
            s += (double) out.data()[out.offset() + i] * weights.data()[weights.offset() + i];
        }
        return s;
    }

    private static final class Accumulator {
        final double atol, rtol;
        int worstLeaf = -1, worstIndex = -1, checked;
        double worstAnalytic, worstNumeric, maxAbs, maxRel, worstRatio;

        Accumulator(double atol, double rtol) {
            this.atol = atol;
            this.rtol = rtol;
        }

        void add(int leaf, int index, double analytic, double numeric) {
            checked++;
            double abs = Math.abs(analytic - numeric);
            double scale = Math.max(Math.abs(analytic), Math.abs(numeric));
            double rel = scale == 0 ? 0 : abs / scale;
            double ratio = abs / (atol + rtol * Math.abs(numeric));
            if (Double.isNaN(abs)) {
                ratio = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, rel);
            if (worstLeaf < 0 || ratio > worstRatio) {
                worstLeaf = leaf;
                worstIndex = index;
                worstAnalytic = analytic;
                worstNumeric = numeric;
                worstRatio = ratio;
            }
        }

        Result result() {
            return new Result(worstLeaf, worstIndex, worstAnalytic, worstNumeric, maxAbs, maxRel, worstRatio, checked,
                    atol, rtol);
        }
    }
}

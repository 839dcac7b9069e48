package dev.keel.nn.loss;

import dev.keel.nn.testing.ReferenceLosses;
import dev.keel.core.KeelRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every loss kind on arbitrary finite logits (shapes, targets and hyper-parameters drawn too):
 * the loss and every gradient element are finite on every kernel path, and the vector path
 * agrees with the scalar one (the tolerances of {@code LossPropertiesTest}).
 */
class LossKernelPropertiesTest {

    /** A batch: {@code rows x classes} logits ({@code classes == 1}: the binary kinds), targets, a seed for the losses' parameters. */
    record Batch(int rows, int classes, float[] logits, int[] targets, long seed) {
        @Override
        public String toString() {
            return rows + "x" + classes + " seed " + seed;
        }
    }

    @Property(tries = 300)
    void finiteLogitsGiveFiniteLossesAndGradientsOnEveryPath(@ForAll("batches") Batch batch) {
        List<String> failures = new ArrayList<>();
        for (FusedLoss loss : losses(batch)) {
            for (LossKernels path : LossTestSupport.paths()) {
                for (Reduction reduction : Reduction.values()) {
                    FusedLoss l = loss.withKernels(path).withReduction(reduction);
                    float[] grad = new float[batch.logits().length];
                    float[] rowLosses = new float[batch.rows()];
                    double value = l.computeRows(batch.logits(), batch.rows(), batch.classes(), batch.targets(), rowLosses,
                            grad);
                    if (!Double.isFinite(value)) {
                        failures.add(l + " " + batch + ": loss " + value);
                    }
                    for (int i = 0; i < grad.length; i++) {
                        if (!Float.isFinite(grad[i])) {
                            failures.add(l + " " + batch + ": grad[" + i + "] = " + grad[i] + " at logit " + batch.logits()[i]);
                            break;
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    /**
     * Far beyond the specification's range: logits up to {@code +-1e30} (the loss then reaches
     * about 1e30, still a float).
     */
    @Property(tries = 100)
    void hugeFiniteLogitsStillGiveFiniteLosses(@ForAll("hugeBatches") Batch batch) {
        finiteLogitsGiveFiniteLossesAndGradientsOnEveryPath(batch);
    }

    /**
     * Any finite logits at all, up to {@code +-Float.MAX_VALUE}: a row whose target logit lies more
     * than the float range below its largest (log p_t is -infinity in float) is rejected with an
     * {@link IllegalArgumentException} naming it (on the vector path, a two-class row whose two
     * logits are that far apart, whichever is the target: it works on their difference); otherwise
     * the gradient is finite and the loss is never NaN (a sum of rows may still overflow).
     */
    @Property(tries = 100)
    void anyFiniteLogitsGiveAGradientOrANamedRejection(@ForAll("anyBatches") Batch batch) {
        for (FusedLoss loss : losses(batch)) {
            for (LossKernels path : LossTestSupport.paths()) {
                FusedLoss l = loss.withKernels(path).withReduction(Reduction.SUM);
                float[] grad = new float[batch.logits().length];
                double value;
                try {
                    value = l.compute(batch.logits(), batch.rows(), batch.classes(), batch.targets(), grad);
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage().contains("more than the float range"), l + ": " + e.getMessage());
                    continue;
                }
                assertFalse(Double.isNaN(value), l + " " + batch + ": NaN loss");
                for (int i = 0; i < grad.length; i++) {
                    assertTrue(Float.isFinite(grad[i]), l + " " + batch + ": grad[" + i + "] = " + grad[i]);
                }
            }
        }
    }

    /**
     * Found by the property above on 2026-11-28, fixed since: a row whose target logit is
     * {@code -Float.MAX_VALUE} (its {@code log p_t} still a finite float, so the row is not rejected).
     * On the vector path focal's {@code log p_t / q} overflowed to -infinity where {@code q} rounded
     * to just below 1, and {@code p_t} (0) times it made the gradient NaN. Here {@code p_t} is 0 and
     * {@code q} is 1 in double, so the loss is {@code -a_t log p_t} and the gradient
     * {@code a_t (p_j - [j = t])}, whatever gamma: checked on every path against the double
     * reference, for 17 rows (the vector path's across-rows tiles and its scalar tail).
     */
    @Test
    void focalVectorPathTargetNearMinusFloatMax() {
        float[] alpha = {0.25f, 1f, 1f, 1f, 1f};
        List<FusedLoss> losses = new ArrayList<>();
        for (float gamma : new float[] {0f, 0.5f, 2f, 10f}) {
            losses.add(FusedLoss.of(new FocalLoss(gamma)));
            losses.add(FusedLoss.of(new FocalLoss(gamma, alpha)));
        }
        checkTargetNearMinusFloatMax(losses);
    }

    /**
     * The same rows for weighted cross entropy with the target's weight above 1: each row's loss
     * ({@code 2 * 3.4e38}) overflows a float, and the vector path summed the float row losses to an
     * infinite total where the scalar path's double sum is finite. Rows whose float loss overflows
     * are now summed in double on the vector path too; the other kinds' factors are at most 1.
     */
    @Test
    void weightedCrossEntropyTargetNearMinusFloatMaxHasAFiniteTotal() {
        float[] weights = {2f, 1f, 0.5f, 1f, 3f};
        checkTargetNearMinusFloatMax(List.of(FusedLoss.of(new WeightedCrossEntropy(weights))));
    }

    /** Focal or (weighted) cross entropy on rows whose target logit is {@code -Float.MAX_VALUE}. */
    private static void checkTargetNearMinusFloatMax(List<FusedLoss> losses) {
        float[] row = {-Float.MAX_VALUE, -0.01f, 1.0f, 1.4E-45f, -1550365.6f};
        int classes = row.length;
        int rows = 17;
        float[] logits = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(row, 0, logits, r * classes, classes);
        }
        int[] targets = new int[rows];
        double[] p = ReferenceLosses.softmax(ReferenceLosses.toDouble(row), 0, classes);
        for (FusedLoss loss : losses) {
            double factor = loss.classWeights != null ? loss.classWeights[targets[0]] : 1; // a_t or w_t
            double expectedSum = ReferenceLosses.loss(loss.kind(), ReferenceLosses.toDouble(logits), rows, classes, targets)
                    * ReferenceLosses.divisor(loss.kind(), rows, targets);
            for (LossKernels path : LossTestSupport.paths()) {
                FusedLoss l = loss.withKernels(path).withReduction(Reduction.SUM);
                float[] grad = new float[logits.length];
                double value = l.compute(logits, rows, classes, targets, grad);
                assertTrue(LossTestSupport.withinGolden(expectedSum, value), l + ": loss " + value + ", expected "
                        + expectedSum);
                for (int i = 0; i < grad.length; i++) {
                    int j = i % classes;
                    double expected = factor * (p[j] - (j == 0 ? 1 : 0));
                    assertTrue(Math.abs(grad[i] - expected) <= 1e-4 * Math.abs(expected) + 1e-7,
                            l + ": grad[" + i + "] = " + grad[i] + ", expected " + expected);
                }
            }
        }
    }

    @Property(tries = 300)
    void vectorPathMatchesScalarPath(@ForAll("batches") Batch batch) {
        LossKernels vector = LossKernels.vector().orElse(null);
        if (vector == null) {
            return; // the scalar surefire pass: only one path
        }
        List<String> failures = new ArrayList<>();
        for (FusedLoss loss : losses(batch)) {
            LossPropertiesTest.compare(loss, vector, batch.logits(), batch.rows(), batch.classes(), batch.targets(),
                    failures);
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    /** Every kind for the batch's shape, with parameters drawn from the batch's seed (focal's gamma up to 10). */
    private static List<FusedLoss> losses(Batch batch) {
        KeelRandom random = new KeelRandom(batch.seed());
        if (batch.classes() == 1) {
            List<FusedLoss> binary = new ArrayList<>(LossTestSupport.everyBinaryKind());
            binary.add(FusedLoss.of(new SigmoidFocalLoss(10f * random.nextFloat(), random.nextFloat())));
            binary.add(FusedLoss.of(new GatedBinaryCrossEntropy(0.5f + 0.49f * random.nextFloat() + 0.001f)));
            return binary;
        }
        List<FusedLoss> all = new ArrayList<>(LossTestSupport.everyKind(random, batch.classes()));
        float lowest = 1f / batch.classes();
        float margin = lowest + (1 - lowest) * (0.001f + 0.998f * random.nextFloat());
        all.add(FusedLoss.of(new GatedCrossEntropy(margin)));
        all.add(FusedLoss.of(new SoftGatedCrossEntropy(margin, 0.01f + 1000f * random.nextFloat())));
        all.add(FusedLoss.of(new FocalLoss(10f * random.nextFloat())));
        return all;
    }

    /**
     * Shapes from 1 x 1 to 70 x 40 (crossing the vector path's 16-row tiles and 32-class limit),
     * logits anywhere in {@code [-limit, limit]} ({@code 1e4} is the specification's range) with
     * its ends, zero and small values mixed in, targets uniform.
     */
    @Provide
    Arbitrary<Batch> batches() {
        return batches(1e4f);
    }

    @Provide
    Arbitrary<Batch> hugeBatches() {
        return batches(1e30f);
    }

    @Provide
    Arbitrary<Batch> anyBatches() {
        return batches(Float.MAX_VALUE);
    }

    private static Arbitrary<Batch> batches(float limit) {
        Arbitrary<Integer> rows = Arbitraries.oneOf(Arbitraries.integers().between(1, 70), Arbitraries.of(16, 17));
        Arbitrary<Integer> classes = Arbitraries.oneOf(Arbitraries.integers().between(1, 40), Arbitraries.of(1, 2, 32, 33));
        Arbitrary<Float> logit = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.floats().between(-limit, limit)),
                Tuple.of(2, Arbitraries.floats().between(-20f, 20f)),
                Tuple.of(1, Arbitraries.of(limit, -limit, 0f, -0f, 9999.5f, Float.MIN_VALUE)));
        return Combinators.combine(rows, classes, Arbitraries.longs()).flatAs((r, c, seed) -> {
            int targetsUpTo = c == 1 ? 2 : c;
            Arbitrary<float[]> logits = logit.array(float[].class).ofSize(r * c);
            Arbitrary<int[]> targets = Arbitraries.integers().between(0, targetsUpTo - 1).array(int[].class).ofSize(r);
            return Combinators.combine(logits, targets).as((z, t) -> new Batch(r, c, z, t, seed));
        });
    }
}

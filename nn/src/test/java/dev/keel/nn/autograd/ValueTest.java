package dev.keel.nn.autograd;

import dev.keel.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.keel.nn.testing.Checks.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's bookkeeping: accumulation, retained gradients, hooks, no-grad mode, deep graphs. */
class ValueTest {

    private static Value scalar(float v) {
        return Value.leaf(Tensor.full(v));
    }

    @Test
    void microgradExample() {
        // micrograd's README example, whose gradients are easy to derive by hand:
        // c = a + b, d = a * b + b^3 ... here a smaller one: f = (a * b + a) * b
        Value a = scalar(-4f), b = scalar(2f);
        Value f = a.mul(b).add(a).mul(b);
        f.backward();
        assertEquals((-4f * 2f + -4f) * 2f, f.item());
        assertEquals(2f * 2f + 2f, a.grad().item()); // df/da = b^2 + b
        assertEquals(2f * -4f * 2f + -4f, b.grad().item()); // df/db = 2ab + a
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Value x = scalar(3f);
        x.mul(x).backward();
        x.mul(x).backward();
        assertEquals(12f, x.grad().item()); // 2 * (2x)
        x.zeroGrad();
        x.scale(5f).backward();
        assertEquals(5f, x.grad().item());
    }

    @Test
    void intermediateGradientsAreFreedUnlessRetainedAndHooksSeeThem() {
        Value x = Value.leaf(randn(1, 2, 3));
        Value hidden = x.tanh();
        Value kept = x.scale(2f).retainGrad();
        List<float[]> seen = new ArrayList<>();
        hidden.registerHook(g -> seen.add(g.toArray()));
        hidden.add(kept).sum().backward();
        assertNull(hidden.grad(), "intermediate gradient freed");
        assertEquals(1, seen.size());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, seen.get(0)); // d sum / d hidden
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, kept.grad().toArray());
    }

    @Test
    void aRetainedGradientFlowsOncePerPass() {
        // h = x^2 retained, used by two outputs backpropagated one after the other
        Value x = Value.leaf(Tensor.of(new float[] {1.5f, -2f}, 2));
        Value h = x.mul(x).retainGrad();
        h.scale(2f).sum().backward();
        h.scale(3f).sum().backward();
        assertArrayEquals(new float[] {5f, 5f}, h.grad().toArray()); // 2 + 3
        assertArrayEquals(new float[] {5f * 2 * 1.5f, 5f * 2 * -2f}, x.grad().toArray()); // (2 + 3) * 2x, not more
    }

    @Test
    @SuppressWarnings("try")
    void noGradRecordsNothingAndScopesNest() {
        Value x = scalar(2f);
        try (NoGrad outer = NoGrad.enter()) {
            Value y = x.mul(x);
            assertFalse(y.requiresGrad());
            assertTrue(y.inputs().isEmpty());
            try (NoGrad inner = NoGrad.enter()) {
                assertFalse(NoGrad.isGradEnabled());
            }
            assertFalse(NoGrad.isGradEnabled(), "closing the inner scope keeps the outer one");
            assertThrows(IllegalStateException.class, y::backward);
        }
        assertTrue(NoGrad.isGradEnabled());
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test
    void constantsGetNoGradient() {
        Value c = Value.constant(Tensor.full(3f));
        Value x = scalar(2f);
        x.mul(c).backward();
        assertNull(c.grad());
        assertEquals(3f, x.grad().item());
    }

    @Test
    void aDeepChainDoesNotOverflowTheStack() {
        Value x = scalar(1f);
        Value y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.scale(1f);
        }
        y.backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void backwardNeedsAScalarOrAnOutputGradient() {
        Value x = Value.leaf(randn(2, 3));
        Value y = x.scale(2f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
        y.backward(Tensor.of(new float[] {1, 0, -1}, 3));
        assertArrayEquals(new float[] {2, 0, -2}, x.grad().toArray());
    }

    @Test
    void shapeMismatchesNameTheShapes() {
        Value a = Value.leaf(randn(3, 2, 3)), b = Value.leaf(randn(4, 3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void sparseParameterTracksTouchedRowsAndZeroesOnlyThem() {
        Parameter w = Parameter.sparse(randn(5, 100, 4));
        Functional.embeddingBag(w, new int[] {7, 3, 7, 42}, new int[] {0, 3, 4}, BagMode.MEAN).sum().backward();
        assertTrue(w.hasRowSparseGrad());
        assertEquals(3, w.touchedRowCount());
        assertEquals(7, w.touchedRow(0));
        assertEquals(3, w.touchedRow(1));
        assertEquals(42, w.touchedRow(2));
        assertEquals(2f / 3f, w.grad().get(7, 0), 1e-6f); // used twice in a bag of 3
        assertEquals(1f, w.grad().get(42, 1));
        w.zeroGrad();
        assertEquals(0, w.touchedRowCount());
        assertEquals(0f, w.grad().sum());
        // a dense write (as through matmul) makes every row count as touched
        w.accumulateGrad(Tensor.full(1f, 100, 4));
        assertFalse(w.hasRowSparseGrad());
        w.zeroGrad();
        assertEquals(0f, w.grad().sum());
        assertTrue(w.hasRowSparseGrad());
    }
}

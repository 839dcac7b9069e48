package dev.keel.nn;

import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.NoGrad;
import dev.keel.nn.autograd.Value;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.Optimizer;
import dev.keel.nn.testing.TestLosses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classic: XOR is not linearly separable, so learning it needs the hidden layer and backprop through it. */
class XorTest {

    @Test
    @SuppressWarnings("try")
    void smallMlpLearnsXorWithAutograd() {
        Value x = Value.constant(Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2));
        int[] xor = {0, 1, 1, 0};
        for (long seed = 1; seed <= 3; seed++) {
            KeelRandom r = new KeelRandom(seed);
            Sequential mlp = new Sequential(new Linear(2, 8, r), new Tanh(), new Linear(8, 2, r));
            Optimizer opt = new Adam(mlp.parameters(), 0.05);
            double loss = Double.NaN;
            for (int step = 0; step < 400; step++) {
                opt.zeroGrad();
                Value l = Functional.loss(mlp.forward(x), xor, TestLosses.crossEntropy());
                l.backward();
                opt.step();
                loss = l.item();
            }
            try (NoGrad ignored = NoGrad.enter()) {
                assertArrayEquals(xor, mlp.forward(x).data().argmaxLastAxis(), "seed " + seed);
            }
            assertTrue(loss < 0.05, "seed " + seed + ": final loss " + loss);
        }
    }
}

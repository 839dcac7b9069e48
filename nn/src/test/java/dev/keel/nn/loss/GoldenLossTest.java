package dev.keel.nn.loss;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every case of the golden file, on every kernel path, within 1e-5 relative or 1e-6 absolute. */
class GoldenLossTest {

    @Test
    void everyGoldenCaseOnEveryPath() {
        List<LossTestSupport.GoldenCase> cases = LossTestSupport.goldenCases();
        assertEquals(400, cases.size(), "golden cases");
        List<String> failures = new ArrayList<>();
        for (LossKernels path : LossTestSupport.paths()) {
            double worst = 0;
            String worstWhere = "";
            for (LossTestSupport.GoldenCase c : cases) {
                FusedLoss loss = c.loss().withKernels(path);
                float[] grad = new float[c.logits.length];
                double value = loss.compute(c.logits, c.rows, c.classes, c.targets, grad);
                if (!LossTestSupport.withinGolden(c.loss, value)) {
                    failures.add(path.name() + " " + c + ": loss " + value + ", expected " + c.loss);
                }
                double lossRatio = errorOverTolerance(c.loss, value);
                if (lossRatio > worst) {
                    worst = lossRatio;
                    worstWhere = "case " + c.id + " (" + c.kind + ") loss";
                }
                for (int i = 0; i < grad.length; i++) {
                    double ratio = errorOverTolerance(c.grad[i], grad[i]);
                    if (ratio > worst) {
                        worst = ratio;
                        worstWhere = "case " + c.id + " (" + c.kind + ") grad[" + i + "]";
                    }
                    if (!LossTestSupport.withinGolden(c.grad[i], grad[i])) {
                        failures.add(path.name() + " " + c + ": grad[" + i + "] " + grad[i] + ", expected "
                                + c.grad[i]);
                    }
                }
            }
            System.out.printf("golden, %s path: worst error %.3f of the tolerance at %s%n", path.name(), worst,
                    worstWhere);
        }
        assertTrue(failures.isEmpty(), failures.size() + " mismatches, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }

    private static double errorOverTolerance(double expected, double actual) {
        return Math.abs(actual - expected) / Math.max(1e-5 * Math.abs(expected), 1e-6);
    }

    @Test
    void everyKindIsCovered() {
        List<String> kinds = new ArrayList<>();
        for (LossTestSupport.GoldenCase c : LossTestSupport.goldenCases()) {
            if (!kinds.contains(c.kind)) {
                kinds.add(c.kind);
            }
        }
        for (LossSyntax kind : LossKind.kinds()) {
            assertTrue(kinds.contains(kind.kind()), kind.kind() + " has no golden case");
        }
    }
}

package dev.keel.examples.cli;

import dev.keel.classifier.LossSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossFlagsTest {

    @Test
    void trainOptionsMapToTheSameSpecAndRejectOptionsOfOtherKinds() {
        LossSpec spec = LossFlags.spec("soft_gated", 0.8, 10.0, null, null, null);
        assertEquals("soft_gated:m=0.8:k=10", spec.name());
        assertEquals(LossSpec.parse("soft_gated:m=0.8:k=10").params(), spec.params());
        assertEquals("focal:g=2.5:a=0.25/1", LossFlags.spec("focal", null, null, 2.5, new double[] {0.25, 1}, null).name());
        assertEquals("weighted_ce", LossFlags.spec("weighted_ce", null, null, null, null, null).name());
        assertMessage("--gamma does not apply to loss 'ce'", () -> LossFlags.spec("ce", null, null, 2.0, null, null));
        assertMessage("--margin does not apply", () -> LossFlags.spec("focal", 0.7, null, null, null, null));
        assertMessage("--class-weights does not apply", () -> LossFlags.spec("ce", null, null, null, null, new double[] {1, 2}));
        assertMessage("unknown loss", () -> LossFlags.spec("hinge", 0.7, null, null, null, null));
    }

    @Test
    void optionsWrittenInTheLossItselfAreKeptAndMayNotBeGivenTwice() {
        assertEquals(0.8, LossFlags.spec("gated:m=0.8", null, null, null, null, null).margin());
        assertEquals("focal:g=1:a=0.5/1", LossFlags.spec("Focal:g=1", null, null, null, new double[] {0.5, 1}, null).name());
        assertMessage("given twice", () -> LossFlags.spec("gated:m=0.8", 0.9, null, null, null, null));
    }

    static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}

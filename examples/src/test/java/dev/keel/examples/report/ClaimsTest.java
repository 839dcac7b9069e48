package dev.keel.examples.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimsTest {

    @Test
    void aCurveTurnsUpOnlyWhenItsEndRisesMateriallyAboveItsLowestPoint() {
        Claims.Rise ce = Claims.rise(new double[] {0.50, 0.44, 0.45, 0.49});
        assertEquals(2, ce.minEpoch());
        assertEquals(0.05, ce.rise(), 1e-12);
        assertTrue(ce.turnsUp());
        Claims.Rise steady = Claims.rise(new double[] {0.60, 0.52, 0.50, 0.49});
        assertEquals(4, steady.minEpoch());
        assertFalse(steady.turnsUp());
        // A wobble of 0.004 nats (under 0.005 and 2 %) is not a rise.
        assertFalse(Claims.rise(new double[] {0.60, 0.50, 0.504}).turnsUp());
        // 2 % of a large loss: 0.02 on 1.2 is under 0.024.
        assertFalse(Claims.rise(new double[] {1.5, 1.2, 1.22}).turnsUp());
        assertTrue(Claims.rise(new double[] {1.5, 1.2, 1.25}).turnsUp());
    }
}

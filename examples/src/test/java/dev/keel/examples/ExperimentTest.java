package dev.keel.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ExperimentTest {

    @Test
    void compositionAtRatioKeepsTheMajorityWhereTheFileAllows() {
        int[] available = {2600, 1400};
        assertArrayEquals(new int[] {2000, 500}, Experiment.compositionAtRatio(new int[] {2000, 1000}, available, 4));
        assertArrayEquals(new int[] {2000, 1000}, Experiment.compositionAtRatio(new int[] {2000, 1000}, available, 2));
        // 1:1 needs 2,000 'other' rows but the file has 1,400: the majority is cut to keep the ratio.
        assertArrayEquals(new int[] {1400, 1400}, Experiment.compositionAtRatio(new int[] {2000, 1000}, available, 1));
        // The majority may be either class.
        assertArrayEquals(new int[] {333, 1000}, Experiment.compositionAtRatio(new int[] {10, 1000}, new int[] {400, 1000}, 3));
    }

    @Test
    void progressLineShowsRunEpochLossSpeedAndEta() {
        Progress p = new Progress(new java.io.PrintStream(new java.io.ByteArrayOutputStream()), true);
        String line = p.line("gated:m=0.7 seed 2/5", 3, 10, 0.12345, 1_234_567, 0.25, 30);
        assertEquals("[######..................]  25%  gated:m=0.7 seed 2/5  epoch 3/10  loss 0.1235  1.2M tok/s  ETA 1:30",
                line);
        assertEquals("1h01m", Progress.duration(3660));
    }
}

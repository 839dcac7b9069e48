package dev.keel.text.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {

    /** {@code great} rows "g0".., {@code other} rows "o0".., interleaved, plus one {@code rare} row. */
    private static LabeledDataset data(int great, int other, boolean withRare) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < Math.max(great, other); k++) {
            if (k < great) {
                texts.add("g" + k);
                labels.add("great");
            }
            if (k < other) {
                texts.add("o" + k);
                labels.add("other");
            }
        }
        if (withRare) {
            texts.add("r0");
            labels.add("rare");
        }
        return LabeledDataset.of("test", texts, labels);
    }

    @Test
    void stratifiedSplitKeepsClassProportions() {
        LabeledDataset d = data(2600, 1400, true);
        Splits.Split split = Splits.stratified(d, 0.1, 42);
        assertArrayEquals(new int[] {260, 140, 0}, split.validation().classCounts());
        assertArrayEquals(new int[] {2340, 1260, 1}, split.train().classCounts());
        Set<String> all = new HashSet<>(split.train().texts());
        all.addAll(split.validation().texts());
        assertEquals(d.size(), all.size(), "disjoint and complete");
        assertEquals(d.labelNames(), split.train().labelNames());
        for (int r = 0; r < split.validation().size(); r++) {
            assertEquals(split.validation().text(r).charAt(0), split.validation().label(r).charAt(0));
        }
        // file order is kept
        for (int r = 1; r < split.train().size(); r++) {
            assertTrue(split.train().line(r) > split.train().line(r - 1));
        }
    }

    @Test
    void splitsAreSeeded() {
        LabeledDataset d = data(100, 50, false);
        assertEquals(Splits.stratified(d, 0.2, 7).validation().texts(), Splits.stratified(d, 0.2, 7).validation().texts());
        assertNotEquals(Splits.stratified(d, 0.2, 7).validation().texts(), Splits.stratified(d, 0.2, 8).validation().texts());
    }

    @Test
    void smallClassesKeepARowOnEachSide() {
        Splits.Split split = Splits.stratified(data(2, 20, false), 0.01, 1);
        assertArrayEquals(new int[] {1, 1}, split.validation().classCounts());
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(data(2, 2, false), 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(data(2, 2, false), 0.0, 1));
    }

    @Test
    void subsampleToAnExactComposition() {
        LabeledDataset d = data(2600, 1400, false);
        LabeledDataset s = Splits.subsample(d, Map.of("great", 2000, "other", 1000), 3);
        assertArrayEquals(new int[] {2000, 1000}, s.classCounts());
        assertEquals(3000, new HashSet<>(s.texts()).size());
        assertEquals(s.texts(), Splits.subsample(d, Map.of("great", 2000, "other", 1000), 3).texts());
        assertArrayEquals(new int[] {0, 5}, Splits.subsample(d, Map.of("great", 0, "other", 5), 3).classCounts());
    }

    @Test
    void subsampleErrorsAreClear() {
        LabeledDataset d = data(2600, 1400, false);
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> Splits.subsample(d, Map.of("great", 2000, "other", 2000), 1));
        assertEquals("label 'other' has 1400 rows in test, cannot draw 2000", tooFew.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Splits.subsample(d, Map.of("great", 10), 1));
        assertTrue(missing.getMessage().contains("missing [other]"), missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Splits.subsample(d, Map.of("great", 10, "other", 1, "bad", 1), 1));
        assertTrue(unknown.getMessage().contains("label 'bad'"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.subsample(d, Map.of("great", 0, "other", 0), 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.subsample(d, Map.of("great", -1, "other", 0), 1));
    }

    @Test
    void subsampleToARatio() {
        LabeledDataset d = data(2600, 1400, false);
        // 2600 >= 1.5 * 1400: keep all 1400 "other", 2100 "great"
        assertArrayEquals(new int[] {2100, 1400}, Splits.subsampleToRatio(d, "great", 1.5, 1).classCounts());
        // 2600 < 4 * 1400: keep all 2600 "great", 650 "other"
        assertArrayEquals(new int[] {2600, 650}, Splits.subsampleToRatio(d, "great", 4, 1).classCounts());
        // the smaller class can be made the majority
        assertArrayEquals(new int[] {700, 1400}, Splits.subsampleToRatio(d, "other", 2, 1).classCounts());
        assertThrows(IllegalArgumentException.class, () -> Splits.subsampleToRatio(d, "great", 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.subsampleToRatio(d, "nope", 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.subsampleToRatio(data(3, 3, true), "great", 2, 1));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Splits.subsampleToRatio(data(3, 1, false), "great", 10, 1));
        assertTrue(empty.getMessage().contains("would leave a class empty"), empty.getMessage());
    }
}

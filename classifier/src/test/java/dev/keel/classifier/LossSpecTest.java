package dev.keel.classifier;

import dev.keel.nn.loss.WeightedCrossEntropy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossSpecTest {

    @Test
    void parsesTheIssuesExampleListWithOptionsAndDefaults() {
        List<LossSpec> specs = LossSpec.parseList("ce,weighted_ce,gated:m=0.7,soft_gated:m=0.7:k=20,focal:g=2");
        assertEquals(List.of("ce", "weighted_ce", "gated", "soft_gated", "focal"),
                specs.stream().map(s -> s.kind().specName()).toList());
        assertEquals("soft_gated:m=0.7:k=20", specs.get(3).name());
        assertEquals(Map.of("m", 0.7, "k", 20.0), specs.get(3).params());
        assertEquals(Map.of("g", 2.0), specs.get(4).params());
        assertEquals(Map.of(), specs.get(0).params());
        assertEquals("inverse class frequency", specs.get(1).params().get("w"));
    }

    @Test
    void fillsDefaultsAndAcceptsLongOptionNamesAndPerClassLists() {
        assertEquals(LossSpec.DEFAULT_MARGIN, LossSpec.parse("gated").margin());
        assertEquals(Map.of("m", 0.7, "k", 20.0), LossSpec.parse("soft_gated").params());
        LossSpec focal = LossSpec.parse(" focal : gamma=0.5 : alpha=0.25/0.75 ");
        assertEquals(0.5, focal.params().get("g"));
        assertEquals(List.of(0.25, 0.75), focal.params().get("a"));
        assertNull(LossSpec.parse("ce").margin());
    }

    @Test
    void rejectsUnknownKindsOptionsAndMalformedEntriesNamingThem() {
        assertMessage("unknown loss 'hinge'", () -> LossSpec.parseList("ce,hinge"));
        assertMessage("has no option 'k'", () -> LossSpec.parse("gated:k=3"));
        assertMessage("it takes none", () -> LossSpec.parse("ce:m=0.7"));
        assertMessage("not of the form name=value", () -> LossSpec.parse("gated:m"));
        assertMessage("is not a number", () -> LossSpec.parse("focal:g=two"));
        assertMessage("given twice", () -> LossSpec.parse("gated:m=0.7:margin=0.8"));
        assertMessage("listed twice", () -> LossSpec.parseList("ce,ce"));
        assertMessage("empty entry", () -> LossSpec.parseList("ce,,focal"));
        assertMessage("separate per-class values with '/'", () -> LossSpec.parseList("focal:a=1,2"));
        assertMessage("the loss list is empty", () -> LossSpec.parseList(" "));
    }

    @Test
    void checksRangesAtTheirBoundaries() {
        assertMessage("margin m=1 is out of range", () -> LossSpec.parse("gated:m=1"));
        assertMessage("margin m=0 is out of range", () -> LossSpec.parse("soft_gated:m=0"));
        assertMessage("sharpness k=0 is out of range", () -> LossSpec.parse("soft_gated:k=0"));
        assertMessage("gamma g=-0.1 is out of range", () -> LossSpec.parse("focal:g=-0.1"));
        assertMessage("gamma g=10.5 is out of range", () -> LossSpec.parse("focal:g=10.5"));
        assertMessage("each value needs to be in (0, 1]", () -> LossSpec.parse("focal:a=1/0"));
        assertMessage("each value needs to be in (0, 1]", () -> LossSpec.parse("focal:a=0.5/1.5"));
        assertMessage("each value needs to be finite and >= 0", () -> LossSpec.parse("weighted_ce:w=1/-2"));
        LossSpec.parse("focal:g=0");
        LossSpec.parse("focal:g=10");
    }

    @Test
    void marginLowerBoundDependsOnTheNumberOfClasses() {
        LossSpec m = LossSpec.parse("gated:m=0.4");
        assertMessage("0.5 < m < 1 for 2 classes", () -> m.validateFor(2));
        m.validateFor(3); // 1/3 < 0.4
        assertMessage("1/classes < m < 1", () -> LossSpec.parse("gated:m=0.5").validateFor(2));
        assertMessage("alpha has 3 values but the data has 2 classes",
                () -> LossSpec.parse("focal:a=0.1/0.2/0.3").validateFor(2));
    }

    @Test
    void inverseClassFrequencyGivesMeanWeightOneOverRows() {
        // 30 rows: 20 of class 0, 10 of class 1 -> 30/(2*20) = 0.75 and 30/(2*10) = 1.5.
        assertArrayEquals(new double[] {0.75, 1.5}, WeightedCrossEntropy.inverseFrequency(new int[] {20, 10}), 1e-12);
        assertArrayEquals(new double[] {0.5, 0}, WeightedCrossEntropy.inverseFrequency(new int[] {10, 0}), 1e-12);
    }

    static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}

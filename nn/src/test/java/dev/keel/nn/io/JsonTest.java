package dev.keel.nn.io;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": {\"c\": \"x\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\"},"
                + " \"big\": 9223372036854775807, \"bigger\": 9223372036854775808} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null), m.get("a"));
        assertEquals("x\"\\/\n\u00e9\ud83d\ude00", ((Map<?, ?>) m.get("b")).get("c"));
        assertEquals(Long.MAX_VALUE, m.get("big"));
        assertTrue(m.get("bigger") instanceof Double, "beyond long is not silently wrapped");
        assertEquals(List.of("a", "b", "big", "bigger"), List.copyOf(m.keySet()), "key order kept");
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "tab\there \"quoted\" \u0001 é 😀");
        m.put("shape", List.of(3L, 0L, 7L));
        m.put("x", 0.1);
        m.put("nested", Map.of("k", List.of()));
        m.put("nothing", null);
        String text = Json.write(m);
        assertEquals(m, Json.parse(text));
        assertTrue(text.contains("\\u0001"), text);
    }

    @Test
    void rejectsMalformedDocumentsWithAPosition() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "{\"a\" 1}", "[1,]", "[01]", "{\"a\":1}x", "\"\\x\"",
                "\"a\u0001\"", "{\"a\":1,\"a\":2}", "nul", "-", "1.", "1e", "\"\\ud800\"", "{1:2}", "[1 2]",
                "\"unterminated")) {
            Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JSON error at character "), e.getMessage());
        }
        String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
        assertTrue(assertThrows(Json.JsonException.class, () -> Json.parse(deep)).getMessage().contains("deeper"));
    }

    @Test
    void refusesToWriteWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write("\ud800"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void writesIndentedJsonThatReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "gated:m=0.7 \"quoted\"\n\ttab \\ \u0001");
        m.put("n", 3);
        m.put("x", 0.25);
        m.put("whole", 2.0);
        m.put("nan", Double.NaN);
        m.put("curve", new double[] {1.5, Double.POSITIVE_INFINITY});
        m.put("ints", new int[] {1, 2});
        m.put("list", List.of(Map.of("a", true), List.of()));
        m.put("empty", Map.of());
        String text = Json.writePretty(m);
        Map<?, ?> r = (Map<?, ?>) Json.parse(text);
        assertEquals(m.get("name"), r.get("name"));
        assertEquals(3L, r.get("n"));
        assertEquals(0.25, r.get("x"));
        assertEquals(2L, r.get("whole"), "an integral double is written as an integer");
        assertTrue(r.containsKey("nan") && r.get("nan") == null, "NaN is written as null");
        assertEquals(Arrays.asList(1.5, null), r.get("curve"));
        assertEquals(List.of(1L, 2L), r.get("ints"));
        assertEquals(true, ((Map<?, ?>) ((List<?>) r.get("list")).get(0)).get("a"));
        assertEquals(Map.of(), r.get("empty"));
        assertTrue(text.startsWith("{\n  \"name\": ") && text.endsWith("\n}\n"), text);
        assertTrue(text.contains("\"curve\": [1.5, null],\n"), "lists of scalars on one line: " + text);
        assertTrue(text.contains("\"list\": [\n    {\n      \"a\": true\n    },\n    []\n  ],\n"), text);
    }

    @Test
    void writesOneLineAsIndentedWithItsBreaksAsSpaces() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", "great");
        m.put("probability", 0.75);
        m.put("probabilities", new LinkedHashMap<>(Map.of("great", 0.75)));
        String line = Json.writeLine(m);
        assertEquals("{ \"label\": \"great\", \"probability\": 0.75, \"probabilities\": { \"great\": 0.75 } }", line);
        assertEquals(Json.writePretty(m).replaceAll("\\s*\\n\\s*", " ").strip(), line);
    }
}

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
}

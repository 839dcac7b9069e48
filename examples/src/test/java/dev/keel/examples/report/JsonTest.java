package dev.keel.examples.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {

    @Test
    void writesAndReadsBackNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "gated:m=0.7 \"quoted\"\n\ttab \\ \u0001");
        m.put("n", 3);
        m.put("x", 0.25);
        m.put("nan", Double.NaN);
        m.put("curve", new double[] {1.5, Double.POSITIVE_INFINITY});
        m.put("ints", new int[] {1, 2});
        m.put("list", List.of(Map.of("a", true), List.of()));
        m.put("empty", Map.of());
        Object back = Json.parse(Json.write(m));
        Map<?, ?> r = (Map<?, ?>) back;
        assertEquals(m.get("name"), r.get("name"));
        assertEquals(3.0, r.get("n"));
        assertEquals(0.25, r.get("x"));
        assertNull(r.get("nan"));
        assertEquals(List.of(1.5), ((List<?>) r.get("curve")).subList(0, 1));
        assertNull(((List<?>) r.get("curve")).get(1));
        assertEquals(List.of(1.0, 2.0), r.get("ints"));
        assertEquals(true, ((Map<?, ?>) ((List<?>) r.get("list")).get(0)).get("a"));
        assertEquals(Map.of(), r.get("empty"));
    }

    @Test
    void rejectsBrokenJsonNamingThePlace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
        assertEquals(true, e.getMessage().startsWith("bad JSON at character"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
    }
}

package dev.keel.nn.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON codec (RFC 8259), enough for safetensors headers and model configs.
 *
 * <p>Parsing gives {@code Map<String, Object>} (insertion-ordered), {@code List<Object>},
 * {@code String}, {@code Long} (integers that fit), {@code Double} (other numbers),
 * {@code Boolean} and {@code null}. It rejects what a lenient parser would guess at: duplicate
 * keys, trailing content, unescaped control characters, lone surrogates, leading zeros, nesting
 * deeper than {@value #MAX_DEPTH}. Errors are {@link JsonException}s that give the character
 * position.
 */
public final class Json {

    /** Deepest nesting accepted, so hostile input cannot exhaust the stack. */
    public static final int MAX_DEPTH = 64;

    /** A malformed document; the message names the position and the problem. */
    public static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON value; only whitespace may follow it. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describeChar() + " after the JSON value");
        }
        return value;
    }

    // ---------------------------------------------------------------- parsing

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        if (pos >= text.length()) {
            throw error("unexpected end of input, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected " + describeChar() + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeChar() + ", expected a string key");
            }
            int keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (map.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describeChar() + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describeChar() + ", expected ',' or ']'");
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c == '\\') {
                sb.append(escape());
            } else if (Character.isSurrogate(c)) {
                // Input text comes from strict UTF-8 decoding, but check anyway: a pair or nothing.
                if (Character.isHighSurrogate(c) && pos < text.length() && Character.isLowSurrogate(text.charAt(pos))) {
                    sb.append(c).append(text.charAt(pos++));
                } else {
                    pos--;
                    throw error("lone surrogate in a string");
                }
            } else {
                sb.append(c);
            }
        }
    }

    private String escape() {
        if (pos >= text.length()) {
            throw error("unterminated escape");
        }
        char e = text.charAt(pos++);
        switch (e) {
            case '"': return "\"";
            case '\\': return "\\";
            case '/': return "/";
            case 'b': return "\b";
            case 'f': return "\f";
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case 'u':
                char u = hex4();
                if (Character.isHighSurrogate(u)) {
                    if (text.startsWith("\\u", pos)) {
                        pos += 2;
                        char low = hex4();
                        if (Character.isLowSurrogate(low)) {
                            return new String(new char[] {u, low});
                        }
                    }
                    throw error("\\u escape of a high surrogate not followed by a low one");
                }
                if (Character.isLowSurrogate(u)) {
                    throw error("\\u escape of a lone low surrogate");
                }
                return String.valueOf(u);
            default:
                pos--;
                throw error("invalid escape \\" + e);
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) {
                pos += i;
                throw error("invalid hex digit " + describeChar() + " in a \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("unexpected " + describeChar() + " in a number");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            digits();
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooLong) {
                return Double.parseDouble(s); // beyond long: callers wanting integers reject it
            }
        }
        return Double.parseDouble(s);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describeChar() + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("unexpected " + describeChar() + ", expected '" + c + "'");
        }
        pos++;
    }

    /** The current character, or NUL at the end (NUL is never valid where peek is used). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describeChar() {
        if (pos >= text.length()) {
            return "end of input";
        }
        char c = text.charAt(pos);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private JsonException error(String problem) {
        return new JsonException("JSON error at character " + pos + ": " + problem);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Compact JSON for maps with string keys, lists, strings, integral and floating numbers
     * (finite), booleans and null.
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object value, StringBuilder sb) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String) {
            quote((String) value, sb);
        } else if (value instanceof Boolean) {
            sb.append(value);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            sb.append(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no representation for " + d);
            }
            sb.append(value instanceof Float ? Float.toString((Float) value) : Double.toString(d));
        } else if (value instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                }
                sb.append(first ? "" : ",");
                first = false;
                quote((String) e.getKey(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object item : (List<?>) value) {
                sb.append(first ? "" : ",");
                first = false;
                write(item, sb);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    /**
     * Indented JSON for people to read (model manifests, reports, {@code keel eval --json}): two
     * spaces per level, one object member or non-scalar list item per line, lists of scalars on one
     * line, a final newline. Besides {@link #write}'s values it takes {@code double[]},
     * {@code int[]} and {@code Object[]}; a float or double that is integral (below 1e15 in
     * magnitude) is written as an integer, and a non-finite one as {@code null} (JSON has no NaN).
     */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        writePretty(value, sb, 0, false);
        return sb.append('\n').toString();
    }

    /** As {@link #writePretty}, on one line (each line break and its indent a single space), no final newline. */
    public static String writeLine(Object value) {
        StringBuilder sb = new StringBuilder();
        writePretty(value, sb, 0, true);
        return sb.toString();
    }

    private static void writePretty(Object value, StringBuilder sb, int indent, boolean oneLine) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                sb.append("null");
            } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                sb.append((long) d);
            } else {
                sb.append(d);
            }
        } else if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                lineBreak(sb, indent + 1, oneLine);
                quote(String.valueOf(e.getKey()), sb);
                sb.append(": ");
                writePretty(e.getValue(), sb, indent + 1, oneLine);
            }
            lineBreak(sb, indent, oneLine);
            sb.append('}');
        } else if (value instanceof double[] a) {
            writePretty(java.util.Arrays.stream(a).boxed().toList(), sb, indent, oneLine);
        } else if (value instanceof int[] a) {
            writePretty(java.util.Arrays.stream(a).boxed().toList(), sb, indent, oneLine);
        } else if (value instanceof Object[] a) {
            writePretty(java.util.Arrays.asList(a), sb, indent, oneLine);
        } else if (value instanceof java.util.Collection<?> c && !c.isEmpty()) {
            boolean scalars = c.stream().allMatch(v -> v == null || v instanceof Number || v instanceof String
                    || v instanceof Boolean);
            sb.append('[');
            boolean first = true;
            for (Object item : c) {
                sb.append(first ? "" : scalars ? ", " : ",");
                first = false;
                if (!scalars) {
                    lineBreak(sb, indent + 1, oneLine);
                }
                writePretty(item, sb, indent + 1, oneLine);
            }
            if (!scalars) {
                lineBreak(sb, indent, oneLine);
            }
            sb.append(']');
        } else if (value instanceof java.util.Collection<?>) {
            sb.append("[]");
        } else {
            write(value, sb); // null, strings, booleans, integers, an empty map
        }
    }

    private static void lineBreak(StringBuilder sb, int indent, boolean oneLine) {
        sb.append(oneLine ? " " : "\n" + "  ".repeat(indent));
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(s, sb);
        return sb.toString();
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                default:
                    if (Character.isSurrogate(c) && !isPairedAt(s, i)) {
                        throw new IllegalArgumentException("string has a lone surrogate at index " + i
                                + ", which UTF-8 cannot encode");
                    }
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static boolean isPairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}

package dev.keel.text;

import java.util.HashMap;
import java.util.Map;

/**
 * Removes the HTML that review texts carry: tags become a space, character references are decoded.
 *
 * <p>A tag is {@code <} (optionally {@code </}) followed by an ASCII letter and then anything but
 * {@code <} up to the next {@code >}, at most {@value #MAX_TAG_LENGTH} characters in all: so
 * {@code <br />}, {@code <br>}, {@code <p>} and {@code <a href="...">} go, while {@code "<3"} and
 * {@code "a < b"} stay. References: decimal {@code &#39;}, hexadecimal {@code &#x27;} and the named
 * references of HTML 4 for Latin-1 and common punctuation ({@code &amp; &quot; &eacute; &nbsp;
 * &hellip;} ...), all with the closing semicolon. A numeric reference to no valid character
 * (zero, a surrogate, beyond U+10FFFF) becomes a space; an unknown name is left as written.
 * Decoded text is not scanned again: {@code &amp;lt;} gives {@code &lt;}.
 */
final class HtmlText {

    static final int MAX_TAG_LENGTH = 512;
    private static final int MAX_ENTITY_LENGTH = 12;
    private static final Map<String, Integer> NAMED = namedReferences();

    private HtmlText() {
    }

    /** {@code text} without tags and with references decoded; the same string when it has neither. */
    static String clean(String text) {
        int first = firstMarkup(text);
        if (first < 0) {
            return text;
        }
        int n = text.length();
        StringBuilder out = new StringBuilder(n);
        out.append(text, 0, first);
        int i = first;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '<') {
                int end = tagEnd(text, i);
                if (end > 0) {
                    out.append(' ');
                    i = end;
                    continue;
                }
            } else if (c == '&') {
                int end = referenceEnd(text, i, out);
                if (end > 0) {
                    i = end;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static int firstMarkup(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '<' || c == '&') {
                return i;
            }
        }
        return -1;
    }

    /** The index just past the tag starting at {@code lt}, or -1 when none starts there. */
    private static int tagEnd(String text, int lt) {
        int n = text.length();
        int i = lt + 1;
        if (i < n && text.charAt(i) == '/') {
            i++;
        }
        if (i >= n || !isAsciiLetter(text.charAt(i))) {
            return -1;
        }
        int limit = Math.min(n, lt + MAX_TAG_LENGTH);
        for (; i < limit; i++) {
            char c = text.charAt(i);
            if (c == '>') {
                return i + 1;
            }
            if (c == '<') {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Decodes the reference starting at {@code amp} into {@code out} and returns the index past it,
     * or -1 (appending nothing) when no known reference starts there.
     */
    private static int referenceEnd(String text, int amp, StringBuilder out) {
        int n = text.length();
        int limit = Math.min(n, amp + 2 + MAX_ENTITY_LENGTH);
        int i = amp + 1;
        if (i < n && text.charAt(i) == '#') {
            i++;
            int radix = 10;
            if (i < n && (text.charAt(i) == 'x' || text.charAt(i) == 'X')) {
                radix = 16;
                i++;
            }
            int digitsStart = i;
            long value = 0;
            while (i < limit && Character.digit(text.charAt(i), radix) >= 0 && text.charAt(i) < 0x80) {
                value = Math.min(value * radix + Character.digit(text.charAt(i), radix), 0x7fffffffL);
                i++;
            }
            if (i == digitsStart || i >= n || text.charAt(i) != ';') {
                return -1;
            }
            boolean valid = value > 0 && value <= Character.MAX_CODE_POINT
                    && !(value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE);
            if (valid) {
                out.appendCodePoint((int) value);
            } else {
                out.append(' ');
            }
            return i + 1;
        }
        int nameStart = i;
        while (i < limit && isAsciiLetterOrDigit(text.charAt(i))) {
            i++;
        }
        if (i == nameStart || i >= n || text.charAt(i) != ';') {
            return -1;
        }
        Integer cp = NAMED.get(text.substring(nameStart, i));
        if (cp == null) {
            return -1;
        }
        out.appendCodePoint(cp);
        return i + 1;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9');
    }

    private static Map<String, Integer> namedReferences() {
        Map<String, Integer> map = new HashMap<>();
        // HTML 4's Latin-1 references, U+00A0..U+00FF in code point order.
        String[] latin1 = ("nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr"
                + " deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest"
                + " Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml"
                + " ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig"
                + " agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml"
                + " eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml")
                .split(" ");
        if (latin1.length != 96) {
            throw new AssertionError("Latin-1 reference table has " + latin1.length + " names, not 96");
        }
        for (int k = 0; k < latin1.length; k++) {
            map.put(latin1[k], 0xA0 + k);
        }
        Object[] others = {
            "amp", '&', "lt", '<', "gt", '>', "quot", '"', "apos", '\'',
            "OElig", 0x152, "oelig", 0x153, "Scaron", 0x160, "scaron", 0x161, "Yuml", 0x178, "fnof", 0x192,
            "circ", 0x2C6, "tilde", 0x2DC, "ensp", 0x2002, "emsp", 0x2003, "thinsp", 0x2009,
            "zwnj", 0x200C, "zwj", 0x200D, "lrm", 0x200E, "rlm", 0x200F, "ndash", 0x2013, "mdash", 0x2014,
            "lsquo", 0x2018, "rsquo", 0x2019, "sbquo", 0x201A, "ldquo", 0x201C, "rdquo", 0x201D,
            "bdquo", 0x201E, "dagger", 0x2020, "Dagger", 0x2021, "bull", 0x2022, "hellip", 0x2026,
            "permil", 0x2030, "prime", 0x2032, "Prime", 0x2033, "lsaquo", 0x2039, "rsaquo", 0x203A,
            "euro", 0x20AC, "trade", 0x2122,
        };
        for (int k = 0; k < others.length; k += 2) {
            Object v = others[k + 1];
            map.put((String) others[k], v instanceof Character ? (int) (Character) v : (Integer) v);
        }
        return Map.copyOf(map);
    }
}

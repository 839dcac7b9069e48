package dev.keel.text;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fnv1a32Test {

    @Test
    void knownVectorsFromTheFnvReference() {
        assertEquals(0x811c9dc5, Fnv1a32.hash(""));
        assertEquals(0xe40c292c, Fnv1a32.hash("a"));
        assertEquals(0xbf9cf968, Fnv1a32.hash("foobar"));
        assertEquals(0xe40c292c, Fnv1a32.hash(new byte[] {'a'}));
    }

    @Test
    void byteByByteDefinition() {
        // h = (h ^ b) * 16777619 written out for "ab" in long arithmetic, truncated to 32 bits.
        long h = 2166136261L;
        h = ((h ^ 'a') * 16777619L) & 0xffffffffL;
        h = ((h ^ 'b') * 16777619L) & 0xffffffffL;
        assertEquals((int) h, Fnv1a32.hash("ab"));
    }

    @Test
    void multiByteCharactersHashTheirUtf8Bytes() {
        for (String s : new String[] {"é", "好吃", "👍", "a😀b", "\u0800\uffff"}) {
            assertEquals(Fnv1a32.hash(s.getBytes(StandardCharsets.UTF_8)), Fnv1a32.hash(s), s);
        }
    }

    @Test
    void loneSurrogatesHashAsQuestionMarkLikeGetBytes() {
        for (String s : new String[] {"\ud800", "a\udc00b", "\ud83d", "x\ud83dy\ude00"}) {
            assertEquals(Fnv1a32.hash(s.getBytes(StandardCharsets.UTF_8)), Fnv1a32.hash(s), s);
        }
    }

    @Property(tries = 500)
    void stringHashEqualsHashOfUtf8Bytes(@ForAll String s) {
        assertEquals(Fnv1a32.hash(s.getBytes(StandardCharsets.UTF_8)), Fnv1a32.hash(s));
        char[] chars = ("x" + s + "y").toCharArray();
        assertEquals(Fnv1a32.hash(s), Fnv1a32.update(Fnv1a32.OFFSET_BASIS, chars, 1, s.length()));
    }

    @Property(tries = 200)
    void hashOfConcatenationContinuesTheState(@ForAll String a, @ForAll String b) {
        byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
        int h = Fnv1a32.hash(a);
        for (byte x : bytes) {
            h = Fnv1a32.update(h, x);
        }
        assertEquals(Fnv1a32.hash(concatBytes(a, b)), h);
    }

    @Test
    void bucketsAreUnsignedRemainders() {
        assertEquals(Integer.remainderUnsigned(0xbf9cf968, 1000), Fnv1a32.bucket(0xbf9cf968, 1000));
        assertEquals((int) (0xbf9cf968L % 1000), Fnv1a32.bucket(0xbf9cf968, 1000));
        for (int h = -5; h <= 5; h++) {
            int b = Fnv1a32.bucket(h * 0x9e3779b9, 7);
            assertTrue(b >= 0 && b < 7);
        }
        assertThrows(IllegalArgumentException.class, () -> Fnv1a32.bucket(1, 0));
    }

    private static byte[] concatBytes(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[x.length + y.length];
        System.arraycopy(x, 0, out, 0, x.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}

package dev.keel.text;

/**
 * The 32-bit FNV-1a hash over the UTF-8 bytes of a string: keel's one fixed hash for the hashing
 * trick (word n-grams, character n-grams, hashed unknown words).
 *
 * <p>Definition (Fowler, Noll, Vo): {@code h = 0x811c9dc5}; for each byte {@code b}:
 * {@code h = (h ^ b) * 0x01000193} (mod 2^32). Strings are hashed as the bytes
 * {@link String#getBytes(java.nio.charset.Charset) getBytes(UTF_8)} would give, without
 * allocating them: a lone surrogate counts as the byte {@code '?'}, exactly as that method does.
 * A hash maps to one of {@code n} buckets by its <em>unsigned</em> remainder ({@link #bucket}).
 *
 * <p>Known values: {@code ""} gives {@code 0x811c9dc5}, {@code "a"} {@code 0xe40c292c},
 * {@code "foobar"} {@code 0xbf9cf968}.
 */
public final class Fnv1a32 {

    /** The FNV-1a 32 offset basis: the hash of no bytes. */
    public static final int OFFSET_BASIS = 0x811c9dc5;
    /** The FNV 32-bit prime. */
    public static final int PRIME = 0x01000193;

    private Fnv1a32() {
    }

    /** The hash of {@code bytes}. */
    public static int hash(byte[] bytes) {
        return hash(bytes, 0, bytes.length);
    }

    /** The hash of {@code bytes[offset, offset + length)}. */
    public static int hash(byte[] bytes, int offset, int length) {
        int h = OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = (h ^ (bytes[i] & 0xff)) * PRIME;
        }
        return h;
    }

    /** The hash of the UTF-8 bytes of {@code text}. */
    public static int hash(CharSequence text) {
        int h = OFFSET_BASIS;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * PRIME;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                h = updateCodePoint(h, Character.toCodePoint(c, text.charAt(++i)));
            } else {
                h = updateCodePoint(h, Character.isSurrogate(c) ? '?' : c);
            }
        }
        return h;
    }

    /** Continues hash state {@code h} with the UTF-8 bytes of {@code chars[offset, offset + length)}. */
    public static int update(int h, char[] chars, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                h = (h ^ c) * PRIME;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                h = updateCodePoint(h, Character.toCodePoint(c, chars[++i]));
            } else {
                h = updateCodePoint(h, Character.isSurrogate(c) ? '?' : c);
            }
        }
        return h;
    }

    /** Continues hash state {@code h} with one byte (its low 8 bits). */
    public static int update(int h, int oneByte) {
        return (h ^ (oneByte & 0xff)) * PRIME;
    }

    /** Continues hash state {@code h} with the UTF-8 encoding of code point {@code cp}. */
    public static int updateCodePoint(int h, int cp) {
        if (cp < 0x80) {
            return (h ^ cp) * PRIME;
        }
        if (cp < 0x800) {
            h = (h ^ (0xc0 | (cp >>> 6))) * PRIME;
        } else if (cp < 0x10000) {
            h = (h ^ (0xe0 | (cp >>> 12))) * PRIME;
            h = (h ^ (0x80 | ((cp >>> 6) & 0x3f))) * PRIME;
        } else {
            h = (h ^ (0xf0 | (cp >>> 18))) * PRIME;
            h = (h ^ (0x80 | ((cp >>> 12) & 0x3f))) * PRIME;
            h = (h ^ (0x80 | ((cp >>> 6) & 0x3f))) * PRIME;
        }
        return (h ^ (0x80 | (cp & 0x3f))) * PRIME;
    }

    /** The bucket in {@code [0, buckets)} of a hash: its unsigned remainder. */
    public static int bucket(int hash, int buckets) {
        if (buckets <= 0) {
            throw new IllegalArgumentException("buckets must be positive, got " + buckets);
        }
        return Integer.remainderUnsigned(hash, buckets);
    }
}

package dev.keel.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tokens of one text, stored without a {@code String} per token: the characters of all tokens
 * back to back in one growable {@code char[]}, with each token's start and length.
 *
 * <p>{@link Tokenizer#tokenize(CharSequence, TokenBuffer)} clears and refills a buffer, so one buffer
 * serves every text of a loop. The arrays returned by {@link #chars()} are valid until the next
 * refill. Not thread-safe: one buffer per thread.
 */
public final class TokenBuffer {

    private char[] chars = new char[256];
    private int charCount;
    private int[] starts = new int[64];
    private int[] lengths = new int[64];
    private int size;
    /** The start of the token being built, or -1 when none is open. */
    private int openStart = -1;

    /** The number of tokens. */
    public int size() {
        return size;
    }

    /** Removes every token. */
    public void clear() {
        charCount = 0;
        size = 0;
        openStart = -1;
    }

    /** The backing characters; token {@code i} is {@code chars()[start(i) .. start(i) + length(i))}. */
    public char[] chars() {
        return chars;
    }

    public int start(int i) {
        checkIndex(i);
        return starts[i];
    }

    public int length(int i) {
        checkIndex(i);
        return lengths[i];
    }

    /** Token {@code i} as a new string. */
    public String get(int i) {
        checkIndex(i);
        return new String(chars, starts[i], lengths[i]);
    }

    /** Whether token {@code i} has exactly the characters of {@code s}. */
    public boolean contentEquals(int i, CharSequence s) {
        checkIndex(i);
        int len = lengths[i];
        if (s.length() != len) {
            return false;
        }
        int start = starts[i];
        for (int k = 0; k < len; k++) {
            if (chars[start + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** All tokens as new strings, in order. */
    public List<String> toList() {
        List<String> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(new String(chars, starts[i], lengths[i]));
        }
        return list;
    }

    @Override
    public String toString() {
        return toList().toString();
    }

    /** Appends a whole token. */
    public void add(CharSequence token) {
        endToken();
        for (int k = 0; k < token.length(); k++) {
            append(token.charAt(k));
        }
        endToken();
    }

    // ------------------------------------------------------------ building (package-private)

    boolean tokenOpen() {
        return openStart >= 0;
    }

    /** Appends a character to the open token, opening one if none is open. */
    void append(char c) {
        if (openStart < 0) {
            openStart = charCount;
        }
        if (charCount == chars.length) {
            chars = Arrays.copyOf(chars, Math.max(16, chars.length * 2));
        }
        chars[charCount++] = c;
    }

    /** Appends a code point (one or two chars) to the open token. */
    void appendCodePoint(int cp) {
        if (cp < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
            append((char) cp);
        } else {
            append(Character.highSurrogate(cp));
            append(Character.lowSurrogate(cp));
        }
    }

    /** Closes the open token, if any. */
    void endToken() {
        if (openStart < 0) {
            return;
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        starts[size] = openStart;
        lengths[size] = charCount - openStart;
        size++;
        openStart = -1;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("token " + i + " of " + size);
        }
    }
}

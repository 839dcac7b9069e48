package dev.keel.text;

import java.util.Arrays;

/**
 * An open-addressing hash table from strings to {@code long} values that can be probed with a
 * range of a {@code char[]}, so looking up a token from a {@link TokenBuffer} allocates nothing.
 * Entries keep their insertion index ({@code 0, 1, 2, ...}); nothing is ever removed.
 */
final class CharTable {

    private String[] keys = new String[16];
    private long[] values = new long[16];
    /** Slot -> entry index + 1 (0 = empty). */
    private int[] slots = new int[32];
    private int size;

    int size() {
        return size;
    }

    String key(int entry) {
        return keys[entry];
    }

    long value(int entry) {
        return values[entry];
    }

    void setValue(int entry, long value) {
        values[entry] = value;
    }

    /** The entry of {@code key}, or -1. */
    int find(String key) {
        int mask = slots.length - 1;
        for (int slot = spread(key.hashCode()) & mask; ; slot = (slot + 1) & mask) {
            int e = slots[slot] - 1;
            if (e < 0) {
                return -1;
            }
            if (keys[e].equals(key)) {
                return e;
            }
        }
    }

    /** The entry whose key has the characters {@code chars[offset, offset + length)}, or -1. */
    int find(char[] chars, int offset, int length) {
        int mask = slots.length - 1;
        for (int slot = spread(hash(chars, offset, length)) & mask; ; slot = (slot + 1) & mask) {
            int e = slots[slot] - 1;
            if (e < 0) {
                return -1;
            }
            if (matches(keys[e], chars, offset, length)) {
                return e;
            }
        }
    }

    /** The entry of the characters, created with value 0 if absent. */
    int findOrAdd(char[] chars, int offset, int length) {
        int e = find(chars, offset, length);
        return e >= 0 ? e : add(new String(chars, offset, length));
    }

    /** The entry of {@code key}, created with value 0 if absent. */
    int findOrAdd(String key) {
        int e = find(key);
        return e >= 0 ? e : add(key);
    }

    private int add(String key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        if (2 * (size + 1) > slots.length) {
            rehash(slots.length * 2);
        }
        keys[size] = key;
        values[size] = 0;
        insertSlot(size);
        return size++;
    }

    private void rehash(int slotCount) {
        slots = new int[slotCount];
        for (int e = 0; e < size; e++) {
            insertSlot(e);
        }
    }

    private void insertSlot(int entry) {
        int mask = slots.length - 1;
        int slot = spread(keys[entry].hashCode()) & mask;
        while (slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = entry + 1;
    }

    /** The same value as {@link String#hashCode()} of the characters. */
    private static int hash(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + chars[i];
        }
        return h;
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    private static boolean matches(String key, char[] chars, int offset, int length) {
        if (key.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (key.charAt(k) != chars[offset + k]) {
                return false;
            }
        }
        return true;
    }
}

package dev.keel.text;

import java.util.Arrays;

/**
 * An open-addressing hash table from strings to {@code long} values that can be probed with a
 * range of a {@code char[]}, so looking up a token from a {@link TokenBuffer} allocates nothing.
 * Entries keep their insertion index ({@code 0, 1, 2, ...}); nothing is ever removed.
 *
 * <p>Keys live back to back in one {@code char[]} pool, and each slot holds the entry, the key's
 * hash and its place in the pool: a probe reads one slot and compares pool characters only when
 * the hashes agree, instead of chasing a {@code String} and its array.
 */
final class CharTable {

    private static final int SLOT_INTS = 4; // entry + 1 (0 = empty), hash, pool start, length

    private char[] pool = new char[256];
    private int poolSize;
    private int[] starts = new int[16];
    private int[] lengths = new int[16];
    private long[] values = new long[16];
    private int[] slots = new int[SLOT_INTS * 32];
    private int size;

    int size() {
        return size;
    }

    /** The key of {@code entry}, as a new string. */
    String key(int entry) {
        return new String(pool, starts[entry], lengths[entry]);
    }

    long value(int entry) {
        return values[entry];
    }

    void setValue(int entry, long value) {
        values[entry] = value;
    }

    /** The entry of {@code key}, or -1. */
    int find(String key) {
        int h = spread(key.hashCode());
        int length = key.length();
        int mask = slotMask();
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int at = SLOT_INTS * slot;
            int e = slots[at] - 1;
            if (e < 0) {
                return -1;
            }
            if (slots[at + 1] == h && slots[at + 3] == length && poolEquals(slots[at + 2], key)) {
                return e;
            }
        }
    }

    /** The entry whose key has the characters {@code chars[offset, offset + length)}, or -1. */
    int find(char[] chars, int offset, int length) {
        return find(chars, offset, length, spread(hash(chars, offset, length)));
    }

    /** The entry of the characters, created with value 0 if absent. */
    int findOrAdd(char[] chars, int offset, int length) {
        int h = spread(hash(chars, offset, length));
        int e = find(chars, offset, length, h);
        return e >= 0 ? e : add(chars, offset, length, h);
    }

    /** The entry of {@code key}, created with value 0 if absent. */
    int findOrAdd(String key) {
        char[] chars = key.toCharArray();
        return findOrAdd(chars, 0, chars.length);
    }

    /** Orders entries by value, descending, then key ({@link String#compareTo} order), ascending. */
    int compareByValueDescThenKey(int a, int b) {
        int byValue = Long.compare(values[b], values[a]);
        if (byValue != 0) {
            return byValue;
        }
        return Arrays.compare(pool, starts[a], starts[a] + lengths[a], pool, starts[b], starts[b] + lengths[b]);
    }

    /** Sorts {@code entries} in place by {@link #compareByValueDescThenKey} (a stable merge sort). */
    void sortByValueDescThenKey(int[] entries) {
        int[] buffer = entries.clone();
        mergeSort(buffer, entries, 0, entries.length);
    }

    /** Sorts {@code src[from, to)} into {@code dst[from, to)}; both start with the same content. */
    private void mergeSort(int[] src, int[] dst, int from, int to) {
        if (to - from < 2) {
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(dst, src, from, mid);
        mergeSort(dst, src, mid, to);
        for (int i = from, a = from, b = mid; i < to; i++) {
            if (b >= to || (a < mid && compareByValueDescThenKey(src[a], src[b]) <= 0)) {
                dst[i] = src[a++];
            } else {
                dst[i] = src[b++];
            }
        }
    }

    private int find(char[] chars, int offset, int length, int h) {
        int mask = slotMask();
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int at = SLOT_INTS * slot;
            int e = slots[at] - 1;
            if (e < 0) {
                return -1;
            }
            if (slots[at + 1] == h && slots[at + 3] == length) {
                int start = slots[at + 2];
                if (Arrays.equals(pool, start, start + length, chars, offset, offset + length)) {
                    return e;
                }
            }
        }
    }

    private int add(char[] chars, int offset, int length, int h) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        if (poolSize + length > pool.length) {
            pool = Arrays.copyOf(pool, Math.max(pool.length * 2, poolSize + length));
        }
        System.arraycopy(chars, offset, pool, poolSize, length);
        starts[size] = poolSize;
        lengths[size] = length;
        values[size] = 0;
        poolSize += length;
        if (2 * (size + 1) > slotMask() + 1) {
            rehash(slots.length * 2);
        }
        insertSlot(size, h);
        return size++;
    }

    private void rehash(int slotInts) {
        slots = new int[slotInts];
        for (int e = 0; e < size; e++) {
            insertSlot(e, spread(hash(pool, starts[e], lengths[e])));
        }
    }

    private void insertSlot(int entry, int h) {
        int mask = slotMask();
        int slot = h & mask;
        while (slots[SLOT_INTS * slot] != 0) {
            slot = (slot + 1) & mask;
        }
        int at = SLOT_INTS * slot;
        slots[at] = entry + 1;
        slots[at + 1] = h;
        slots[at + 2] = starts[entry];
        slots[at + 3] = lengths[entry];
    }

    /** Slot count - 1 (the slot count is a power of two). */
    private int slotMask() {
        return slots.length / SLOT_INTS - 1;
    }

    private boolean poolEquals(int start, String key) {
        for (int k = 0, n = key.length(); k < n; k++) {
            if (pool[start + k] != key.charAt(k)) {
                return false;
            }
        }
        return true;
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
}

package dev.tealama.tokenizer;

/**
 * Token id by token text, for vocabularies of 100k+ tokens: an open-addressing table over one pool of all texts'
 * characters. Unlike a {@code HashMap<String, Integer>} it is built in a few milliseconds, holds no object per
 * token, and is looked up with character ranges (parts of a merge rule, a word in a buffer) without making strings.
 * When two tokens share a text the later id is kept, as in llama.cpp.
 */
final class TextIndex {
    private final char[] pool;
    /** Token {@code t}'s text is {@code pool[starts[t], starts[t + 1])}. */
    private final int[] starts;
    /** Token ids by hash slot; -1 for empty slots. */
    private final int[] table;
    private final int mask;

    TextIndex(String[] texts) {
        int n = texts.length;
        starts = new int[n + 1];
        long total = 0;
        for (int t = 0; t < n; t++) {
            total += texts[t].length();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("token texts too long: " + total + " characters");
        }
        pool = new char[(int) total];
        int at = 0;
        for (int t = 0; t < n; t++) {
            starts[t] = at;
            texts[t].getChars(0, texts[t].length(), pool, at);
            at += texts[t].length();
        }
        starts[n] = at;

        int capacity = 16;
        while (capacity < n * 2) {
            capacity <<= 1;
        }
        table = new int[capacity];
        mask = capacity - 1;
        for (int i = 0; i < capacity; i++) {
            table[i] = -1;
        }
        for (int t = 0; t < n; t++) {
            int from = starts[t];
            int to = starts[t + 1];
            int slot = slot(finish(hash(INITIAL_HASH, pool, from, to)));
            while (table[slot] >= 0 && !equal(table[slot], pool, from, to, pool, to, to)) {
                slot = (slot + 1) & mask;
            }
            table[slot] = t;  // a repeated text takes the later id
        }
    }

    /** The token with text {@code text}, or -1. */
    int find(String text) {
        return find(text, 0, text.length(), text.length(), text.length());
    }

    /** The token with the text {@code chars[from, to)}, or -1. */
    int find(char[] chars, int from, int to) {
        int slot = slot(finish(hash(INITIAL_HASH, chars, from, to)));
        while (true) {
            int t = table[slot];
            if (t < 0) {
                return -1;
            }
            if (equal(t, chars, from, to, chars, to, to)) {
                return t;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The token whose text is {@code text[from1, to1)} followed by {@code text[from2, to2)}, or -1. */
    int find(String text, int from1, int to1, int from2, int to2) {
        int h = hash(INITIAL_HASH, text, from1, to1);
        int slot = slot(finish(hash(h, text, from2, to2)));
        while (true) {
            int t = table[slot];
            if (t < 0) {
                return -1;
            }
            if (equal(t, text, from1, to1, from2, to2)) {
                return t;
            }
            slot = (slot + 1) & mask;
        }
    }

    private static final int INITIAL_HASH = 0x811C9DC5;

    private static int hash(int h, char[] chars, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ chars[i]) * 0x01000193;  // FNV-1a over UTF-16 units
        }
        return h;
    }

    private static int hash(int h, String text, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ text.charAt(i)) * 0x01000193;
        }
        return h;
    }

    private static int finish(int h) {
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        return h;
    }

    private int slot(int h) {
        return h & mask;
    }

    /** Whether token {@code t}'s text is {@code a[from1, to1)} followed by {@code a[from2, to2)}. */
    private boolean equal(int t, char[] a, int from1, int to1, char[] b, int from2, int to2) {
        int start = starts[t];
        if (starts[t + 1] - start != (to1 - from1) + (to2 - from2)) {
            return false;
        }
        for (int i = from1; i < to1; i++) {
            if (pool[start++] != a[i]) {
                return false;
            }
        }
        for (int i = from2; i < to2; i++) {
            if (pool[start++] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean equal(int t, String text, int from1, int to1, int from2, int to2) {
        int start = starts[t];
        if (starts[t + 1] - start != (to1 - from1) + (to2 - from2)) {
            return false;
        }
        for (int i = from1; i < to1; i++) {
            if (pool[start++] != text.charAt(i)) {
                return false;
            }
        }
        for (int i = from2; i < to2; i++) {
            if (pool[start++] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

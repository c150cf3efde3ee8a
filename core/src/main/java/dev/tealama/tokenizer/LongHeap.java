package dev.tealama.tokenizer;

import java.util.Arrays;

/**
 * A binary min-heap of {@code long} keys, each with an {@code int} payload: the merge candidates of BPE and
 * SentencePiece, whose order is packed into the key.
 */
final class LongHeap {
    private long[] keys = new long[16];
    private int[] payloads = new int[16];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    void add(long key, int payload) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            payloads[i] = payloads[parent];
            i = parent;
        }
        keys[i] = key;
        payloads[i] = payload;
    }

    /** The smallest key. */
    long topKey() {
        requireNonEmpty();
        return keys[0];
    }

    /** The payload of the smallest key. */
    int topPayload() {
        requireNonEmpty();
        return payloads[0];
    }

    /** Removes the smallest key. */
    void removeTop() {
        requireNonEmpty();
        long lastKey = keys[--size];
        int lastPayload = payloads[size];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (lastKey <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            payloads[i] = payloads[child];
            i = child;
        }
        keys[i] = lastKey;
        payloads[i] = lastPayload;
    }

    private void requireNonEmpty() {
        if (size == 0) {
            throw new IllegalStateException("empty heap");
        }
    }
}

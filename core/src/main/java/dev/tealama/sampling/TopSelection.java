package dev.tealama.sampling;

import dev.tealama.model.Kernels;
import dev.tealama.model.ScalarKernels;

/**
 * Finds the best {@code m} tokens by score, best first, without sorting the whole vocabulary.
 *
 * <p>"Best" is a total order: the higher score wins, and on equal scores the lower token id (so every result is
 * unique and the same on every host, whatever the algorithm). A bounded heap keeps the best {@code m} seen so far
 * with the worst of them at the root; most tokens of a 128k vocabulary lose against the root in one comparison,
 * so choosing the top 40 costs little more than one pass. The heap is then sorted in place.
 *
 * <p>Scores must not be NaN (the sampler checks).
 */
final class TopSelection {
    /** Core's scan ({@link Kernels#firstAbove}'s default), for callers with no kernels of their own. */
    private static final Kernels SCALAR = new ScalarKernels();

    private TopSelection() {
    }

    /**
     * Writes the ids of the best {@code m} tokens, best first, into {@code out[0..m)}.
     *
     * @param scores      score of each token id
     * @param ids         the tokens to choose from, or {@code null} for all ids {@code 0..count-1}
     * @param count       how many tokens to choose from
     * @param m           how many to keep, {@code 1 <= m <= count}
     * @param out         receives the chosen ids; must not be {@code ids}
     */
    static void selectBest(float[] scores, int[] ids, int count, int m, int[] out) {
        selectBest(scores, ids, count, m, out, SCALAR);
    }

    /**
     * As above; {@code kernels}, when {@code ids} is null, finds the tokens that beat the heap's root
     * ({@link Kernels#firstAbove}).
     */
    static void selectBest(float[] scores, int[] ids, int count, int m, int[] out, Kernels kernels) {
        if (ids == null) {
            selectBestOfAll(scores, count, m, out, kernels);
            return;
        }
        int size = 0;
        for (int i = 0; i < count; i++) {
            int id = ids[i];
            if (size < m) {
                out[size] = id;
                siftUp(scores, out, size);
                size++;
            } else if (better(scores, id, out[0])) {
                out[0] = id;
                siftDown(scores, out, 0, m);
            }
        }
        heapSort(scores, out, m);
    }

    /**
     * {@link #selectBest} of the ids {@code 0..count-1}, in the same result. Once the heap is full, every id in it is
     * lower than the next token's, so a token beats the root only with a strictly higher score: most tokens of a
     * large vocabulary cost one comparison with the root's score; {@code kernels}
     * find the next token above it ({@link Kernels#firstAbove}: the canister's is Wasm SIMD).
     */
    private static void selectBestOfAll(float[] scores, int count, int m, int[] out, Kernels kernels) {
        for (int i = 0; i < m; i++) {
            out[i] = i;
            siftUp(scores, out, i);
        }
        float root = scores[out[0]];
        for (int i = kernels.firstAbove(scores, m, count, root); i < count;
                i = kernels.firstAbove(scores, i + 1, count, root)) {
            out[0] = i;
            siftDown(scores, out, 0, m);
            root = scores[out[0]];
        }
        heapSort(scores, out, m);
    }

    /** Heap sort: moves the current worst to the end of the shrinking heap, leaving the best at out[0]. */
    private static void heapSort(float[] scores, int[] out, int m) {
        for (int end = m - 1; end > 0; end--) {
            int worst = out[0];
            out[0] = out[end];
            out[end] = worst;
            siftDown(scores, out, 0, end);
        }
    }

    /** True if token {@code a} ranks before token {@code b}. */
    static boolean better(float[] scores, int a, int b) {
        float sa = scores[a];
        float sb = scores[b];
        return sa > sb || (sa == sb && a < b);
    }

    // The heap keeps its worst element at the root: a parent is never better than its children.

    private static void siftUp(float[] scores, int[] heap, int index) {
        int id = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!better(scores, heap[parent], id)) {
                break;
            }
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = id;
    }

    private static void siftDown(float[] scores, int[] heap, int index, int size) {
        int id = heap[index];
        while (true) {
            int child = 2 * index + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && better(scores, heap[child], heap[child + 1])) {
                child++;  // the worse of the two children
            }
            if (!better(scores, id, heap[child])) {
                break;
            }
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = id;
    }
}

package dev.tealama.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge rules of a byte-level BPE vocabulary ({@code tokenizer.ggml.merges}, lines {@code "left right"} whose
 * index is their rank), and the merging of one word by them.
 *
 * <p>Merging works on <em>symbols</em>: the texts a word's pieces can have. A symbol is named by the id of the token
 * with its text; the few merge parts that are no token get ids from {@link #vocabularySize()} up. The rules are kept
 * as a map from (left symbol, right symbol) to rank, and each rank's result symbol; when a pair is listed twice the
 * first (lowest) rank counts, as in llama.cpp.
 */
final class BpeMerges {
    private final Vocabulary vocabulary;
    /** Texts of the symbols that are no token, by {@code id - vocabularySize}. */
    private final List<String> extraSymbols = new ArrayList<>();
    private final Map<String, Integer> extraSymbolIds = new HashMap<>();
    private final LongIntMap rankByPair;
    /** The symbol a merge of each rank makes. */
    private final int[] resultByRank;
    /** The symbol of the one-byte piece of each byte value (its GPT-2 character). */
    private final int[] byteSymbols = new int[256];

    BpeMerges(Vocabulary vocabulary, List<String> merges) {
        this.vocabulary = vocabulary;
        int count = merges.size();
        this.rankByPair = new LongIntMap(count);
        this.resultByRank = new int[count];
        for (int rank = 0; rank < count; rank++) {
            resultByRank[rank] = -1;
            String merge = merges.get(rank);
            // llama.cpp splits at the first space after the first byte; a line without one is ignored
            int space = merge == null ? -1 : merge.indexOf(' ', 1);
            if (space < 0 || space == merge.length() - 1) {
                continue;  // (no symbol is empty)
            }
            int end = merge.length();
            int left = symbol(merge, 0, space, space, space);
            int right = symbol(merge, space + 1, end, end, end);
            if (rankByPair.putIfAbsent(pair(left, right), rank)) {
                resultByRank[rank] = symbol(merge, 0, space, space + 1, end);
            }
        }
        for (int b = 0; b < 256; b++) {
            byteSymbols[b] = symbol(String.valueOf(Gpt2ByteMapping.charOf(b)), 0, 1, 1, 1);
        }
    }

    private static long pair(int left, int right) {
        return (long) left << 32 | right;
    }

    /**
     * The id of the symbol whose text is {@code text[from1, to1)} followed by {@code text[from2, to2)}, giving it one
     * if it is new.
     */
    private int symbol(String text, int from1, int to1, int from2, int to2) {
        int token = vocabulary.id(text, from1, to1, from2, to2);
        if (token >= 0) {
            return token;
        }
        String symbolText = text.substring(from1, to1) + text.substring(from2, to2);
        Integer extra = extraSymbolIds.get(symbolText);
        if (extra == null) {
            extra = vocabulary.size() + extraSymbols.size();
            extraSymbols.add(symbolText);
            extraSymbolIds.put(symbolText, extra);
        }
        return extra;
    }

    int vocabularySize() {
        return vocabulary.size();
    }

    /** The GPT-2 text of a symbol that is no token ({@code symbol >= vocabularySize()}). */
    String extraSymbolText(int symbol) {
        return extraSymbols.get(symbol - vocabulary.size());
    }

    int mergeCount() {
        return rankByPair.size();
    }

    /** The rank of merging two symbols, or -1 if no rule merges them. */
    int rank(int left, int right) {
        return rankByPair.get(pair(left, right), -1);
    }

    /**
     * Merges the bytes {@code word[from, to)} by rank and adds the resulting symbols to {@code out}: starting from one
     * symbol per byte, the adjacent pair with the lowest rank is merged (the leftmost among equals) until no pair has
     * a rule. A heap of candidate pairs makes this O(n log n) in the word length; candidates that went stale because
     * a neighbour was merged first are recognised when they come up and skipped.
     */
    void mergeWord(byte[] word, int from, int to, Scratch scratch, IntList out) {
        int n = to - from;
        scratch.ensure(n);
        int[] symbol = scratch.symbol;
        int[] prev = scratch.prev;
        int[] next = scratch.next;
        boolean[] merged = scratch.merged;
        LongHeap candidates = scratch.candidates;
        candidates.clear();
        for (int i = 0; i < n; i++) {
            symbol[i] = byteSymbols[word[from + i] & 0xFF];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            merged[i] = false;
        }
        for (int i = 1; i < n; i++) {
            addCandidate(i - 1, i, symbol, candidates);
        }
        while (!candidates.isEmpty()) {
            long candidate = candidates.topKey();
            candidates.removeTop();
            int rank = (int) (candidate >>> 32);
            int left = (int) candidate;
            int right = next[left];
            // stale if the left symbol was merged into its neighbour, or either side has changed since
            if (merged[left] || right < 0 || rank(symbol[left], symbol[right]) != rank) {
                continue;
            }
            symbol[left] = resultByRank[rank];
            merged[right] = true;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            addCandidate(prev[left], left, symbol, candidates);
            addCandidate(left, next[left], symbol, candidates);
        }
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            out.add(symbol[i]);
        }
    }

    /** Queues the pair at {@code left, right} if a rule merges it, ordered by (rank, left position). */
    private void addCandidate(int left, int right, int[] symbol, LongHeap candidates) {
        if (left < 0 || right < 0) {
            return;
        }
        int rank = rank(symbol[left], symbol[right]);
        if (rank >= 0) {
            candidates.add((long) rank << 32 | left, 0);
        }
    }

    /** Working arrays of {@link #mergeWord}, reused across the words of one text. */
    static final class Scratch {
        int[] symbol = new int[0];
        int[] prev = new int[0];
        int[] next = new int[0];
        boolean[] merged = new boolean[0];
        final LongHeap candidates = new LongHeap();

        void ensure(int n) {
            if (symbol.length < n) {
                int capacity = Math.max(n, symbol.length * 2);
                symbol = new int[capacity];
                prev = new int[capacity];
                next = new int[capacity];
                merged = new boolean[capacity];
            }
        }
    }
}

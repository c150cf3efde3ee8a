package dev.tealama.tokenizer;

import java.util.Arrays;

/**
 * The bytes every token stands for, in one array: llama.cpp's token-to-piece cache (rendered with special tokens
 * shown). 128k small arrays would cost more memory than the bytes themselves.
 */
final class PieceTable {
    private final byte[] bytes;
    /** Token {@code t}'s bytes are {@code bytes[offsets[t], offsets[t + 1])}. */
    private final int[] offsets;

    private PieceTable(byte[] bytes, int[] offsets) {
        this.bytes = bytes;
        this.offsets = offsets;
    }

    int length(int token) {
        return offsets[token + 1] - offsets[token];
    }

    /** Copies the token's bytes to {@code out[at]}; returns the index after them. */
    int copy(int token, byte[] out, int at) {
        int length = length(token);
        System.arraycopy(bytes, offsets[token], out, at, length);
        return at + length;
    }

    byte[] bytes(int token) {
        return Arrays.copyOfRange(bytes, offsets[token], offsets[token + 1]);
    }

    /** Collects the pieces of tokens {@code 0, 1, ...} in order. */
    static final class Builder {
        private byte[] bytes = new byte[1024];
        private final int[] offsets;
        private int size;
        private int count;

        Builder(int tokenCount) {
            offsets = new int[tokenCount + 1];
        }

        void add(byte[] piece) {
            add(piece, 0, piece.length);
        }

        void add(byte[] piece, int from, int to) {
            int length = to - from;
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + length, bytes.length * 2));
            }
            System.arraycopy(piece, from, bytes, size, length);
            size += length;
            offsets[++count] = size;
        }

        PieceTable build() {
            if (count != offsets.length - 1) {
                throw new IllegalStateException(count + " pieces for " + (offsets.length - 1) + " tokens");
            }
            return new PieceTable(Arrays.copyOf(bytes, size), offsets);
        }
    }
}

package dev.tealama.canister.kernels;

import dev.tealama.tensor.GgmlType;
import org.teavm.interop.Import;

/**
 * The interleaved layout of Q8_0 / Q4_0 matrices the canister repacks at load, read by the {@code *_packed4_*}
 * kernels of {@code simd-kernels.wat}.
 *
 * <p>Why: in the GGUF layout one row's 32 weights of a block are contiguous, so a SIMD dot product gives a row's
 * partial sums in four lanes that must then be added across lanes (a horizontal sum: ~23 instructions per block,
 * four rows and token). Here a group of four rows is stored block by block with the four rows interleaved by pairs
 * of columns: {@code i32x4.dot_i16x8_s} of eight such weights against one pair of activations broadcast to every
 * lane puts each row's partial sum in its own lane, and the sums never cross lanes.
 *
 * <p>A group of four rows keeps its size and place ({@code 4 * rowBytes} bytes), so the repacking is done in place,
 * group by group. Per 32-element block:
 * <ul>
 *   <li>bytes 0-7: the four rows' F16 scales, row 0 first (unchanged values);</li>
 *   <li>Q8_0, bytes 8-135: for column pair p = 0..15 (columns 2p, 2p+1), 8 bytes: row 0's two quants, row 1's,
 *       row 2's, row 3's;</li>
 *   <li>Q4_0, bytes 8-71: four vectors of 16 bytes; vector v's low nibbles hold pairs 4v and 4v+1, its high nibbles
 *       pairs 4v+2 and 4v+3, each pair in the Q8_0 order above (the stored 4-bit value, 8 still to subtract).</li>
 * </ul>
 * Only the order of the bits changes: every weight and scale keeps its value, so the kernels' integer block sums and
 * float steps are those of core's scalar dot products.
 *
 * <p>{@link #unpackRow} reads one row back in the GGUF layout (a token's embedding, when it is the repacked output
 * projection). {@link #packRows4} is the reference, in plain Java (~390 Wasm instructions per byte in the canister);
 * {@link #packRows4At} does the same in Wasm SIMD ({@code src/main/wat/simd-repack.wat}, about one per byte), and is
 * what the canister's load runs. A parity test holds them to the same bytes.
 */
public final class PackedLayout {
    private PackedLayout() {
    }

    /** Whether {@code type} has a packed layout and kernels. */
    public static boolean supports(GgmlType type) {
        return type == GgmlType.Q8_0 || type == GgmlType.Q4_0;
    }

    /**
     * As {@link #packRows4}, in the canister's Wasm memory, by the SIMD code of {@code simd-repack.wat}: the four rows
     * at address {@code src} ({@code rowBytes} each) are written packed to address {@code dst}. The two ranges of
     * {@code 4 * rowBytes} bytes must not overlap (nothing can check the addresses here: a wrong one reads or writes
     * other memory, or traps).
     */
    public static void packRows4At(GgmlType type, int src, int rowBytes, int dst) {
        int blocks = rowBytes / type.blockBytes();
        if (type == GgmlType.Q8_0) {
            q8_0Rows4(src, rowBytes, blocks, dst);
        } else if (type == GgmlType.Q4_0) {
            q4_0Rows4(src, rowBytes, blocks, dst);
        } else {
            throw new IllegalArgumentException("no packed layout for " + type);
        }
    }

    @Import(module = "repack", name = "q8_0_rows4")
    private static native void q8_0Rows4(int src, int rowBytes, int blocks, int dst);

    @Import(module = "repack", name = "q4_0_rows4")
    private static native void q4_0Rows4(int src, int rowBytes, int blocks, int dst);

    /**
     * The inverse for one row: writes row {@code row} (0-3) of a packed group ({@code src} from {@code srcOff},
     * {@code 4 * rowBytes} bytes) in the GGUF layout to {@code dst} from {@code dstOff} ({@code rowBytes} bytes). The
     * canister decodes a token's embedding this way when the token embedding is the repacked output projection
     * (tied weights): the bytes are the file's, so the floats are too.
     */
    public static void unpackRow(GgmlType type, byte[] src, int srcOff, int rowBytes, int row, byte[] dst,
                                 int dstOff) {
        int blockBytes = type.blockBytes();
        int blocks = rowBytes / blockBytes;
        boolean q8 = type == GgmlType.Q8_0;
        for (int b = 0; b < blocks; b++) {
            int in = srcOff + b * 4 * blockBytes;
            int out = dstOff + b * blockBytes;
            dst[out] = src[in + 2 * row];
            dst[out + 1] = src[in + 2 * row + 1];
            if (q8) {
                for (int p = 0; p < 16; p++) {
                    dst[out + 2 + 2 * p] = src[in + 8 + 8 * p + 2 * row];
                    dst[out + 3 + 2 * p] = src[in + 9 + 8 * p + 2 * row];
                }
            } else {
                // GGUF Q4_0: byte i holds column i in its low nibble and column i + 16 in its high nibble
                for (int i = 0; i < 16; i++) {
                    dst[out + 2 + i] = (byte) (packedNibble(src, in, row, i) | packedNibble(src, in, row, i + 16) << 4);
                }
            }
        }
    }

    /** Q4_0: the stored nibble of column {@code col} (0-31) of row {@code row} in the packed block at {@code in}. */
    private static int packedNibble(byte[] src, int in, int row, int col) {
        int p = col / 2;
        int q = p % 4;
        int b = src[in + 8 + 16 * (p / 4) + 8 * (q % 2) + 2 * row + col % 2];
        return q < 2 ? b & 15 : (b >> 4) & 15;
    }

    /**
     * Writes four consecutive GGUF rows ({@code src} from {@code srcOff}, {@code rowBytes} each) in the packed layout
     * to {@code dst} from {@code dstOff} ({@code 4 * rowBytes} bytes; {@code dst} must not overlap {@code src}).
     */
    public static void packRows4(GgmlType type, byte[] src, int srcOff, int rowBytes, byte[] dst, int dstOff) {
        int blockBytes = type.blockBytes();
        int blocks = rowBytes / blockBytes;
        boolean q8 = type == GgmlType.Q8_0;
        for (int b = 0; b < blocks; b++) {
            int out = dstOff + b * 4 * blockBytes;
            for (int r = 0; r < 4; r++) {
                int in = srcOff + r * rowBytes + b * blockBytes;
                dst[out + 2 * r] = src[in];
                dst[out + 2 * r + 1] = src[in + 1];
                for (int p = 0; p < 16; p++) {
                    for (int c = 0; c < 2; c++) {
                        int col = 2 * p + c;
                        if (q8) {
                            dst[out + 8 + 8 * p + 2 * r + c] = src[in + 2 + col];
                        } else {
                            int nibble = col < 16 ? src[in + 2 + col] & 15 : (src[in + 2 + col - 16] >> 4) & 15;
                            int q = p % 4;
                            int at = out + 8 + 16 * (p / 4) + 8 * (q % 2) + 2 * r + c;
                            if (q < 2) {
                                dst[at] = (byte) ((dst[at] & 0xF0) | nibble);
                            } else {
                                dst[at] = (byte) ((dst[at] & 0x0F) | (nibble << 4));
                            }
                        }
                    }
                }
            }
        }
    }
}

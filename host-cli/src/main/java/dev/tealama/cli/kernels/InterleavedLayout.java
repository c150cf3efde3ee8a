package dev.tealama.cli.kernels;

import dev.tealama.model.Matrix;
import dev.tealama.tensor.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tealama.cli.kernels.Lanes.I512;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.S256;

/**
 * The layout the host repacks Q4_0 and Q8_0 matrices into when it holds a copy of the weights
 * ({@code --weights hugepages}, {@code heap}), read by {@link InterleavedQ4_0Kernel} and {@link InterleavedQ8_0Kernel}.
 *
 * <p>Why: in the GGUF layout each block carries its own fp16 scale, so a kernel pays a scalar conversion and a
 * broadcast per block of 32 weights, and its vector lanes each hold part of one block, so the 32 products must be
 * scaled together before lanes can be added. Here a row is cut into rounds of 16 blocks, and a round stores its
 * 16 blocks side by side, byte by byte: 16 lanes then hold 16 different blocks, every lane sums its own block, and
 * the 16 scales convert in one vector. The kernels need about half the instructions per weight
 * (docs/benchmarks.md).
 *
 * <p>A round keeps its size and place (the 16 blocks it replaces: 288 bytes of Q4_0, 544 of Q8_0), so a row is
 * repacked in place. Per round:
 * <ul>
 *   <li>bytes 0-31: the 16 blocks' fp16 scales, block 0 first (unchanged values);</li>
 *   <li>bytes 32 + 16p + i: byte {@code p} of block {@code i}'s quants (p = 0..15 for Q4_0, whose low nibble is
 *       element p and high nibble element p + 16; p = 0..31 for Q8_0, element p).</li>
 * </ul>
 * Element {@code e} of block {@code i} is thus read at position {@code e} (Q8_0) or {@code e mod 16} (Q4_0), and the
 * activations are laid out to match ({@link Activations#interleavedQuants}): element {@code e} of block {@code i} of
 * a round at {@code 512r + 16e + i}.
 *
 * <p>Only rows whose length is a whole number of rounds ({@value #ROUND_ELEMENTS} elements) are repacked, which every
 * Llama shape is. Only the order of the bytes changes, so {@link #unpackRow} gives back the file's row exactly (a
 * token's embedding, when the output projection is the repacked token embedding).
 */
final class InterleavedLayout {
    /** Blocks per round. */
    static final int ROUND_BLOCKS = 16;
    /** Elements per round. */
    static final int ROUND_ELEMENTS = ROUND_BLOCKS * 32;
    /** Offset of the quants in a round, after the 16 scales. */
    static final int QUANTS = 2 * ROUND_BLOCKS;

    private static final VectorSpecies<Byte> B512 = ByteVector.SPECIES_512;

    private InterleavedLayout() {
    }

    /** Whether {@code w} can be repacked: Q4_0 or Q8_0 rows of whole rounds. */
    static boolean fits(Matrix w) {
        GgmlType type = w.format().type();
        return (type == GgmlType.Q4_0 || type == GgmlType.Q8_0) && w.cols() % ROUND_ELEMENTS == 0;
    }

    /** Bytes of a round of {@code type}: its 16 blocks. */
    static int roundBytes(GgmlType type) {
        return ROUND_BLOCKS * type.blockBytes();
    }

    /** Repacks {@code rows} rows of {@code rowBytes} (whole rounds of {@code type}) at the start of {@code matrix}. */
    static void packRows(GgmlType type, MemorySegment matrix, int rows, int rowBytes) {
        int roundBytes = roundBytes(type);
        byte[] gguf = new byte[roundBytes];
        byte[] packed = new byte[roundBytes];
        long rounds = (long) rows * rowBytes / roundBytes;
        for (long r = 0; r < rounds; r++) {
            long at = r * roundBytes;
            MemorySegment.copy(matrix, ValueLayout.JAVA_BYTE, at, gguf, 0, roundBytes);
            packRound(type, gguf, 0, packed, 0);
            MemorySegment.copy(packed, 0, matrix, ValueLayout.JAVA_BYTE, at, roundBytes);
        }
    }

    /** One round of 16 GGUF blocks at {@code src[from..]} written interleaved to {@code dst[to..]}. */
    static void packRound(GgmlType type, byte[] src, int from, byte[] dst, int to) {
        int blockBytes = type.blockBytes();
        for (int i = 0; i < ROUND_BLOCKS; i++) {
            int block = from + blockBytes * i;
            dst[to + 2 * i] = src[block];
            dst[to + 2 * i + 1] = src[block + 1];
            for (int p = 0; p < blockBytes - 2; p++) {
                dst[to + QUANTS + 16 * p + i] = src[block + 2 + p];
            }
        }
    }

    /** The inverse of {@link #packRound}. */
    static void unpackRound(GgmlType type, byte[] src, int from, byte[] dst, int to) {
        int blockBytes = type.blockBytes();
        for (int i = 0; i < ROUND_BLOCKS; i++) {
            int block = to + blockBytes * i;
            dst[block] = src[from + 2 * i];
            dst[block + 1] = src[from + 2 * i + 1];
            for (int p = 0; p < blockBytes - 2; p++) {
                dst[block + 2 + p] = src[from + QUANTS + 16 * p + i];
            }
        }
    }

    /** A repacked row of {@code rowBytes} bytes ({@code src}) in the GGUF layout ({@code dst}, same length). */
    static void unpackRow(GgmlType type, byte[] src, byte[] dst, int rowBytes) {
        int roundBytes = roundBytes(type);
        for (int at = 0; at < rowBytes; at += roundBytes) {
            unpackRound(type, src, at, dst, at);
        }
    }

    /**
     * The whole groups of 16 tokens ({@link Activations#laneGroups}) times rows {@code [rowFrom, rowTo)} of a
     * repacked matrix, by {@link TokenLanes} on the rows put back in the GGUF layout a tile at a time. TokenLanes
     * multiplies each decoded block by 16 or 32 tokens at once; a tile serves every group, so putting it back costs
     * little (~0.1 ms per 512 KiB tile, against ~17 ms of multiply-adds for 512 tokens), where decoding this layout
     * inside TokenLanes measured 5-10% slower prompts. The copy is in native memory: TokenLanes read a heap array's
     * segment ~13% slower.
     */
    static void multiplyLaneGroups(GgmlType type, MemorySegment w, int rowBytes, int cols, int rowFrom, int rowTo,
                                   Activations x, float[][] out, Scratch scratch) {
        if (x.laneGroups() == 0) {
            return;
        }
        int tile = TokenLanes.tileRows(rowBytes);
        MemorySegment gguf = scratch.ggufRows((long) tile * rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += tile) {
            int r1 = Math.min(rowTo, r0 + tile);
            unpackRows(type, w, (long) r0 * rowBytes, r1 - r0, rowBytes, gguf, scratch.roundQuants, scratch.ggufRound);
            TokenLanes.multiply(type == GgmlType.Q4_0, gguf, r0, rowBytes, cols, r0, r1, x, out, scratch);
        }
    }

    /**
     * Rows {@code [0, rows)} of {@code rowBytes} bytes of a repacked matrix at {@code w[from..]} written back in the
     * GGUF layout to {@code dst} from 0, with vectors; {@code quants} (256 bytes) and {@code round} (one round) are
     * scratch.
     */
    static void unpackRows(GgmlType type, MemorySegment w, long from, int rows, int rowBytes, MemorySegment dst,
                           byte[] quants, byte[] round) {
        int blockBytes = type.blockBytes();
        int roundBytes = roundBytes(type);
        long bytes = (long) rows * rowBytes;
        for (long at = 0; at < bytes; at += roundBytes) {
            for (int i = 0; i < ROUND_BLOCKS; i++) {
                round[blockBytes * i] = w.get(ValueLayout.JAVA_BYTE, from + at + 2 * i);
                round[blockBytes * i + 1] = w.get(ValueLayout.JAVA_BYTE, from + at + 2 * i + 1);
            }
            // 16 byte positions at a time (Q8_0 has two such halves)
            for (int half = 0; half < blockBytes - 2; half += 16) {
                unpackQuants(w, from + at + QUANTS + 16L * half, quants);
                for (int i = 0; i < ROUND_BLOCKS; i++) {
                    System.arraycopy(quants, 16 * i, round, blockBytes * i + 2 + half, 16);
                }
            }
            MemorySegment.copy(round, 0, dst, ValueLayout.JAVA_BYTE, at, roundBytes);
        }
    }

    /**
     * 16 byte positions of a round's 16 blocks ({@code w[at ..]}, 256 bytes: position p of block i at
     * {@code 16p + i}) put back in block order: block {@code i}'s 16 bytes at {@code blocks[16i ..]}. A transposition
     * of 16 × 16 bytes in four 512-bit vectors: each output vector (4 blocks) takes the bytes of positions 0-7 from
     * the first two input vectors and those of positions 8-15 from the last two, one two-vector permute each.
     */
    static void unpackQuants(MemorySegment w, long at, byte[] blocks) {
        ByteVector v0 = ByteVector.fromMemorySegment(B512, w, at, LE);
        ByteVector v1 = ByteVector.fromMemorySegment(B512, w, at + 64, LE);
        ByteVector v2 = ByteVector.fromMemorySegment(B512, w, at + 128, LE);
        ByteVector v3 = ByteVector.fromMemorySegment(B512, w, at + 192, LE);
        for (int q = 0; q < 4; q++) {
            ByteVector first = TRANSPOSE[q].selectFrom(v0, v1);
            ByteVector second = TRANSPOSE[q].selectFrom(v2, v3);
            first.blend(second, SECOND_HALF).intoArray(blocks, 64 * q);
        }
    }

    /**
     * For output vector {@code q}, lane {@code 16ii + p} (byte {@code p} of block {@code 4q + ii}): where that byte
     * lies in the pair of input vectors holding positions {@code p & ~7 .. (p & ~7) + 7}, i.e. lane
     * {@code 16 (p & 7) + 4q + ii} of their 128.
     */
    private static final ByteVector[] TRANSPOSE = new ByteVector[4];
    /** The lanes of byte positions 8-15, taken from the second pair. */
    private static final VectorMask<Byte> SECOND_HALF;

    static {
        boolean[] second = new boolean[64];
        for (int q = 0; q < 4; q++) {
            byte[] index = new byte[64];
            for (int ii = 0; ii < 4; ii++) {
                for (int p = 0; p < 16; p++) {
                    index[16 * ii + p] = (byte) (16 * (p & 7) + 4 * q + ii);
                    second[16 * ii + p] = p >= 8;
                }
            }
            TRANSPOSE[q] = ByteVector.fromArray(B512, index, 0);
        }
        SECOND_HALF = VectorMask.fromArray(B512, second, 0);
    }

    /**
     * The 16 fp16 scales at the start of the round at {@code w[round]}, as floats: exactly what
     * {@link Float#float16ToFloat} gives (the Vector API has no conversion from fp16). The magnitude's bits are moved
     * into a float's and scaled by 2^112 (exact, subnormals included), infinities and NaNs are set apart, then the
     * sign is put back.
     */
    static FloatVector scales(MemorySegment w, long round) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S256, w, round, LE)
                .convertShape(VectorOperators.S2I, I512, 0);
        IntVector magnitude = h.and(0x7FFF);
        IntVector finite = magnitude.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats().mul(0x1p112f)
                .reinterpretAsInts();
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        return finite.blend(magnitude.lanewise(VectorOperators.LSHL, 13).or(0x70000000), special)
                .or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }
}

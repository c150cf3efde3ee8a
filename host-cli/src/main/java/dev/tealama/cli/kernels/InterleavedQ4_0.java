package dev.tealama.cli.kernels;

import dev.tealama.model.Matrix;
import dev.tealama.tensor.GgmlType;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The layout the host repacks Q4_0 matrices into when it holds a copy of the weights ({@code --weights hugepages},
 * {@code heap}), read by {@link InterleavedQ4_0Kernel}.
 *
 * <p>Why: in the GGUF layout each 18-byte block carries its own fp16 scale, so a kernel pays a scalar conversion and
 * a broadcast per block of 32 weights, and its vector lanes each hold part of one block, so the 32 products must be
 * scaled together before lanes can be added. Here a row is cut into rounds of 16 blocks, and a round stores its
 * 16 blocks side by side, byte by byte: 16 lanes then hold 16 different blocks, every lane sums its own block with
 * plain integer adds, and the 16 scales convert in one vector. The kernels need about half the instructions per
 * weight (docs/benchmarks.md).
 *
 * <p>A round keeps its size and place ({@value #ROUND_BYTES} bytes, the 16 blocks it replaces), so a row is repacked
 * in place. Per round:
 * <ul>
 *   <li>bytes 0-31: the 16 blocks' fp16 scales, block 0 first (unchanged values);</li>
 *   <li>bytes 32 + 16j + i (j, i = 0..15): byte j of block i's quants, whose low nibble is element j of the block
 *       and whose high nibble is element j + 16 (the stored 4-bit values, 8 still to subtract).</li>
 * </ul>
 * Only rows whose length is a whole number of rounds ({@value #ROUND_ELEMENTS} elements) are repacked, which every
 * Llama shape is. Only the order of the bytes changes, so {@link #unpackRow} gives back the file's row exactly (a
 * token's embedding, when the output projection is the repacked token embedding).
 */
final class InterleavedQ4_0 {
    /** Blocks per round. */
    static final int ROUND_BLOCKS = 16;
    /** Bytes per round: 16 blocks of 18. */
    static final int ROUND_BYTES = ROUND_BLOCKS * 18;
    /** Elements per round. */
    static final int ROUND_ELEMENTS = ROUND_BLOCKS * 32;
    /** Offset of the quants in a round, after the 16 scales. */
    static final int QUANTS = 2 * ROUND_BLOCKS;

    private InterleavedQ4_0() {
    }

    /** Whether {@code w} can be repacked: Q4_0 rows of whole rounds. */
    static boolean fits(Matrix w) {
        return w.format().type() == GgmlType.Q4_0 && w.cols() % ROUND_ELEMENTS == 0;
    }

    /** Repacks {@code rows} rows of {@code rowBytes} (whole rounds) at the start of {@code matrix}, in place. */
    static void packRows(MemorySegment matrix, int rows, int rowBytes) {
        byte[] gguf = new byte[ROUND_BYTES];
        byte[] packed = new byte[ROUND_BYTES];
        long rounds = (long) rows * rowBytes / ROUND_BYTES;
        for (long r = 0; r < rounds; r++) {
            long at = r * ROUND_BYTES;
            MemorySegment.copy(matrix, ValueLayout.JAVA_BYTE, at, gguf, 0, ROUND_BYTES);
            packRound(gguf, 0, packed, 0);
            MemorySegment.copy(packed, 0, matrix, ValueLayout.JAVA_BYTE, at, ROUND_BYTES);
        }
    }

    /** One round of 16 GGUF blocks at {@code src[from..]} written interleaved to {@code dst[to..]}. */
    static void packRound(byte[] src, int from, byte[] dst, int to) {
        for (int i = 0; i < ROUND_BLOCKS; i++) {
            int block = from + 18 * i;
            dst[to + 2 * i] = src[block];
            dst[to + 2 * i + 1] = src[block + 1];
            for (int j = 0; j < 16; j++) {
                dst[to + QUANTS + 16 * j + i] = src[block + 2 + j];
            }
        }
    }

    /** The inverse of {@link #packRound}. */
    static void unpackRound(byte[] src, int from, byte[] dst, int to) {
        for (int i = 0; i < ROUND_BLOCKS; i++) {
            int block = to + 18 * i;
            dst[block] = src[from + 2 * i];
            dst[block + 1] = src[from + 2 * i + 1];
            for (int j = 0; j < 16; j++) {
                dst[block + 2 + j] = src[from + QUANTS + 16 * j + i];
            }
        }
    }

    /**
     * A round's quants at {@code w[round + 32 ..]} put back in block order: block {@code i}'s 16 bytes at
     * {@code blocks[16i ..]}, as they stand in a GGUF block after its scale. A transposition of 16 × 16 bytes in four
     * 512-bit vectors: each output vector (4 blocks) takes the bytes of positions 0-7 from the first two input
     * vectors and of positions 8-15 from the last two, with one two-vector permute each.
     */
    static void unpackQuants(MemorySegment w, long round, byte[] blocks) {
        ByteVector v0 = ByteVector.fromMemorySegment(B512, w, round + QUANTS, LE);
        ByteVector v1 = ByteVector.fromMemorySegment(B512, w, round + QUANTS + 64, LE);
        ByteVector v2 = ByteVector.fromMemorySegment(B512, w, round + QUANTS + 128, LE);
        ByteVector v3 = ByteVector.fromMemorySegment(B512, w, round + QUANTS + 192, LE);
        for (int q = 0; q < 4; q++) {
            ByteVector first = TRANSPOSE[q].selectFrom(v0, v1);
            ByteVector second = TRANSPOSE[q].selectFrom(v2, v3);
            first.blend(second, SECOND_HALF).intoArray(blocks, 64 * q);
        }
    }

    private static final VectorSpecies<Byte> B512 = ByteVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * For output vector {@code q}, lane {@code 16ii + j} (byte {@code j} of block {@code 4q + ii}): where that byte
     * lies in the pair of input vectors holding positions {@code j & ~7 .. (j & ~7) + 7}, i.e. lane
     * {@code 16 (j & 7) + 4q + ii} of their 128.
     */
    private static final ByteVector[] TRANSPOSE = new ByteVector[4];
    /** The lanes of byte positions 8-15, taken from the second pair. */
    private static final VectorMask<Byte> SECOND_HALF;

    static {
        boolean[] second = new boolean[64];
        for (int q = 0; q < 4; q++) {
            byte[] index = new byte[64];
            for (int ii = 0; ii < 4; ii++) {
                for (int j = 0; j < 16; j++) {
                    index[16 * ii + j] = (byte) (16 * (j & 7) + 4 * q + ii);
                    second[16 * ii + j] = j >= 8;
                }
            }
            TRANSPOSE[q] = ByteVector.fromArray(B512, index, 0);
        }
        SECOND_HALF = VectorMask.fromArray(B512, second, 0);
    }

    /**
     * Rows {@code [0, rows)} of {@code rowBytes} bytes of a repacked matrix at {@code w[from..]} written back in the
     * GGUF layout to {@code dst} from 0; {@code quants} (256 bytes) and {@code round} (one round) are scratch.
     */
    static void unpackRows(MemorySegment w, long from, int rows, int rowBytes, MemorySegment dst, byte[] quants,
                           byte[] round) {
        long bytes = (long) rows * rowBytes;
        for (long at = 0; at < bytes; at += ROUND_BYTES) {
            unpackQuants(w, from + at, quants);
            for (int i = 0; i < ROUND_BLOCKS; i++) {
                round[18 * i] = w.get(ValueLayout.JAVA_BYTE, from + at + 2 * i);
                round[18 * i + 1] = w.get(ValueLayout.JAVA_BYTE, from + at + 2 * i + 1);
                System.arraycopy(quants, 16 * i, round, 18 * i + 2, 16);
            }
            MemorySegment.copy(round, 0, dst, ValueLayout.JAVA_BYTE, at, ROUND_BYTES);
        }
    }

    /** A repacked row of {@code rowBytes} bytes ({@code src}) in the GGUF layout ({@code dst}, same length). */
    static void unpackRow(byte[] src, byte[] dst, int rowBytes) {
        for (int at = 0; at < rowBytes; at += ROUND_BYTES) {
            unpackRound(src, at, dst, at);
        }
    }
}

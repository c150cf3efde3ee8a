package dev.tealama.cli.kernels;

import dev.tealama.tensor.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** One thread's working buffers for the vector kernels: allocated once per worker, reused by every dot product. */
final class Scratch {
    /** Partial-sum vectors awaiting the last rounds of the block reduction (see {@link Lanes}). */
    final int[] tree = new int[8 * Lanes.GROUP * 2];
    /** Per-block weight scales of the blocks being reduced. */
    final float[] scales = new float[2 * Lanes.GROUP];
    /** Per-block weight minimums (Q4_1). */
    final float[] mins = new float[2 * Lanes.GROUP];
    /** The 8 sub-block scales of a Q4_K / Q5_K super-block. */
    final int[] subScales = new int[8];
    /** Bytes touched ahead of the kernels (see {@link Lanes#READ_AHEAD}), kept so the loads are not optimized away. */
    int sink;
    /** Eight float lanes, read back in order (K-quants' final sum). */
    final float[] lanes = new float[8];

    /**
     * {@link TokenLanes}: the byte offsets of the 4 rows, their decoded block, its scales, the 4 × 16 results (twice
     * that for a pair of token groups).
     */
    final long[] laneRows = new long[TokenLanes.ROWS];
    final float[] laneWeights = new float[TokenLanes.ROWS * 32];
    final float[] laneScales = new float[TokenLanes.ROWS];
    final float[] laneResult = new float[2 * TokenLanes.ROWS * TokenLanes.TOKENS];

    /**
     * {@link InterleavedLayout#multiplyLaneGroups}: a tile of rows put back in the GGUF layout, in native memory
     * (TokenLanes read a heap array's segment ~13% slower), a round's quants in block order, and a round (of the
     * larger type, Q8_0) in the GGUF layout.
     */
    private MemorySegment ggufRows = MemorySegment.NULL;
    final byte[] roundQuants = new byte[16 * InterleavedLayout.ROUND_BLOCKS];
    final byte[] ggufRound = new byte[InterleavedLayout.roundBytes(GgmlType.Q8_0)];

    /** A native buffer of at least {@code bytes} bytes, grown as needed (the thread's, freed with it by the GC). */
    MemorySegment ggufRows(long bytes) {
        if (ggufRows.byteSize() < bytes) {
            ggufRows = Arena.ofAuto().allocate(bytes, 64);
        }
        return ggufRows;
    }

    private Attention attention;

    /** Buffers for one attention head of {@code headDim} elements over {@code positions} positions. */
    Attention attention(int headDim, int positions) {
        if (attention == null || attention.query.length < headDim || attention.scores.length < positions) {
            attention = new Attention(Math.max(headDim, attention == null ? 0 : attention.query.length),
                    Math.max(positions, attention == null ? 0 : 2 * attention.scores.length));
        }
        return attention;
    }

    /** The buffers {@link VectorAttention} uses, grown to the longest context seen. */
    static final class Attention {
        final float[] query;
        final float[] row;
        final float[] accumulator;
        final float[] scores;
        final float[] arguments;
        final float[] exps;
        final boolean[] rescale;

        Attention(int headDim, int positions) {
            query = new float[headDim];
            row = new float[headDim];
            accumulator = new float[headDim];
            scores = new float[positions];
            arguments = new float[positions];
            exps = new float[positions];
            rescale = new boolean[positions];
        }
    }
}

package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;

/**
 * One matmul's activations in the form the vector kernels read, prepared once by the calling thread and then read by
 * every worker: the very quants and scales core's scalar kernels use ({@link QuantizedVector}), with the int8
 * quants widened to int16 (the kernels multiply in 16-bit lanes) and a few per-block sums precomputed. Q8_0
 * activations on AVX-512 machines are instead converted to floats, in groups of 16 tokens one per lane
 * ({@link #laneQuants}) and the tokens left over one by one ({@link #floatQuants}): the only forms the 16-lane
 * kernels read, so nothing else is built for them.
 *
 * <p>Buffers grow to the largest matmul seen and are reused: preparing allocates nothing in steady state.
 */
final class Activations {
    /** Tokens per group: the lanes of an 8-int vector. */
    static final int GROUP = 8;

    private ActivationType type;
    private int count;
    private int length;
    private short[][] quants = new short[0][];
    private float[][] floatQuants = new float[0][];  // Q8_0 on AVX-512 only, instead of quants
    private short[][] interleavedQuants = new short[0][];  // for InterleavedQ4_0Kernel only, instead of quants
    private float[][] interleavedFloats = new float[0][];  // for InterleavedQ8_0Kernel only, instead of quants
    private int[][] blockSums = new int[0][];
    private boolean[] fullRange = new boolean[0];
    private QuantizedVector[] source;
    // tokens in groups of 8, interleaved per block (see groupQuants)
    private int groups;
    private short[][] groupQuants = new short[0][];
    private float[][] groupScales = new float[0][];
    private int[][] groupBlockSums = new int[0][];
    private boolean[] groupFullRange = new boolean[0];
    // tokens in groups of 16, one per float lane (see laneQuants)
    private int laneGroups;
    private float[][] laneQuants = new float[0][];
    private float[][] laneScales = new float[0][];

    /** Prepares {@code x[0 .. count)}, all of one type and length. */
    void prepare(QuantizedVector[] x, int count) {
        prepare(x, count, null);
    }

    /**
     * Prepares {@code x[0 .. count)}, all of one type and length, for the kernels of a matrix of {@code interleaved}
     * weights (Q4_0 or Q8_0) in the {@link InterleavedLayout}, or (null) of any weights in the GGUF layout.
     */
    void prepare(QuantizedVector[] x, int count, GgmlType interleaved) {
        this.source = x;
        this.count = count;
        this.type = x[0].type();
        this.length = x[0].length();
        boolean integer = type == ActivationType.Q8_0 || type == ActivationType.Q8_1 || type == ActivationType.Q8_K;
        if (!integer) {
            return;
        }
        int blocks = length / 32;
        if (interleaved != null) {
            if (type != ActivationType.Q8_0) {
                throw new IllegalArgumentException("the interleaved kernels read Q8_0 activations, not " + type);
            }
            groups = 0;
            prepareLaneGroups(x, blocks);
            prepareInterleaved(x, blocks, laneGroups * TokenLanes.TOKENS, interleaved == GgmlType.Q8_0);
            return;
        }
        if (type == ActivationType.Q8_0 && Lanes.WIDE) {
            // the 16-float-lane kernels read only floats: lane groups, and one row per token left over
            groups = 0;
            prepareLaneGroups(x, blocks);
            prepareFloats(x, laneGroups * TokenLanes.TOKENS);
            return;
        }
        laneGroups = 0;
        if (quants.length < count) {
            quants = java.util.Arrays.copyOf(quants, count);
            blockSums = java.util.Arrays.copyOf(blockSums, Math.max(count, blockSums.length));
            fullRange = new boolean[count];
        }
        for (int t = 0; t < count; t++) {
            if (quants[t] == null || quants[t].length < length) {
                quants[t] = new short[length];
                blockSums[t] = new int[blocks];
            }
            byte[] q = x[t].quants();
            short[] wide = quants[t];
            int[] sums = blockSums[t];
            boolean minus128 = false;
            for (int b = 0; b < blocks; b++) {
                int sum = 0;
                for (int j = b * 32; j < b * 32 + 32; j++) {
                    int v = q[j];
                    wide[j] = (short) v;
                    sum += v;
                    minus128 |= v == -128;
                }
                sums[b] = sum;
            }
            fullRange[t] = minus128;
        }
        prepareGroups(x, blocks);
    }

    /**
     * Tokens {@code [from, count)}'s quants in the order of the {@link InterleavedLayout}: as floats
     * ({@link #interleavedFloats}, for Q8_0 weights), or as int16 with their sums per block
     * ({@link #interleavedQuants}, for Q4_0 weights).
     */
    private void prepareInterleaved(QuantizedVector[] x, int blocks, int from, boolean floats) {
        if (interleavedQuants.length < count) {
            interleavedQuants = java.util.Arrays.copyOf(interleavedQuants, count);
            interleavedFloats = java.util.Arrays.copyOf(interleavedFloats, count);
        }
        if (blockSums.length < count) {
            blockSums = java.util.Arrays.copyOf(blockSums, count);
        }
        for (int t = from; t < count; t++) {
            byte[] q = x[t].quants();
            if (floats) {
                if (interleavedFloats[t] == null || interleavedFloats[t].length < length) {
                    interleavedFloats[t] = new float[length];
                }
                float[] order = interleavedFloats[t];
                for (int b = 0; b < blocks; b++) {
                    int at = b / InterleavedLayout.ROUND_BLOCKS * InterleavedLayout.ROUND_ELEMENTS
                            + b % InterleavedLayout.ROUND_BLOCKS;
                    for (int e = 0; e < 32; e++) {
                        order[at + 16 * e] = q[b * 32 + e];
                    }
                }
                continue;
            }
            if (interleavedQuants[t] == null || interleavedQuants[t].length < length) {
                interleavedQuants[t] = new short[length];
            }
            if (blockSums[t] == null || blockSums[t].length < blocks) {
                blockSums[t] = new int[blocks];
            }
            short[] order = interleavedQuants[t];
            int[] sums = blockSums[t];
            for (int b = 0; b < blocks; b++) {
                int at = b / InterleavedLayout.ROUND_BLOCKS * InterleavedLayout.ROUND_ELEMENTS
                        + b % InterleavedLayout.ROUND_BLOCKS;
                int sum = 0;
                for (int e = 0; e < 32; e++) {
                    int v = q[b * 32 + e];
                    order[at + 16 * e] = (short) v;
                    sum += v;
                }
                sums[b] = sum;
            }
        }
    }

    /** Tokens {@code [from, count)}'s quants as floats ({@link #floatQuants}). */
    private void prepareFloats(QuantizedVector[] x, int from) {
        if (floatQuants.length < count) {
            floatQuants = java.util.Arrays.copyOf(floatQuants, count);
        }
        for (int t = from; t < count; t++) {
            if (floatQuants[t] == null || floatQuants[t].length < length) {
                floatQuants[t] = new float[length];
            }
            byte[] q = x[t].quants();
            float[] floats = floatQuants[t];
            for (int i = 0; i < length; i++) {
                floats[i] = q[i];
            }
        }
    }

    /** Tokens in groups of {@link TokenLanes#TOKENS}, one per float lane, for {@link TokenLanes}. */
    private void prepareLaneGroups(QuantizedVector[] x, int blocks) {
        laneGroups = count / TokenLanes.TOKENS;
        if (laneGroups == 0) {
            return;
        }
        int lanes = TokenLanes.TOKENS;
        if (laneQuants.length < laneGroups) {
            laneQuants = java.util.Arrays.copyOf(laneQuants, laneGroups);
            laneScales = java.util.Arrays.copyOf(laneScales, laneGroups);
        }
        for (int g = 0; g < laneGroups; g++) {
            if (laneQuants[g] == null || laneQuants[g].length < lanes * length) {
                laneQuants[g] = new float[lanes * length];
                laneScales[g] = new float[lanes * blocks];
            }
            float[] q = laneQuants[g];
            float[] d = laneScales[g];
            for (int j = 0; j < lanes; j++) {
                int t = g * lanes + j;
                byte[] quants = x[t].quants();
                float[] scales = x[t].scales();
                for (int i = 0; i < length; i++) {
                    q[i * lanes + j] = quants[i];
                }
                for (int b = 0; b < blocks; b++) {
                    d[b * lanes + j] = scales[b];
                }
            }
        }
    }

    /** Whole groups of {@link TokenLanes#TOKENS} tokens for {@link TokenLanes} (0 unless Q8_0 on AVX-512). */
    int laneGroups() {
        return laneGroups;
    }

    /**
     * Group {@code g}'s quants as floats, element by element: token {@code 16g + t}'s quant of element {@code i}
     * at {@code 16i + t}, so one vector holds an element of all 16 tokens.
     */
    float[] laneQuants(int g) {
        return laneQuants[g];
    }

    /** Group {@code g}'s scales: block {@code b} of token {@code 16g + t} at {@code 16b + t}. */
    float[] laneScales(int g) {
        return laneScales[g];
    }

    /** Tokens in groups of {@link #GROUP}, for the kernels that multiply each weight block by 8 tokens at once. */
    private void prepareGroups(QuantizedVector[] x, int blocks) {
        groups = type == ActivationType.Q8_0 ? count / GROUP : 0;
        if (groups == 0) {
            return;
        }
        if (groupQuants.length < groups) {
            groupQuants = java.util.Arrays.copyOf(groupQuants, groups);
            groupScales = java.util.Arrays.copyOf(groupScales, groups);
            groupBlockSums = java.util.Arrays.copyOf(groupBlockSums, groups);
            groupFullRange = new boolean[groups];
        }
        for (int g = 0; g < groups; g++) {
            if (groupQuants[g] == null || groupQuants[g].length < GROUP * length) {
                groupQuants[g] = new short[GROUP * length];
                groupScales[g] = new float[GROUP * blocks];
                groupBlockSums[g] = new int[GROUP * blocks];
            }
            short[] q = groupQuants[g];
            float[] d = groupScales[g];
            int[] sums = groupBlockSums[g];
            boolean minus128 = false;
            for (int j = 0; j < GROUP; j++) {
                int t = g * GROUP + j;
                short[] wide = quants[t];
                float[] scales = x[t].scales();
                for (int b = 0; b < blocks; b++) {
                    System.arraycopy(wide, b * 32, q, (b * GROUP + j) * 32, 32);
                    d[b * GROUP + j] = scales[b];
                    sums[b * GROUP + j] = blockSums[t][b];
                }
                minus128 |= fullRange[t];
            }
            groupFullRange[g] = minus128;
        }
    }

    /** Whole groups of {@link #GROUP} tokens (Q8_0 activations only; else 0). */
    int groups() {
        return groups;
    }

    /**
     * Group {@code g}'s int16 quants, interleaved by block: token {@code 8g + j}'s quants of block {@code b} at
     * {@code (8b + j) · 32}, so a weight block's 8 partners lie together.
     */
    short[] groupQuants(int g) {
        return groupQuants[g];
    }

    /** Group {@code g}'s scales: block {@code b} of token {@code 8g + j} at {@code 8b + j}. */
    float[] groupScales(int g) {
        return groupScales[g];
    }

    /** Group {@code g}'s sums of quants per block, laid out as {@link #groupScales}. */
    int[] groupBlockSums(int g) {
        return groupBlockSums[g];
    }

    /** Whether a token of group {@code g} has a quant of -128 (see {@link #hasMinus128}). */
    boolean groupHasMinus128(int g) {
        return groupFullRange[g];
    }

    ActivationType type() {
        return type;
    }

    int count() {
        return count;
    }

    /** Elements per token. */
    int length() {
        return length;
    }

    /** Token {@code t}'s int8 quants as int16. */
    short[] quants(int t) {
        return quants[t];
    }

    /**
     * Token {@code t}'s int8 quants as floats (exact), for the kernels that multiply in float lanes: every product
     * of two int8 values and every sum of up to 1024 of them is an integer below 2^24, so float arithmetic on them
     * is exact.
     */
    float[] floatQuants(int t) {
        return floatQuants[t];
    }

    /**
     * Token {@code t}'s int8 quants as int16 in the order of the {@link InterleavedLayout} (its length a whole number
     * of rounds): per round of 16 blocks (512 elements from {@code 512r}), element {@code e} of block {@code i} at
     * {@code 512r + 16e + i}, so that one vector holds the partners of one byte position of 16 blocks.
     */
    short[] interleavedQuants(int t) {
        return interleavedQuants[t];
    }

    /** Token {@code t}'s int8 quants as floats (exact) in the order of {@link #interleavedQuants}. */
    float[] interleavedFloats(int t) {
        return interleavedFloats[t];
    }

    /** Token {@code t}'s sum of quants per block of 32. */
    int[] blockSums(int t) {
        return blockSums[t];
    }

    /**
     * Whether token {@code t} has a quant of -128. x86 ggml clamps to [-128, 127] but only reaches -128 for
     * non-finite or subnormal blocks; kernels that add two int8 products in one int16 lane rely on |x| ≤ 127.
     */
    boolean hasMinus128(int t) {
        return fullRange[t];
    }

    /** Token {@code t}'s scales (see {@link QuantizedVector#scales()}). */
    float[] scales(int t) {
        return source[t].scales();
    }

    /** Q8_1: token {@code t}'s fp16 scaled block sums. */
    float[] scaledBlockSums(int t) {
        return source[t].blockSums();
    }

    /** Q8_K: token {@code t}'s sums per 16 quants. */
    short[] groupSums(int t) {
        return source[t].groupSums();
    }

    /** F32 / F16 / BF16: token {@code t}'s values. */
    float[] values(int t) {
        return source[t].values();
    }
}

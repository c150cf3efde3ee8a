package dev.tealama.cli.kernels;

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
}

package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.WeightFormat;

import java.lang.foreign.MemorySegment;

/**
 * The Vector API dot product for one weight format, reading encoded rows straight from a {@link MemorySegment}.
 * Each kernel computes what the format's scalar {@link WeightFormat#dot} computes (same activations, same integer
 * block sums, same float operations per block term) and differs only in the order the block terms are added.
 */
sealed interface WeightKernel permits Q8_0Kernel, Q4_0Kernel, InterleavedQ4_0Kernel, InterleavedQ8_0Kernel, Q4_1Kernel, Q4_KKernel, Q5_KKernel, Q6_KKernel,
        F32Kernel, F16Kernel, BF16Kernel {

    /** Rows of a tile multiplied by every token before the next tile: small enough to stay in the L2 cache. */
    int TILE_BYTES = 64 * 1024;

    /** The vector kernel for {@code format}. */
    static WeightKernel of(WeightFormat format) {
        return switch (format.type()) {
            case Q8_0 -> Q8_0Kernel.INSTANCE;
            case Q4_0 -> Q4_0Kernel.INSTANCE;
            case Q4_1 -> Q4_1Kernel.INSTANCE;
            case Q4_K -> Q4_KKernel.INSTANCE;
            case Q5_K -> Q5_KKernel.INSTANCE;
            case Q6_K -> Q6_KKernel.INSTANCE;
            case F32 -> F32Kernel.INSTANCE;
            case F16 -> F16Kernel.INSTANCE;
            case BF16 -> BF16Kernel.INSTANCE;
            default -> throw new IllegalArgumentException("no vector kernel for " + format.type());
        };
    }

    /** The activation type {@link #dot} reads. */
    ActivationType activationType();

    /**
     * Row {@code w[row .. row + rowBytes)} (encoding {@code cols} elements) times token {@code t} of {@code x}.
     *
     * @param scratch the calling thread's buffers
     */
    float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch);

    /**
     * {@code out[t][r] = row r · token t} for every token and every row in {@code [rowFrom, rowTo)}. With several
     * tokens, rows go in tiles that stay in cache while every token is multiplied by them, so the weights are read
     * from memory once per batch.
     */
    default void multiply(MemorySegment w, int rowBytes, int cols, int rowFrom, int rowTo, Activations x,
                          float[][] out, Scratch scratch) {
        int count = x.count();
        if (count == 1) {
            float[] o = out[0];
            for (int r = rowFrom; r < rowTo; r++) {
                o[r] = dot(w, (long) r * rowBytes, cols, x, 0, scratch);
            }
            return;
        }
        int tile = Math.max(1, TILE_BYTES / rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += tile) {
            int r1 = Math.min(rowTo, r0 + tile);
            for (int t = 0; t < count; t++) {
                float[] o = out[t];
                for (int r = r0; r < r1; r++) {
                    o[r] = dot(w, (long) r * rowBytes, cols, x, t, scratch);
                }
            }
        }
    }
}

package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.InterleavedLayout.QUANTS;
import static dev.tealama.cli.kernels.InterleavedLayout.ROUND_BLOCKS;
import static dev.tealama.cli.kernels.Lanes.B128;
import static dev.tealama.cli.kernels.Lanes.F512;
import static dev.tealama.cli.kernels.Lanes.LE;

/**
 * Q8_0 weights in the {@link InterleavedLayout} × Q8_0 activations, on AVX-512 machines. A round's 16 blocks sit one
 * per float lane: each of the 32 byte positions is one vector of 16 quants, widened to floats and multiplied by the
 * 16 blocks' activations of that element, four running sums apart (so that no chain of dependent multiply-adds
 * sets the pace). Products of int8 values and their sums over a block are integers below 2^24, exact in float in any
 * order, so each lane ends with its block's exact {@code sumi}, scaled by {@code d_w · d_x} lane by lane.
 *
 * <p>The activations are read in the matching order ({@link Activations#interleavedFloats}). As with every host
 * kernel the block sums are exact and only the order in which the scaled block terms are added differs from core's
 * {@link dev.tealama.tensor.Q8_0Format#dot}.
 */
final class InterleavedQ8_0Kernel implements WeightKernel {
    static final InterleavedQ8_0Kernel INSTANCE = new InterleavedQ8_0Kernel();

    private static final int ROUND_BYTES = ROUND_BLOCKS * 34;

    private InterleavedQ8_0Kernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_0;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        return dot(w, row, cols / 32, x.interleavedFloats(t), x.scales(t));
    }

    /**
     * Whole groups of 16 tokens in {@link TokenLanes} ({@link InterleavedLayout#multiplyLaneGroups}), the tokens
     * left over one by one, in row tiles that stay in cache meanwhile.
     */
    @Override
    public void multiply(MemorySegment w, int rowBytes, int cols, int rowFrom, int rowTo, Activations x,
                         float[][] out, Scratch scratch) {
        InterleavedLayout.multiplyLaneGroups(GgmlType.Q8_0, w, rowBytes, cols, rowFrom, rowTo, x, out, scratch);
        int blocks = cols / 32;
        int tile = Math.max(1, TILE_BYTES / rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += tile) {
            int r1 = Math.min(rowTo, r0 + tile);
            for (int t = x.laneGroups() * TokenLanes.TOKENS; t < x.count(); t++) {
                float[] xt = x.interleavedFloats(t);
                float[] xd = x.scales(t);
                float[] o = out[t];
                for (int r = r0; r < r1; r++) {
                    o[r] = dot(w, (long) r * rowBytes, blocks, xt, xd);
                }
            }
        }
    }

    /** One repacked row of {@code blocks} blocks (a multiple of 16) times one token. */
    static float dot(MemorySegment w, long row, int blocks, float[] xt, float[] xd) {
        FloatVector acc = FloatVector.zero(F512);
        for (int b = 0; b < blocks; b += ROUND_BLOCKS) {
            // a slice of exactly the round: C2 then knows its size and drops the loads' bounds checks
            MemorySegment round = w.asSlice(row + (long) b * 34, ROUND_BYTES);
            FloatVector d = InterleavedLayout.scales(round, 0).mul(FloatVector.fromArray(F512, xd, b));
            int xo = b * 32;
            FloatVector s0 = FloatVector.zero(F512);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int p = 0; p < 32; p += 4) {
                s0 = ((FloatVector) ByteVector.fromMemorySegment(B128, round, QUANTS + 16L * p, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).fma(FloatVector.fromArray(F512, xt, xo + 16 * p), s0);
                s1 = ((FloatVector) ByteVector.fromMemorySegment(B128, round, QUANTS + 16L * p + 16, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).fma(FloatVector.fromArray(F512, xt, xo + 16 * p + 16), s1);
                s2 = ((FloatVector) ByteVector.fromMemorySegment(B128, round, QUANTS + 16L * p + 32, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).fma(FloatVector.fromArray(F512, xt, xo + 16 * p + 32), s2);
                s3 = ((FloatVector) ByteVector.fromMemorySegment(B128, round, QUANTS + 16L * p + 48, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).fma(FloatVector.fromArray(F512, xt, xo + 16 * p + 48), s3);
            }
            acc = s0.add(s1).add(s2.add(s3)).fma(d, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}

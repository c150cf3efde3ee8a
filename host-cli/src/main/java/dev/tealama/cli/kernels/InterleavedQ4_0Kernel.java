package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.InterleavedLayout.QUANTS;
import static dev.tealama.cli.kernels.InterleavedLayout.ROUND_BLOCKS;
import static dev.tealama.cli.kernels.Lanes.F512;
import static dev.tealama.cli.kernels.Lanes.I512;
import static dev.tealama.cli.kernels.Lanes.LE;

/**
 * Q4_0 weights in the {@link InterleavedLayout} × Q8_0 activations, on AVX-512 machines. A round's 16 blocks
 * sit one per lane, so each lane computes its block's exact {@code Σ n·x} in 16-bit integers, two elements per lane
 * and step: 32 lanes of {@code int16} hold the 16 blocks twice (even and odd byte positions), each step adds
 * {@code n_lo·x + n_hi·x'} of one byte position, and 8 steps cover a round. The sums stay exact: |n·x| ≤ 15·128, so
 * a lane never leaves ±8·2·1920 = ±30,720. Then {@code Σ (n - 8)·x = Σ n·x - 8·Σ x} ({@code Σ x} per block is
 * computed once per matmul), each block's integer becomes a float and is scaled by {@code d_w · d_x}, lane by lane.
 *
 * <p>The activations are read in the matching order ({@link Activations#interleavedQuants}). As with every host
 * kernel the block sums are exact and only the order in which the scaled block terms are added differs from core's
 * {@link dev.tealama.tensor.Q4_0Format#dot}.
 */
final class InterleavedQ4_0Kernel implements WeightKernel {
    static final InterleavedQ4_0Kernel INSTANCE = new InterleavedQ4_0Kernel();

    private static final VectorSpecies<Byte> B256 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Short> S512 = ShortVector.SPECIES_512;
    private static final int ROUND_BYTES = ROUND_BLOCKS * 18;
    /** Tokens multiplied together by {@link #four}: each weight round is decoded once for them. */
    static final int TOKENS = 4;

    private InterleavedQ4_0Kernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_0;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        return dot(w, row, cols / 32, x.interleavedQuants(t), x.blockSums(t), x.scales(t));
    }

    /**
     * Whole groups of 16 tokens in {@link TokenLanes} ({@link InterleavedLayout#multiplyLaneGroups}), the tokens left
     * over in fours ({@link #four}, each round decoded once for four tokens), and the last ones one by one; rows go
     * in tiles that stay in cache meanwhile.
     */
    @Override
    public void multiply(MemorySegment w, int rowBytes, int cols, int rowFrom, int rowTo, Activations x,
                         float[][] out, Scratch scratch) {
        int count = x.count();
        InterleavedLayout.multiplyLaneGroups(GgmlType.Q4_0, w, rowBytes, cols, rowFrom, rowTo, x, out, scratch);
        int blocks = cols / 32;
        int first = x.laneGroups() * TokenLanes.TOKENS;
        int fours = (count - first) / TOKENS;
        float[] result = scratch.lanes;
        int tile = Math.max(1, TILE_BYTES / rowBytes);
        for (int r0 = rowFrom; r0 < rowTo; r0 += tile) {
            int r1 = Math.min(rowTo, r0 + tile);
            for (int g = 0; g < fours; g++) {
                int t = first + g * TOKENS;
                for (int r = r0; r < r1; r++) {
                    four(w, (long) r * rowBytes, blocks, x, t, result);
                    out[t][r] = result[0];
                    out[t + 1][r] = result[1];
                    out[t + 2][r] = result[2];
                    out[t + 3][r] = result[3];
                }
            }
            for (int t = first + fours * TOKENS; t < count; t++) {
                short[] xs = x.interleavedQuants(t);
                int[] xsum = x.blockSums(t);
                float[] xd = x.scales(t);
                for (int r = r0; r < r1; r++) {
                    out[t][r] = dot(w, (long) r * rowBytes, blocks, xs, xsum, xd);
                }
            }
        }
    }

    /** One repacked row of {@code blocks} blocks (a multiple of 16) times one token. */
    static float dot(MemorySegment w, long row, int blocks, short[] xs, int[] xsum, float[] xd) {
        FloatVector acc = FloatVector.zero(F512);
        for (int b = 0; b < blocks; b += ROUND_BLOCKS) {
            // a slice of exactly the round: C2 then knows its size and drops the loads' bounds checks
            MemorySegment round = w.asSlice(row + (long) b * 18, ROUND_BYTES);
            FloatVector d = InterleavedLayout.scales(round, 0).mul(FloatVector.fromArray(F512, xd, b));

            int xo = b * 32;
            ShortVector s = ShortVector.zero(S512);
            for (int j = 0; j < 16; j += 2) {
                ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B256, round, QUANTS + 16L * j, LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S512, 0);
                s = s.add(q.and((short) 0x0F).mul(ShortVector.fromArray(S512, xs, xo + 16 * j)))
                        .add(q.lanewise(VectorOperators.LSHR, 4).mul(ShortVector.fromArray(S512, xs, xo + 256 + 16 * j)));
            }
            IntVector sumi = ((IntVector) s.convertShape(VectorOperators.S2I, I512, 0))
                    .add((IntVector) s.convertShape(VectorOperators.S2I, I512, 1))
                    .sub(IntVector.fromArray(I512, xsum, b).lanewise(VectorOperators.LSHL, 3));
            acc = ((FloatVector) sumi.convert(VectorOperators.I2F, 0)).fma(d, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /**
     * One repacked row times tokens {@code t .. t + 3}: {@code result[k]} for token {@code t + k}. As {@link #dot},
     * with each step's nibbles decoded once for the four tokens.
     */
    private static void four(MemorySegment w, long row, int blocks, Activations x, int t, float[] result) {
        short[] x0 = x.interleavedQuants(t);
        short[] x1 = x.interleavedQuants(t + 1);
        short[] x2 = x.interleavedQuants(t + 2);
        short[] x3 = x.interleavedQuants(t + 3);
        int[] sum0 = x.blockSums(t);
        int[] sum1 = x.blockSums(t + 1);
        int[] sum2 = x.blockSums(t + 2);
        int[] sum3 = x.blockSums(t + 3);
        float[] d0 = x.scales(t);
        float[] d1 = x.scales(t + 1);
        float[] d2 = x.scales(t + 2);
        float[] d3 = x.scales(t + 3);
        FloatVector acc0 = FloatVector.zero(F512);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int b = 0; b < blocks; b += ROUND_BLOCKS) {
            MemorySegment round = w.asSlice(row + (long) b * 18, ROUND_BYTES);
            FloatVector dw = InterleavedLayout.scales(round, 0);

            int xo = b * 32;
            ShortVector s0 = ShortVector.zero(S512);
            ShortVector s1 = s0;
            ShortVector s2 = s0;
            ShortVector s3 = s0;
            for (int j = 0; j < 16; j += 2) {
                ShortVector q = (ShortVector) ByteVector.fromMemorySegment(B256, round, QUANTS + 16L * j, LE)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2S, S512, 0);
                ShortVector lo = q.and((short) 0x0F);
                ShortVector hi = q.lanewise(VectorOperators.LSHR, 4);
                int lx = xo + 16 * j;
                int hx = lx + 256;
                s0 = s0.add(lo.mul(ShortVector.fromArray(S512, x0, lx))).add(hi.mul(ShortVector.fromArray(S512, x0, hx)));
                s1 = s1.add(lo.mul(ShortVector.fromArray(S512, x1, lx))).add(hi.mul(ShortVector.fromArray(S512, x1, hx)));
                s2 = s2.add(lo.mul(ShortVector.fromArray(S512, x2, lx))).add(hi.mul(ShortVector.fromArray(S512, x2, hx)));
                s3 = s3.add(lo.mul(ShortVector.fromArray(S512, x3, lx))).add(hi.mul(ShortVector.fromArray(S512, x3, hx)));
            }
            IntVector i0 = ((IntVector) s0.convertShape(VectorOperators.S2I, I512, 0))
                    .add((IntVector) s0.convertShape(VectorOperators.S2I, I512, 1))
                    .sub(IntVector.fromArray(I512, sum0, b).lanewise(VectorOperators.LSHL, 3));
            IntVector i1 = ((IntVector) s1.convertShape(VectorOperators.S2I, I512, 0))
                    .add((IntVector) s1.convertShape(VectorOperators.S2I, I512, 1))
                    .sub(IntVector.fromArray(I512, sum1, b).lanewise(VectorOperators.LSHL, 3));
            IntVector i2 = ((IntVector) s2.convertShape(VectorOperators.S2I, I512, 0))
                    .add((IntVector) s2.convertShape(VectorOperators.S2I, I512, 1))
                    .sub(IntVector.fromArray(I512, sum2, b).lanewise(VectorOperators.LSHL, 3));
            IntVector i3 = ((IntVector) s3.convertShape(VectorOperators.S2I, I512, 0))
                    .add((IntVector) s3.convertShape(VectorOperators.S2I, I512, 1))
                    .sub(IntVector.fromArray(I512, sum3, b).lanewise(VectorOperators.LSHL, 3));
            acc0 = ((FloatVector) i0.convert(VectorOperators.I2F, 0)).fma(dw.mul(FloatVector.fromArray(F512, d0, b)), acc0);
            acc1 = ((FloatVector) i1.convert(VectorOperators.I2F, 0)).fma(dw.mul(FloatVector.fromArray(F512, d1, b)), acc1);
            acc2 = ((FloatVector) i2.convert(VectorOperators.I2F, 0)).fma(dw.mul(FloatVector.fromArray(F512, d2, b)), acc2);
            acc3 = ((FloatVector) i3.convert(VectorOperators.I2F, 0)).fma(dw.mul(FloatVector.fromArray(F512, d3, b)), acc3);
        }
        result[0] = acc0.reduceLanes(VectorOperators.ADD);
        result[1] = acc1.reduceLanes(VectorOperators.ADD);
        result[2] = acc2.reduceLanes(VectorOperators.ADD);
        result[3] = acc3.reduceLanes(VectorOperators.ADD);
    }
}

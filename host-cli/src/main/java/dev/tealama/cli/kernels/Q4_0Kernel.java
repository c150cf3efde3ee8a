package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Q4_0Format;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tealama.cli.kernels.Lanes.B128;
import static dev.tealama.cli.kernels.Lanes.EVEN;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.F512;
import static dev.tealama.cli.kernels.Lanes.I512;
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.ODD;
import static dev.tealama.cli.kernels.Lanes.READ_AHEAD;
import static dev.tealama.cli.kernels.Lanes.S256;
import static dev.tealama.cli.kernels.Lanes.SHORT_LE;

/**
 * Q4_0 weights × Q8_0 activations: the vector form of {@link Q4_0Format#dot}. Blocks are 18 bytes: an fp16 scale,
 * then 16 bytes whose low nibbles are elements 0..15 and high nibbles elements 16..31, each standing for
 * {@code nibble - 8}. Per block the exact {@code sumi = Σ (n - 8)·x}, then {@code sum += sumi · d_w · d_x}.
 *
 * <p>Two tricks keep the integer work small while exact:
 * <ul>
 *   <li>the {@code - 8} is taken out of the loop: {@code Σ (n - 8)·x = Σ n·x - 8·Σ x}, and {@code Σ x} per block
 *       is computed once per matmul ({@link Activations#blockSums});</li>
 *   <li>each int16 lane holds {@code n_j·x_j + n_{j+16}·x_{j+16} + 4096}, which lies in [256, 7936]: non-negative,
 *       so an int32 lane holding two of them can be summed with plain int32 adds over 8 lanes (at most
 *       8 · 7936 &lt; 2^16 per half, no carry between halves), and the halves are only separated once per
 *       8 blocks ({@link Lanes#addUnsignedHalves}). The bias adds {@code 16 · 4096 = 65536} per block, taken off
 *       with the {@code 8·Σ x} term.</li>
 * </ul>
 */
final class Q4_0Kernel implements WeightKernel {
    static final Q4_0Kernel INSTANCE = new Q4_0Kernel();

    private static final int BLOCK_BYTES = 18;
    private static final int ROUND = 2 * Lanes.GROUP;
    private static final int ROUND_BYTES = ROUND * BLOCK_BYTES;
    private static final short BIAS = 4096;
    private static final int BIAS_PER_BLOCK = 16 * BIAS;

    private Q4_0Kernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_0;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        int blocks = cols / 32;
        if (Lanes.WIDE) {
            return wideDot(w, row, blocks, x.floatQuants(t), x.scales(t), scratch);
        }
        int rounds = blocks / ROUND;
        float sum = rounds > 0 ? rounds(w, row, rounds, x.quants(t), x.scales(t), x.blockSums(t), scratch) : 0f;
        return tail(w, row, rounds * ROUND, blocks, x.quants(t), x.scales(t), x.blockSums(t), sum);
    }

    /**
     * With 8 or more tokens: each weight block is decoded once and multiplied by 8 tokens at a time
     * ({@link #group}), then the rest of the tokens one by one. Rows go in tiles that stay in cache meanwhile.
     */
    @Override
    public void multiply(MemorySegment w, int rowBytes, int cols, int rowFrom, int rowTo, Activations x,
                         float[][] out, Scratch scratch) {
        if (x.laneGroups() > 0) {
            TokenLanes.multiply(true, w, rowBytes, cols, rowFrom, rowTo, x, out, scratch);
            for (int t = x.laneGroups() * TokenLanes.TOKENS; t < x.count(); t++) {
                for (int r = rowFrom; r < rowTo; r++) {
                    out[t][r] = dot(w, (long) r * rowBytes, cols, x, t, scratch);
                }
            }
            return;
        }
        int groups = x.groups();
        if (groups == 0) {
            WeightKernel.super.multiply(w, rowBytes, cols, rowFrom, rowTo, x, out, scratch);
            return;
        }
        int blocks = cols / 32;
        int tile = Math.max(1, TILE_BYTES / rowBytes);
        float[] lanes = scratch.lanes;
        for (int r0 = rowFrom; r0 < rowTo; r0 += tile) {
            int r1 = Math.min(rowTo, r0 + tile);
            for (int g = 0; g < groups; g++) {
                short[] xq = x.groupQuants(g);
                float[] xd = x.groupScales(g);
                int[] xsum = x.groupBlockSums(g);
                for (int r = r0; r < r1; r++) {
                    group(w, (long) r * rowBytes, blocks, xq, xd, xsum, lanes);
                    for (int j = 0; j < Activations.GROUP; j++) {
                        out[g * Activations.GROUP + j][r] = lanes[j];
                    }
                }
            }
            for (int t = groups * Activations.GROUP; t < x.count(); t++) {
                for (int r = r0; r < r1; r++) {
                    out[t][r] = dot(w, (long) r * rowBytes, cols, x, t, scratch);
                }
            }
        }
    }

    /**
     * One row times the 8 tokens of a group ({@link Activations#groupQuants}): {@code result[j]} for token
     * {@code j}. Per block the weights are decoded once, each token leaves an 8-lane vector of biased int16 pairs
     * (as in {@link #rounds}), and the merging rounds of {@link Lanes} run across the 8 tokens instead of across
     * blocks: lane {@code j} ends with token {@code j}'s block sum. Each token's terms are then added in block order,
     * as the scalar kernel adds them, so the results are the scalar kernel's bits.
     */
    private static void group(MemorySegment w, long row, int blocks, short[] xq, float[] xd, int[] xsum,
                              float[] result) {
        FloatVector acc = FloatVector.zero(F256);
        for (int b = 0; b < blocks; b++) {
            long p = row + (long) b * BLOCK_BYTES;
            ShortVector packed = (ShortVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                    .convertShape(VectorOperators.B2S, S256, 0);
            ShortVector low = packed.and((short) 0x0F);
            ShortVector high = packed.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F);
            int xo = b * 256;
            IntVector t0 = low.mul(ShortVector.fromArray(S256, xq, xo)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 16))).add(BIAS).reinterpretAsInts();
            IntVector t1 = low.mul(ShortVector.fromArray(S256, xq, xo + 32)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 48))).add(BIAS).reinterpretAsInts();
            IntVector t2 = low.mul(ShortVector.fromArray(S256, xq, xo + 64)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 80))).add(BIAS).reinterpretAsInts();
            IntVector t3 = low.mul(ShortVector.fromArray(S256, xq, xo + 96)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 112))).add(BIAS).reinterpretAsInts();
            IntVector t4 = low.mul(ShortVector.fromArray(S256, xq, xo + 128)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 144))).add(BIAS).reinterpretAsInts();
            IntVector t5 = low.mul(ShortVector.fromArray(S256, xq, xo + 160)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 176))).add(BIAS).reinterpretAsInts();
            IntVector t6 = low.mul(ShortVector.fromArray(S256, xq, xo + 192)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 208))).add(BIAS).reinterpretAsInts();
            IntVector t7 = low.mul(ShortVector.fromArray(S256, xq, xo + 224)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 240))).add(BIAS).reinterpretAsInts();
            IntVector c01 = EVEN.selectFrom(t0, t1).add(ODD.selectFrom(t0, t1));
            IntVector c23 = EVEN.selectFrom(t2, t3).add(ODD.selectFrom(t2, t3));
            IntVector c45 = EVEN.selectFrom(t4, t5).add(ODD.selectFrom(t4, t5));
            IntVector c67 = EVEN.selectFrom(t6, t7).add(ODD.selectFrom(t6, t7));
            IntVector c0123 = EVEN.selectFrom(c01, c23).add(ODD.selectFrom(c01, c23));
            IntVector c4567 = EVEN.selectFrom(c45, c67).add(ODD.selectFrom(c45, c67));
            IntVector sums = EVEN.selectFrom(c0123, c4567).add(ODD.selectFrom(c0123, c4567));
            IntVector offsets = IntVector.fromArray(I256, xsum, b * 8).lanewise(VectorOperators.LSHL, 3)
                    .add(BIAS_PER_BLOCK);
            IntVector sumi = sums.and(0xFFFF).add(sums.lanewise(VectorOperators.LSHR, 16)).sub(offsets);
            float dw = Float.float16ToFloat(w.get(SHORT_LE, p));
            acc = acc.add(((FloatVector) sumi.convert(VectorOperators.I2F, 0)).mul(dw)
                    .mul(FloatVector.fromArray(F256, xd, b * 8)));
        }
        acc.intoArray(result, 0);
    }

    /**
     * One row in 16 float lanes (AVX-512 machines), as {@link Q8_0Kernel#wideDot} does it: a block's 16 bytes are
     * widened to 16 int lanes, whose low and high nibbles are looked up as the floats {@code nibble - 8}
     * ({@link Lanes#Q4_0_VALUES}): the weights of elements {@code j} and {@code j + 16}. Times the activations'
     * quants as floats, two exact products per lane, scaled by {@code d_w · d_x} and accumulated lane by lane; the
     * 16 lanes are added at the end.
     */
    static float wideDot(MemorySegment w, long row, int blocks, float[] xf, float[] xd, Scratch scratch) {
        FloatVector acc = FloatVector.zero(F512);
        long limit = w.byteSize();
        int touched = 0;
        int b = 0;
        for (; b + ROUND <= blocks; b += ROUND) {
            long start = row + (long) b * BLOCK_BYTES;
            long ahead = start + READ_AHEAD;
            if (ahead + ROUND_BYTES <= limit) {
                for (long o = 0; o < ROUND_BYTES; o += 64) {
                    touched |= w.get(ValueLayout.JAVA_BYTE, ahead + o);
                }
            }
            // the round's blocks through a slice of exactly their bytes: the slice does not escape, so C2 knows its
            // size, and the loads' bounds checks against it fold away (read from w, each load kept its own check,
            // which C2 does not hoist out of the unrolled round): +7-8% generation (docs/benchmarks.md)
            MemorySegment round = w.asSlice(start, ROUND_BYTES);
            for (int i = 0; i < ROUND; i++) {
                long p = (long) i * BLOCK_BYTES;
                int xo = (b + i) * 32;
                IntVector packed = (IntVector) ByteVector.fromMemorySegment(B128, round, p + 2, LE)
                        .convertShape(VectorOperators.B2I, I512, 0);
                FloatVector low = packed.selectFrom(Lanes.Q4_0_VALUES).reinterpretAsFloats();
                FloatVector high = packed.lanewise(VectorOperators.ASHR, 4).selectFrom(Lanes.Q4_0_VALUES)
                        .reinterpretAsFloats();
                FloatVector products = high.fma(FloatVector.fromArray(F512, xf, xo + 16),
                        low.mul(FloatVector.fromArray(F512, xf, xo)));
                float d = Float.float16ToFloat(round.get(SHORT_LE, p)) * xd[b + i];
                acc = products.fma(FloatVector.broadcast(F512, d), acc);
            }
        }
        for (; b < blocks; b++) {
            long p = row + (long) b * BLOCK_BYTES;
            IntVector packed = (IntVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                    .convertShape(VectorOperators.B2I, I512, 0);
            FloatVector low = packed.selectFrom(Lanes.Q4_0_VALUES).reinterpretAsFloats();
            FloatVector high = packed.lanewise(VectorOperators.ASHR, 4).selectFrom(Lanes.Q4_0_VALUES)
                    .reinterpretAsFloats();
            FloatVector products = high.fma(FloatVector.fromArray(F512, xf, b * 32 + 16),
                    low.mul(FloatVector.fromArray(F512, xf, b * 32)));
            float d = Float.float16ToFloat(w.get(SHORT_LE, p)) * xd[b];
            acc = products.fma(FloatVector.broadcast(F512, d), acc);
        }
        scratch.sink |= touched;
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** The first {@code rounds · 16} blocks of the row. */
    private static float rounds(MemorySegment w, long row, int rounds, short[] xq, float[] xd, int[] xsum,
                                Scratch scratch) {
        int[] tree = scratch.tree;
        float[] dw = scratch.scales;
        long limit = w.byteSize();
        int touched = 0;
        FloatVector acc = FloatVector.zero(F256);
        for (int round = 0; round < rounds; round++) {
            int first = round * ROUND;
            long start = row + (long) first * BLOCK_BYTES;
            long ahead = start + READ_AHEAD;
            if (ahead + ROUND_BYTES <= limit) {
                for (long o = 0; o < ROUND_BYTES; o += 64) {
                    touched |= w.get(ValueLayout.JAVA_BYTE, ahead + o);
                }
            }
            for (int i = 0; i < ROUND; i += 2) {
                long p = start + (long) i * BLOCK_BYTES;
                long q = p + BLOCK_BYTES;
                int xo = (first + i) * 32;
                ShortVector packedA = (ShortVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                        .convertShape(VectorOperators.B2S, S256, 0);
                ShortVector packedB = (ShortVector) ByteVector.fromMemorySegment(B128, w, q + 2, LE)
                        .convertShape(VectorOperators.B2S, S256, 0);
                IntVector a = packedA.and((short) 0x0F).mul(ShortVector.fromArray(S256, xq, xo))
                        .add(packedA.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                                .mul(ShortVector.fromArray(S256, xq, xo + 16)))
                        .add(BIAS)
                        .reinterpretAsInts();
                IntVector b = packedB.and((short) 0x0F).mul(ShortVector.fromArray(S256, xq, xo + 32))
                        .add(packedB.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                                .mul(ShortVector.fromArray(S256, xq, xo + 48)))
                        .add(BIAS)
                        .reinterpretAsInts();
                EVEN.selectFrom(a, b).add(ODD.selectFrom(a, b)).intoArray(tree, i * 4);
                dw[i] = Float.float16ToFloat(w.get(SHORT_LE, p));
                dw[i + 1] = Float.float16ToFloat(w.get(SHORT_LE, q));
            }
            for (int h = 0; h < 2; h++) {
                int o = h * 32;
                int blocks = first + h * 8;
                IntVector v0 = IntVector.fromArray(I256, tree, o);
                IntVector v1 = IntVector.fromArray(I256, tree, o + 8);
                IntVector v2 = IntVector.fromArray(I256, tree, o + 16);
                IntVector v3 = IntVector.fromArray(I256, tree, o + 24);
                IntVector c0 = EVEN.selectFrom(v0, v1).add(ODD.selectFrom(v0, v1));
                IntVector c1 = EVEN.selectFrom(v2, v3).add(ODD.selectFrom(v2, v3));
                IntVector packed = EVEN.selectFrom(c0, c1).add(ODD.selectFrom(c0, c1));
                IntVector offsets = IntVector.fromArray(I256, xsum, blocks).lanewise(VectorOperators.LSHL, 3)
                        .add(BIAS_PER_BLOCK);
                IntVector sumi = packed.and(0xFFFF).add(packed.lanewise(VectorOperators.LSHR, 16)).sub(offsets);
                acc = acc.add(((FloatVector) sumi.convert(VectorOperators.I2F, 0))
                        .mul(FloatVector.fromArray(F256, dw, h * 8))
                        .mul(FloatVector.fromArray(F256, xd, blocks)));
            }
        }
        scratch.sink |= touched;
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Blocks {@code [from, to)} one at a time, added to {@code sum}. */
    private static float tail(MemorySegment w, long row, int from, int to, short[] xq, float[] xd, int[] xsum,
                              float sum) {
        for (int b = from; b < to; b++) {
            long p = row + (long) b * BLOCK_BYTES;
            ShortVector packed = Lanes.bytes(w, p + 2);
            ShortVector products = packed.and((short) 0x0F).mul(ShortVector.fromArray(S256, xq, b * 32))
                    .add(packed.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                            .mul(ShortVector.fromArray(S256, xq, b * 32 + 16)));
            int sumi = Lanes.addShortPairs(products).reduceLanes(VectorOperators.ADD) - 8 * xsum[b];
            sum += sumi * Lanes.half(w, p) * xd[b];
        }
        return sum;
    }
}

package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Q8_0Format;
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
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.ODD;
import static dev.tealama.cli.kernels.Lanes.READ_AHEAD;
import static dev.tealama.cli.kernels.Lanes.S256;
import static dev.tealama.cli.kernels.Lanes.SHORT_LE;

/**
 * Q8_0 weights × Q8_0 activations: the vector form of {@link Q8_0Format#dot}. Blocks are 34 bytes: an fp16 scale,
 * then 32 int8 quants. Per block the exact integer {@code sumi = Σ w·x}, then {@code sum += sumi · (d_w · d_x)}.
 *
 * <p>A block's 32 products are formed as two vectors of 16 int16 products and added lane-wise in int16 (safe: with
 * activations in [-127, 127], |w·x| ≤ 16256, so two of them stay below 32767), then each int lane's two int16s are
 * added, leaving 8 partial sums per block; rounds of 16 blocks are reduced to block totals as {@link Lanes}
 * describes. Activations holding -128 (see {@link Activations#hasMinus128}) take {@link #tail}, which adds every
 * product in 32 bits.
 */
final class Q8_0Kernel implements WeightKernel {
    static final Q8_0Kernel INSTANCE = new Q8_0Kernel();

    private static final int BLOCK_BYTES = 34;
    private static final int ROUND = 2 * Lanes.GROUP;
    private static final int ROUND_BYTES = ROUND * BLOCK_BYTES;

    private Q8_0Kernel() {
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
        int rounds = x.hasMinus128(t) ? 0 : blocks / ROUND;
        float sum = rounds > 0 ? rounds(w, row, rounds, x.quants(t), x.scales(t), scratch) : 0f;
        return tail(w, row, rounds * ROUND, blocks, x.quants(t), x.scales(t), sum);
    }

    /**
     * With 8 or more tokens: each weight block is decoded once and multiplied by 8 tokens at a time
     * ({@link #group}; groups holding a -128 take the one-token path), then the rest of the tokens one by one. Rows
     * go in tiles that stay in cache meanwhile.
     */
    @Override
    public void multiply(MemorySegment w, int rowBytes, int cols, int rowFrom, int rowTo, Activations x,
                         float[][] out, Scratch scratch) {
        if (x.laneGroups() > 0) {
            TokenLanes.multiply(false, w, rowBytes, cols, rowFrom, rowTo, x, out, scratch);
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
                if (x.groupHasMinus128(g)) {
                    for (int j = 0; j < Activations.GROUP; j++) {
                        int t = g * Activations.GROUP + j;
                        for (int r = r0; r < r1; r++) {
                            out[t][r] = dot(w, (long) r * rowBytes, cols, x, t, scratch);
                        }
                    }
                    continue;
                }
                short[] xq = x.groupQuants(g);
                float[] xd = x.groupScales(g);
                for (int r = r0; r < r1; r++) {
                    group(w, (long) r * rowBytes, blocks, xq, xd, lanes);
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
     * One row times the 8 tokens of a group ({@link Activations#groupQuants}), activations in [-127, 127]:
     * {@code result[j]} for token {@code j}. Per block the weights are decoded once, each token leaves 8 int32 partial
     * sums (as in {@link #rounds}), and the merging rounds of {@link Lanes} run across the 8 tokens: lane {@code j}
     * ends with token {@code j}'s block sum. Each token's terms are added in block order, as the scalar kernel adds
     * them, so the results are the scalar kernel's bits.
     */
    private static void group(MemorySegment w, long row, int blocks, short[] xq, float[] xd, float[] result) {
        FloatVector acc = FloatVector.zero(F256);
        for (int b = 0; b < blocks; b++) {
            long p = row + (long) b * BLOCK_BYTES;
            ShortVector low = (ShortVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                    .convertShape(VectorOperators.B2S, S256, 0);
            ShortVector high = (ShortVector) ByteVector.fromMemorySegment(B128, w, p + 18, LE)
                    .convertShape(VectorOperators.B2S, S256, 0);
            int xo = b * 256;
            IntVector t0 = low.mul(ShortVector.fromArray(S256, xq, xo)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 16))).reinterpretAsInts();
            IntVector t1 = low.mul(ShortVector.fromArray(S256, xq, xo + 32)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 48))).reinterpretAsInts();
            IntVector t2 = low.mul(ShortVector.fromArray(S256, xq, xo + 64)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 80))).reinterpretAsInts();
            IntVector t3 = low.mul(ShortVector.fromArray(S256, xq, xo + 96)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 112))).reinterpretAsInts();
            IntVector t4 = low.mul(ShortVector.fromArray(S256, xq, xo + 128)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 144))).reinterpretAsInts();
            IntVector t5 = low.mul(ShortVector.fromArray(S256, xq, xo + 160)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 176))).reinterpretAsInts();
            IntVector t6 = low.mul(ShortVector.fromArray(S256, xq, xo + 192)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 208))).reinterpretAsInts();
            IntVector t7 = low.mul(ShortVector.fromArray(S256, xq, xo + 224)).add(high.mul(ShortVector.fromArray(S256, xq, xo + 240))).reinterpretAsInts();
            t0 = t0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t0.lanewise(VectorOperators.ASHR, 16));
            t1 = t1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t1.lanewise(VectorOperators.ASHR, 16));
            t2 = t2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t2.lanewise(VectorOperators.ASHR, 16));
            t3 = t3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t3.lanewise(VectorOperators.ASHR, 16));
            t4 = t4.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t4.lanewise(VectorOperators.ASHR, 16));
            t5 = t5.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t5.lanewise(VectorOperators.ASHR, 16));
            t6 = t6.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t6.lanewise(VectorOperators.ASHR, 16));
            t7 = t7.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(t7.lanewise(VectorOperators.ASHR, 16));
            IntVector c01 = EVEN.selectFrom(t0, t1).add(ODD.selectFrom(t0, t1));
            IntVector c23 = EVEN.selectFrom(t2, t3).add(ODD.selectFrom(t2, t3));
            IntVector c45 = EVEN.selectFrom(t4, t5).add(ODD.selectFrom(t4, t5));
            IntVector c67 = EVEN.selectFrom(t6, t7).add(ODD.selectFrom(t6, t7));
            IntVector c0123 = EVEN.selectFrom(c01, c23).add(ODD.selectFrom(c01, c23));
            IntVector c4567 = EVEN.selectFrom(c45, c67).add(ODD.selectFrom(c45, c67));
            IntVector sumi = EVEN.selectFrom(c0123, c4567).add(ODD.selectFrom(c0123, c4567));
            FloatVector scale = FloatVector.broadcast(F256, Float.float16ToFloat(w.get(SHORT_LE, p)))
                    .mul(FloatVector.fromArray(F256, xd, b * 8));
            acc = acc.add(((FloatVector) sumi.convert(VectorOperators.I2F, 0)).mul(scale));
        }
        acc.intoArray(result, 0);
    }

    /**
     * One row in 16 float lanes (AVX-512 machines), the way llama.cpp's AVX kernels go: a block's 32 int8 weights
     * become floats and are multiplied by the activations' quants as floats ({@link Activations#floatQuants}),
     * leaving 16 lanes of two products each. These are integers below 2^15, so exact, and exact for any int8
     * activations, -128 included. The lanes are scaled by {@code d_w · d_x} and accumulated lane by lane across
     * the blocks; the 16 lanes are added at the end. No block total is ever formed, which saves the merging rounds
     * of {@link #rounds}: the terms {@code lane · (d_w · d_x)} are the scalar kernel's terms split in 16, so the
     * result differs from the scalar one only by float rounding of the order of {@code Σ|w·x| · 2^-24} per term
     * added, as llama.cpp's differs from ggml's scalar code.
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
            // through a slice of the round's bytes, whose loads need no bounds checks (see Q4_0Kernel.wideDot)
            MemorySegment round = w.asSlice(start, ROUND_BYTES);
            for (int i = 0; i < ROUND; i++) {
                long p = (long) i * BLOCK_BYTES;
                int xo = (b + i) * 32;
                FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B128, round, p + 2, LE)
                        .convertShape(VectorOperators.B2F, F512, 0);
                FloatVector w1 = (FloatVector) ByteVector.fromMemorySegment(B128, round, p + 18, LE)
                        .convertShape(VectorOperators.B2F, F512, 0);
                FloatVector products = w1.fma(FloatVector.fromArray(F512, xf, xo + 16),
                        w0.mul(FloatVector.fromArray(F512, xf, xo)));
                float d = Float.float16ToFloat(round.get(SHORT_LE, p)) * xd[b + i];
                acc = products.fma(FloatVector.broadcast(F512, d), acc);
            }
        }
        for (; b < blocks; b++) {
            long p = row + (long) b * BLOCK_BYTES;
            FloatVector w0 = (FloatVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                    .convertShape(VectorOperators.B2F, F512, 0);
            FloatVector w1 = (FloatVector) ByteVector.fromMemorySegment(B128, w, p + 18, LE)
                    .convertShape(VectorOperators.B2F, F512, 0);
            FloatVector products = w1.fma(FloatVector.fromArray(F512, xf, b * 32 + 16),
                    w0.mul(FloatVector.fromArray(F512, xf, b * 32)));
            float d = Float.float16ToFloat(w.get(SHORT_LE, p)) * xd[b];
            acc = products.fma(FloatVector.broadcast(F512, d), acc);
        }
        scratch.sink |= touched;
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** The first {@code rounds · 16} blocks of the row, for activations in [-127, 127]. */
    private static float rounds(MemorySegment w, long row, int rounds, short[] xq, float[] xd, Scratch scratch) {
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
                // two blocks: 16 int16 lanes of two products each, then int32 lanes of four
                IntVector a = ((ShortVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                        .convertShape(VectorOperators.B2S, S256, 0)).mul(ShortVector.fromArray(S256, xq, xo))
                        .add(((ShortVector) ByteVector.fromMemorySegment(B128, w, p + 18, LE)
                                .convertShape(VectorOperators.B2S, S256, 0)).mul(ShortVector.fromArray(S256, xq, xo + 16)))
                        .reinterpretAsInts();
                IntVector b = ((ShortVector) ByteVector.fromMemorySegment(B128, w, q + 2, LE)
                        .convertShape(VectorOperators.B2S, S256, 0)).mul(ShortVector.fromArray(S256, xq, xo + 32))
                        .add(((ShortVector) ByteVector.fromMemorySegment(B128, w, q + 18, LE)
                                .convertShape(VectorOperators.B2S, S256, 0)).mul(ShortVector.fromArray(S256, xq, xo + 48)))
                        .reinterpretAsInts();
                a = a.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(a.lanewise(VectorOperators.ASHR, 16));
                b = b.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(b.lanewise(VectorOperators.ASHR, 16));
                EVEN.selectFrom(a, b).add(ODD.selectFrom(a, b)).intoArray(tree, i * 4);
                dw[i] = Float.float16ToFloat(w.get(SHORT_LE, p));
                dw[i + 1] = Float.float16ToFloat(w.get(SHORT_LE, q));
            }
            for (int h = 0; h < 2; h++) {
                int o = h * 32;
                IntVector v0 = IntVector.fromArray(I256, tree, o);
                IntVector v1 = IntVector.fromArray(I256, tree, o + 8);
                IntVector v2 = IntVector.fromArray(I256, tree, o + 16);
                IntVector v3 = IntVector.fromArray(I256, tree, o + 24);
                IntVector c0 = EVEN.selectFrom(v0, v1).add(ODD.selectFrom(v0, v1));
                IntVector c1 = EVEN.selectFrom(v2, v3).add(ODD.selectFrom(v2, v3));
                IntVector sumi = EVEN.selectFrom(c0, c1).add(ODD.selectFrom(c0, c1));
                FloatVector scale = FloatVector.fromArray(F256, dw, h * 8)
                        .mul(FloatVector.fromArray(F256, xd, first + h * 8));
                acc = acc.add(((FloatVector) sumi.convert(VectorOperators.I2F, 0)).mul(scale));
            }
        }
        scratch.sink |= touched;
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Blocks {@code [from, to)} one at a time, exact for any int8 activations, added to {@code sum}. */
    private static float tail(MemorySegment w, long row, int from, int to, short[] xq, float[] xd, float sum) {
        for (int b = from; b < to; b++) {
            long p = row + (long) b * BLOCK_BYTES;
            ShortVector low = Lanes.bytes(w, p + 2).mul(ShortVector.fromArray(S256, xq, b * 32));
            ShortVector high = Lanes.bytes(w, p + 18).mul(ShortVector.fromArray(S256, xq, b * 32 + 16));
            int sumi = Lanes.addShortPairs(low).add(Lanes.addShortPairs(high)).reduceLanes(VectorOperators.ADD);
            sum += sumi * (Lanes.half(w, p) * xd[b]);
        }
        return sum;
    }
}

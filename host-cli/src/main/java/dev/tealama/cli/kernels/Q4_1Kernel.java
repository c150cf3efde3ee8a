package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Q4_1Format;
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
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.ODD;
import static dev.tealama.cli.kernels.Lanes.READ_AHEAD;
import static dev.tealama.cli.kernels.Lanes.S256;
import static dev.tealama.cli.kernels.Lanes.SHORT_LE;

/**
 * Q4_1 weights × Q8_1 activations: the vector form of {@link Q4_1Format#dot}. Blocks are 20 bytes: fp16 scale
 * {@code d}, fp16 minimum {@code m}, 16 bytes of nibbles laid out as Q4_0's. Per block the exact
 * {@code sumi = Σ n·x}, then {@code sum += (d_w · d_x) · sumi + m_w · s_x}. The integer part is
 * {@link Q4_0Kernel}'s (biased int16 lanes), without the {@code - 8}.
 */
final class Q4_1Kernel implements WeightKernel {
    static final Q4_1Kernel INSTANCE = new Q4_1Kernel();

    private static final int BLOCK_BYTES = 20;
    private static final int ROUND = 2 * Lanes.GROUP;
    private static final int ROUND_BYTES = ROUND * BLOCK_BYTES;
    private static final short BIAS = 4096;
    private static final int BIAS_PER_BLOCK = 16 * BIAS;

    private Q4_1Kernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_1;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        int blocks = cols / 32;
        int rounds = blocks / ROUND;
        float sum = rounds > 0
                ? rounds(w, row, rounds, x.quants(t), x.scales(t), x.scaledBlockSums(t), scratch) : 0f;
        return tail(w, row, rounds * ROUND, blocks, x.quants(t), x.scales(t), x.scaledBlockSums(t), sum);
    }

    /** The first {@code rounds · 16} blocks of the row. */
    private static float rounds(MemorySegment w, long row, int rounds, short[] xq, float[] xd, float[] xs,
                                Scratch scratch) {
        int[] tree = scratch.tree;
        float[] dw = scratch.scales;
        float[] mw = scratch.mins;
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
                ShortVector packedA = (ShortVector) ByteVector.fromMemorySegment(B128, w, p + 4, LE)
                        .convertShape(VectorOperators.B2S, S256, 0);
                ShortVector packedB = (ShortVector) ByteVector.fromMemorySegment(B128, w, q + 4, LE)
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
                mw[i] = Float.float16ToFloat(w.get(SHORT_LE, p + 2));
                dw[i + 1] = Float.float16ToFloat(w.get(SHORT_LE, q));
                mw[i + 1] = Float.float16ToFloat(w.get(SHORT_LE, q + 2));
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
                IntVector sumi = packed.and(0xFFFF).add(packed.lanewise(VectorOperators.LSHR, 16)).sub(BIAS_PER_BLOCK);
                FloatVector scaled = FloatVector.fromArray(F256, dw, h * 8)
                        .mul(FloatVector.fromArray(F256, xd, blocks))
                        .mul((FloatVector) sumi.convert(VectorOperators.I2F, 0));
                FloatVector offset = FloatVector.fromArray(F256, mw, h * 8).mul(FloatVector.fromArray(F256, xs, blocks));
                acc = acc.add(scaled.add(offset));
            }
        }
        scratch.sink |= touched;
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Blocks {@code [from, to)} one at a time, added to {@code sum}. */
    private static float tail(MemorySegment w, long row, int from, int to, short[] xq, float[] xd, float[] xs,
                              float sum) {
        for (int b = from; b < to; b++) {
            long p = row + (long) b * BLOCK_BYTES;
            ShortVector packed = Lanes.bytes(w, p + 4);
            ShortVector products = packed.and((short) 0x0F).mul(ShortVector.fromArray(S256, xq, b * 32))
                    .add(packed.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                            .mul(ShortVector.fromArray(S256, xq, b * 32 + 16)));
            int sumi = Lanes.addShortPairs(products).reduceLanes(VectorOperators.ADD);
            sum += (Lanes.half(w, p) * xd[b]) * sumi + Lanes.half(w, p + 2) * xs[b];
        }
        return sum;
    }
}

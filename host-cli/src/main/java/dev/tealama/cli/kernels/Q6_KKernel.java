package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Q6_KFormat;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tealama.cli.kernels.Lanes.B128;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.S256;

/**
 * Q6_K weights × Q8_K activations: the vector form of {@link Q6_KFormat#dot}, same float operations in the same
 * order (eight lane accumulators, as {@link Q4_KKernel}). Per half {@code h} of a super-block and per 16 values of
 * {@code l}: four 6-bit values {@code q1..q4} (low 4 bits from {@code ql}, high 2 from {@code qh}, minus 32), each
 * from a different 16-element sub-block with its own int8 scale; int16 products (|q·x| ≤ 4096) are folded to 8 int
 * lanes and scaled in int32.
 */
final class Q6_KKernel implements WeightKernel {
    static final Q6_KKernel INSTANCE = new Q6_KKernel();

    private static final int BLOCK_BYTES = 210;
    private static final short OFFSET = 32;

    private Q6_KKernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_K;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        short[] xq = x.quants(t);
        float[] xd = x.scales(t);
        FloatVector sums = FloatVector.zero(F256);
        for (int block = 0; block < cols / 256; block++) {
            long p = row + (long) block * BLOCK_BYTES;
            int xp = block * 256;
            IntVector aux = IntVector.zero(I256);
            for (int half = 0; half < 2; half++) {
                long ql = p + 64 * half;
                long qh = p + 128 + 32 * half;
                long sc = p + 192 + 8 * half;
                for (int g = 0; g < 2; g++) {
                    ShortVector low = ((ShortVector) ByteVector.fromMemorySegment(B128, w, (ql + 16 * g), LE).convertShape(VectorOperators.B2S, S256, 0));
                    ShortVector lowNext = ((ShortVector) ByteVector.fromMemorySegment(B128, w, (ql + 32 + 16 * g), LE).convertShape(VectorOperators.B2S, S256, 0));
                    ShortVector bits = ((ShortVector) ByteVector.fromMemorySegment(B128, w, (qh + 16 * g), LE).convertShape(VectorOperators.B2S, S256, 0));
                    int x0 = xp + 128 * half + 16 * g;
                    ShortVector q1 = low.and((short) 0x0F).or(bits.and((short) 3).lanewise(VectorOperators.LSHL, 4))
                            .sub(OFFSET);
                    ShortVector q2 = lowNext.and((short) 0x0F)
                            .or(bits.lanewise(VectorOperators.LSHR, 2).and((short) 3).lanewise(VectorOperators.LSHL, 4))
                            .sub(OFFSET);
                    ShortVector q3 = low.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                            .or(bits.lanewise(VectorOperators.LSHR, 4).and((short) 3).lanewise(VectorOperators.LSHL, 4))
                            .sub(OFFSET);
                    ShortVector q4 = lowNext.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                            .or(bits.lanewise(VectorOperators.LSHR, 6).and((short) 3).lanewise(VectorOperators.LSHL, 4))
                            .sub(OFFSET);
                    long is = sc + g;
                    ShortVector p1 = q1.mul(ShortVector.fromArray(S256, xq, x0));
                    ShortVector p2 = q2.mul(ShortVector.fromArray(S256, xq, x0 + 32));
                    ShortVector p3 = q3.mul(ShortVector.fromArray(S256, xq, x0 + 64));
                    ShortVector p4 = q4.mul(ShortVector.fromArray(S256, xq, x0 + 96));
                    // fold lanes i and i + 8 (elements equal mod 8), then scale each 16-element sub-block
                    aux = aux.add((((IntVector) p1.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p1.convertShape(VectorOperators.S2I, I256, 1))).mul((int) w.get(ValueLayout.JAVA_BYTE, is)))
                            .add((((IntVector) p2.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p2.convertShape(VectorOperators.S2I, I256, 1))).mul((int) w.get(ValueLayout.JAVA_BYTE, is + 2)))
                            .add((((IntVector) p3.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p3.convertShape(VectorOperators.S2I, I256, 1))).mul((int) w.get(ValueLayout.JAVA_BYTE, is + 4)))
                            .add((((IntVector) p4.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) p4.convertShape(VectorOperators.S2I, I256, 1))).mul((int) w.get(ValueLayout.JAVA_BYTE, is + 6)));
                }
            }
            float d = Float.float16ToFloat(w.get(Lanes.SHORT_LE, p + 208)) * xd[block];
            sums = sums.add(((FloatVector) aux.convert(VectorOperators.I2F, 0)).mul(d));
        }
        return Lanes.addInOrder(0f, sums, scratch.lanes);
    }
}

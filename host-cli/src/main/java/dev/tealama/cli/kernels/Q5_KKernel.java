package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Q5_KFormat;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.Lanes.B128;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.S256;

/**
 * Q5_K weights × Q8_K activations: the vector form of {@link Q5_KFormat#dot}; {@link Q4_KKernel} with a fifth bit
 * per element from {@code qh} (element {@code 64c + l} takes bit {@code 2c} of {@code qh[l]}, element
 * {@code 64c + 32 + l} bit {@code 2c + 1}). Values reach 31, products 3968, two per int16 lane: still exact.
 */
final class Q5_KKernel implements WeightKernel {
    static final Q5_KKernel INSTANCE = new Q5_KKernel();

    private static final int BLOCK_BYTES = 176;

    private Q5_KKernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_K;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        short[] xq = x.quants(t);
        float[] xd = x.scales(t);
        short[] groupSums = x.groupSums(t);
        int[] scales = scratch.subScales;
        float sum = 0f;
        FloatVector sums = FloatVector.zero(F256);
        for (int block = 0; block < cols / 256; block++) {
            long p = row + (long) block * BLOCK_BYTES;
            int xp = block * 256;
            KQuantScales.scales(w, p + 4, scales);
            ShortVector highBitsFirst = ((ShortVector) ByteVector.fromMemorySegment(B128, w, (p + 16), LE).convertShape(VectorOperators.B2S, S256, 0));
            ShortVector highBitsSecond = ((ShortVector) ByteVector.fromMemorySegment(B128, w, (p + 32), LE).convertShape(VectorOperators.B2S, S256, 0));
            IntVector aux = IntVector.zero(I256);
            for (int chunk = 0; chunk < 4; chunk++) {
                long q = p + 48 + 32 * chunk;
                int xl = xp + 64 * chunk;
                int lowBit = 2 * chunk;
                ShortVector first = ((ShortVector) ByteVector.fromMemorySegment(B128, w, q, LE).convertShape(VectorOperators.B2S, S256, 0));
                ShortVector second = ((ShortVector) ByteVector.fromMemorySegment(B128, w, (q + 16), LE).convertShape(VectorOperators.B2S, S256, 0));
                // the fifth bits as 16 or 0: bit lowBit of qh for the low nibbles, lowBit + 1 for the high ones
                ShortVector fifthFirstLow = highBitsFirst.lanewise(VectorOperators.LSHR, lowBit).and((short) 1)
                        .lanewise(VectorOperators.LSHL, 4);
                ShortVector fifthSecondLow = highBitsSecond.lanewise(VectorOperators.LSHR, lowBit).and((short) 1)
                        .lanewise(VectorOperators.LSHL, 4);
                ShortVector fifthFirstHigh = highBitsFirst.lanewise(VectorOperators.LSHR, lowBit + 1).and((short) 1)
                        .lanewise(VectorOperators.LSHL, 4);
                ShortVector fifthSecondHigh = highBitsSecond.lanewise(VectorOperators.LSHR, lowBit + 1).and((short) 1)
                        .lanewise(VectorOperators.LSHL, 4);
                ShortVector low = first.and((short) 0x0F).or(fifthFirstLow)
                        .mul(ShortVector.fromArray(S256, xq, xl))
                        .add(second.and((short) 0x0F).or(fifthSecondLow)
                                .mul(ShortVector.fromArray(S256, xq, xl + 16)));
                ShortVector high = first.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                        .or(fifthFirstHigh)
                        .mul(ShortVector.fromArray(S256, xq, xl + 32))
                        .add(second.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                                .or(fifthSecondHigh)
                                .mul(ShortVector.fromArray(S256, xq, xl + 48)));
                IntVector lowSums = ((IntVector) low.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) low.convertShape(VectorOperators.S2I, I256, 1));
                IntVector highSums = ((IntVector) high.convertShape(VectorOperators.S2I, I256, 0)).add((IntVector) high.convertShape(VectorOperators.S2I, I256, 1));
                aux = aux.add(lowSums.mul(scales[2 * chunk])).add(highSums.mul(scales[2 * chunk + 1]));
            }
            float dx = xd[block];
            float d = Float.float16ToFloat(w.get(Lanes.SHORT_LE, p)) * dx;
            sums = sums.add(((FloatVector) aux.convert(VectorOperators.I2F, 0)).mul(d));
            float dmin = Float.float16ToFloat(w.get(Lanes.SHORT_LE, p + 2)) * dx;
            sum -= dmin * KQuantScales.minTimesSums(w, p + 4, groupSums, xp / 16);
        }
        return Lanes.addInOrder(sum, sums, scratch.lanes);
    }
}

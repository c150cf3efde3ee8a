package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Q5_KFormat;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.I256;
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
            ShortVector highBitsFirst = Lanes.bytes(w, p + 16);
            ShortVector highBitsSecond = Lanes.bytes(w, p + 32);
            IntVector aux = IntVector.zero(I256);
            for (int chunk = 0; chunk < 4; chunk++) {
                long q = p + 48 + 32 * chunk;
                int xl = xp + 64 * chunk;
                int lowBit = 2 * chunk;
                ShortVector first = Lanes.bytes(w, q);
                ShortVector second = Lanes.bytes(w, q + 16);
                ShortVector low = first.and((short) 0x0F).or(fifthBit(highBitsFirst, lowBit))
                        .mul(ShortVector.fromArray(S256, xq, xl))
                        .add(second.and((short) 0x0F).or(fifthBit(highBitsSecond, lowBit))
                                .mul(ShortVector.fromArray(S256, xq, xl + 16)));
                ShortVector high = first.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                        .or(fifthBit(highBitsFirst, lowBit + 1))
                        .mul(ShortVector.fromArray(S256, xq, xl + 32))
                        .add(second.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                                .or(fifthBit(highBitsSecond, lowBit + 1))
                                .mul(ShortVector.fromArray(S256, xq, xl + 48)));
                aux = aux.add(Lanes.foldHalves(low).mul(scales[2 * chunk]))
                        .add(Lanes.foldHalves(high).mul(scales[2 * chunk + 1]));
            }
            float dx = xd[block];
            float d = Lanes.half(w, p) * dx;
            sums = sums.add(((FloatVector) aux.convert(VectorOperators.I2F, 0)).mul(d));
            float dmin = Lanes.half(w, p + 2) * dx;
            sum -= dmin * KQuantScales.minTimesSums(w, p + 4, groupSums, xp / 16);
        }
        return Lanes.addInOrder(sum, sums, scratch.lanes);
    }

    /** Bit {@code bit} of each {@code qh} byte, as the value 16 or 0. */
    private static ShortVector fifthBit(ShortVector qh, int bit) {
        return qh.lanewise(VectorOperators.LSHR, bit).and((short) 1).lanewise(VectorOperators.LSHL, 4);
    }
}

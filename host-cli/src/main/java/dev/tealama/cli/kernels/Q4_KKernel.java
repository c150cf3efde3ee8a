package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Q4_KFormat;
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
 * Q4_K weights × Q8_K activations: the vector form of {@link Q4_KFormat#dot}, with the same float operations in the
 * same order. ggml's generic kernel keeps eight integer sums per super-block, one per element index mod 8
 * ({@code aux32[l]}), and eight float accumulators {@code sums[l] += d · aux32[l]}: exactly the lanes of an
 * 8-int vector, so no horizontal sum is needed until the end, where the eight float lanes are added in order.
 *
 * <p>Per 32-element sub-block, 16 int16 products of nibble × quant (|·| ≤ 1920, two per lane) are folded to 8 int
 * lanes (lanes {@code i} and {@code i + 8} hold elements equal mod 8, and are added), then multiplied by
 * the sub-block's 6-bit scale in int32. The loop calls only the Vector API (see {@link Lanes} on inlining).
 */
final class Q4_KKernel implements WeightKernel {
    static final Q4_KKernel INSTANCE = new Q4_KKernel();

    private static final int BLOCK_BYTES = 144;

    private Q4_KKernel() {
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
            IntVector aux = IntVector.zero(I256);
            for (int chunk = 0; chunk < 4; chunk++) {
                long q = p + 16 + 32 * chunk;
                int xl = xp + 64 * chunk;
                ShortVector first = ((ShortVector) ByteVector.fromMemorySegment(B128, w, q, LE).convertShape(VectorOperators.B2S, S256, 0));
                ShortVector second = ((ShortVector) ByteVector.fromMemorySegment(B128, w, q + 16, LE).convertShape(VectorOperators.B2S, S256, 0));
                ShortVector low = first.and((short) 0x0F).mul(ShortVector.fromArray(S256, xq, xl))
                        .add(second.and((short) 0x0F).mul(ShortVector.fromArray(S256, xq, xl + 16)));
                ShortVector high = first.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                        .mul(ShortVector.fromArray(S256, xq, xl + 32))
                        .add(second.lanewise(VectorOperators.LSHR, 4).and((short) 0x0F)
                                .mul(ShortVector.fromArray(S256, xq, xl + 48)));
                // fold lanes i and i + 8 (elements equal mod 8), then scale the sub-block
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

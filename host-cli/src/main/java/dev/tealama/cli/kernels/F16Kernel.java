package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.F16Format;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.Lanes.D256;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.S128;

/**
 * F16 weights × F16-rounded activations: the vector form of {@link F16Format#dot} (products rounded to float,
 * summed in double). The Vector API has no half-precision conversion, so 8 halves at a time are widened with
 * integer operations, exactly: normal numbers by rebiasing the exponent, subnormals as {@code mantissa · 2^-24}
 * (computed from an int, so no subnormal float arithmetic), infinities and NaNs by setting the float exponent.
 */
final class F16Kernel implements WeightKernel {
    static final F16Kernel INSTANCE = new F16Kernel();

    /** (127 - 15) << 23: moves a half's exponent field to a float's. */
    private static final int REBIAS = 112 << 23;

    private F16Kernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.F16;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        float[] xv = x.values(t);
        DoubleVector low = DoubleVector.zero(D256);
        DoubleVector high = DoubleVector.zero(D256);
        int i = 0;
        for (; i + 8 <= cols; i += 8) {
            // the half-to-float widening of widenBits, written out (see Lanes on inlining)
            IntVector bits = ((IntVector) ShortVector.fromMemorySegment(S128, w, row + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I256, 0)).and(0xFFFF);
            IntVector magnitude = bits.and(0x7FFF);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            IntVector subnormal = ((FloatVector) magnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f)
                    .reinterpretAsInts();
            FloatVector weights = shifted.add(REBIAS)
                    .blend(subnormal, magnitude.compare(VectorOperators.LT, 0x400))
                    .blend(shifted.or(0x7F80_0000), magnitude.compare(VectorOperators.GE, 0x7C00))
                    .or(bits.and(0x8000).lanewise(VectorOperators.LSHL, 16))
                    .reinterpretAsFloats();
            FloatVector products = weights.mul(FloatVector.fromArray(F256, xv, i));
            low = low.add((DoubleVector) products.convertShape(VectorOperators.F2D, D256, 0));
            high = high.add((DoubleVector) products.convertShape(VectorOperators.F2D, D256, 1));
        }
        double sum = low.add(high).reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            sum += Lanes.half(w, row + 2L * i) * xv[i];
        }
        return (float) sum;
    }

    /** The 8 halves at {@code w[offset]} as floats. */
    static FloatVector widen(MemorySegment w, long offset) {
        IntVector bits = ((IntVector) ShortVector.fromMemorySegment(S128, w, offset, LE)
                .convertShape(VectorOperators.S2I, I256, 0)).and(0xFFFF);
        return widenBits(bits);
    }

    /** 8 halves (their bits in the low 16 bits of each lane) as floats. */
    static FloatVector widenBits(IntVector bits) {
        IntVector sign = bits.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector magnitude = bits.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector normal = shifted.add(REBIAS);
        IntVector subnormal = ((FloatVector) magnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts();
        IntVector special = shifted.or(0x7F80_0000);
        VectorMask<Integer> isSubnormal = magnitude.compare(VectorOperators.LT, 0x400);
        VectorMask<Integer> isSpecial = magnitude.compare(VectorOperators.GE, 0x7C00);
        return normal.blend(subnormal, isSubnormal).blend(special, isSpecial).or(sign).reinterpretAsFloats();
    }
}

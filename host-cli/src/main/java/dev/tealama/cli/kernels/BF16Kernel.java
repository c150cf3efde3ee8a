package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.BF16Format;
import dev.tealama.tensor.BFloat16;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.Lanes.D256;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.S128;

/**
 * BF16 weights × BF16-rounded activations: the vector form of {@link BF16Format#dot} (a bfloat16 widens to the
 * float with its bits in the top half; products rounded to float, summed in double).
 */
final class BF16Kernel implements WeightKernel {
    static final BF16Kernel INSTANCE = new BF16Kernel();

    private BF16Kernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.BF16;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        float[] xv = x.values(t);
        DoubleVector low = DoubleVector.zero(D256);
        DoubleVector high = DoubleVector.zero(D256);
        int i = 0;
        for (; i + 8 <= cols; i += 8) {
            FloatVector weights = ((IntVector) ShortVector.fromMemorySegment(S128, w, row + 2L * i, LE)
                    .convertShape(VectorOperators.S2I, I256, 0))
                    .lanewise(VectorOperators.LSHL, 16)
                    .reinterpretAsFloats();
            FloatVector products = weights.mul(FloatVector.fromArray(F256, xv, i));
            low = low.add((DoubleVector) products.convertShape(VectorOperators.F2D, D256, 0));
            high = high.add((DoubleVector) products.convertShape(VectorOperators.F2D, D256, 1));
        }
        double sum = low.add(high).reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            sum += BFloat16.toFloat(w.get(Lanes.SHORT_LE, row + 2L * i)) * xv[i];
        }
        return (float) sum;
    }
}

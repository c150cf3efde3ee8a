package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.F32Format;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.Lanes.D256;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.LE;

/**
 * F32 weights × F32 activations: the vector form of {@link F32Format#dot}. As there, each product is rounded to
 * float and the products are summed in double (8 products per step, into two 4-lane double accumulators).
 */
final class F32Kernel implements WeightKernel {
    static final F32Kernel INSTANCE = new F32Kernel();

    private F32Kernel() {
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.F32;
    }

    @Override
    public float dot(MemorySegment w, long row, int cols, Activations x, int t, Scratch scratch) {
        float[] xv = x.values(t);
        DoubleVector low = DoubleVector.zero(D256);
        DoubleVector high = DoubleVector.zero(D256);
        int i = 0;
        for (; i + 8 <= cols; i += 8) {
            FloatVector products = FloatVector.fromMemorySegment(F256, w, row + 4L * i, LE)
                    .mul(FloatVector.fromArray(F256, xv, i));
            low = low.add((DoubleVector) products.convertShape(VectorOperators.F2D, D256, 0));
            high = high.add((DoubleVector) products.convertShape(VectorOperators.F2D, D256, 1));
        }
        double sum = low.add(high).reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            sum += w.get(Lanes.FLOAT_LE, row + 4L * i) * xv[i];
        }
        return (float) sum;
    }
}

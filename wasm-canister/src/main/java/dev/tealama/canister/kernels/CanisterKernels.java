package dev.tealama.canister.kernels;

import dev.tealama.canister.store.LinearMemory;
import dev.tealama.canister.store.WeightArena;
import dev.tealama.model.Kernels;
import dev.tealama.model.Matrix;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;

/**
 * The canister's kernels: Q8_0 and Q4_0 matrices in the weight arena go to the Wasm SIMD kernels
 * ({@link SimdKernels}), which read the weights where they lie (no copy) and give the scalar kernels' bits; every
 * other case (other weight types, weights not in the arena, rows left over after groups of four) runs core's
 * {@link ScalarKernels}, the reference.
 */
public final class CanisterKernels implements Kernels {
    private final ScalarKernels scalar = new ScalarKernels();

    @Override
    public void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
        GgmlType type = w.format().type();
        boolean simd = (type == GgmlType.Q8_0 || type == GgmlType.Q4_0) && w.source() instanceof WeightArena
                && count > 0 && x[0].type() == ActivationType.Q8_0;
        int groups = simd ? (rowEnd - rowStart) / 4 : 0;
        if (groups > 0) {
            WeightArena arena = (WeightArena) w.source();
            int first = (int) arena.address(w.rowOffset(rowStart)); // a Wasm address: u32 in an i32
            int stride = w.rowBytes();
            int blocks = w.cols() / 32;
            for (int t = 0; t < count; t++) {
                // addresses of Java arrays stay valid until the next allocation: none happens until the call returns
                int xq = (int) LinearMemory.addressOf(x[t].quants(), 0);
                int xd = (int) LinearMemory.addressOf(x[t].scales(), 0);
                int o = (int) LinearMemory.addressOf(out[t], rowStart);
                if (type == GgmlType.Q8_0) {
                    SimdKernels.q8_0Rows4(first, stride, groups, xq, xd, blocks, o);
                } else {
                    SimdKernels.q4_0Rows4(first, stride, groups, xq, xd, blocks, o);
                }
            }
        }
        int done = rowStart + 4 * groups;
        if (done < rowEnd) {
            scalar.matmul(w, x, count, out, done, rowEnd);
        }
    }

    @Override
    public String name() {
        return "canister simd";
    }
}

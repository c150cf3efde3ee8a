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
            boolean q8 = type == GgmlType.Q8_0;
            int t = 0;
            // addresses of Java arrays stay valid until the next allocation: none happens until a kernel returns
            for (; t + 4 <= count; t += 4) { // a prompt batch: each block of weights decoded once for four tokens
                int xq0 = quants(x[t]);
                int xq1 = quants(x[t + 1]);
                int xq2 = quants(x[t + 2]);
                int xq3 = quants(x[t + 3]);
                int xd0 = scales(x[t]);
                int xd1 = scales(x[t + 1]);
                int xd2 = scales(x[t + 2]);
                int xd3 = scales(x[t + 3]);
                int o0 = (int) LinearMemory.addressOf(out[t], rowStart);
                int o1 = (int) LinearMemory.addressOf(out[t + 1], rowStart);
                int o2 = (int) LinearMemory.addressOf(out[t + 2], rowStart);
                int o3 = (int) LinearMemory.addressOf(out[t + 3], rowStart);
                if (q8) {
                    SimdKernels.q8_0Rows4x4(first, stride, groups, blocks, xq0, xq1, xq2, xq3, xd0, xd1, xd2, xd3,
                            o0, o1, o2, o3);
                } else {
                    SimdKernels.q4_0Rows4x4(first, stride, groups, blocks, xq0, xq1, xq2, xq3, xd0, xd1, xd2, xd3,
                            o0, o1, o2, o3);
                }
            }
            for (; t < count; t++) {
                int o = (int) LinearMemory.addressOf(out[t], rowStart);
                if (q8) {
                    SimdKernels.q8_0Rows4(first, stride, groups, blocks, quants(x[t]), scales(x[t]), o);
                } else {
                    SimdKernels.q4_0Rows4(first, stride, groups, blocks, quants(x[t]), scales(x[t]), o);
                }
            }
        }
        int done = rowStart + 4 * groups;
        if (done < rowEnd) {
            scalar.matmul(w, x, count, out, done, rowEnd);
        }
    }

    private static int quants(QuantizedVector x) {
        return (int) LinearMemory.addressOf(x.quants(), 0);
    }

    private static int scales(QuantizedVector x) {
        return (int) LinearMemory.addressOf(x.scales(), 0);
    }

    @Override
    public String name() {
        return "canister simd";
    }
}

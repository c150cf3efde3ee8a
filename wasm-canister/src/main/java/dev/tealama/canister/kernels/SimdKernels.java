package dev.tealama.canister.kernels;

import org.teavm.interop.Import;

/**
 * The hand-written Wasm SIMD kernels of {@code src/main/wat/simd-kernels.wat} (module {@code kernels}, merged into the
 * canister at build time): four weight rows times one token's Q8_0 activations per step, one f32 lane per row, with
 * the float arithmetic of core's scalar dot products in the same order (see the .wat file). Every argument is a
 * Wasm memory address or a count; the caller guarantees the ranges are valid (a wrong address reads other memory or
 * traps, it cannot be checked here).
 */
final class SimdKernels {

    private SimdKernels() {
    }

    /**
     * {@code out[4g + i] = row(4g + i) · x} for {@code g < groups}, {@code i < 4}, Q8_0 rows of {@code blocks} blocks.
     *
     * @param w      address of the first row's first block
     * @param stride bytes per row
     * @param xq     address of the activation's int8 quants
     * @param xd     address of the activation's f32 block scales
     * @param out    address of the first f32 result
     */
    @Import(module = "kernels", name = "q8_0_rows4")
    static native void q8_0Rows4(int w, int stride, int groups, int xq, int xd, int blocks, int out);

    /** As {@link #q8_0Rows4} for Q4_0 rows. */
    @Import(module = "kernels", name = "q4_0_rows4")
    static native void q4_0Rows4(int w, int stride, int groups, int xq, int xd, int blocks, int out);
}

package dev.tealama.canister.kernels;

import org.teavm.interop.Import;

/**
 * The hand-written Wasm SIMD kernels of {@code src/main/wat/simd-kernels.wat} (module {@code kernels}, merged into the
 * canister at build time): groups of four weight rows times 1, 4, 8 or 16 tokens' Q8_0 activations (Q4_K, Q5_K and Q6_K:
 * 1 or 4 tokens' Q8_K activations), one f32 lane per row, with the float arithmetic of core's scalar dot products in
 * the same order (see the .wat file). Every argument is a Wasm memory address or a count; the caller guarantees the
 * ranges are valid (a wrong address reads other memory or traps: it cannot be checked here).
 *
 * <p>Arguments: {@code w} the first row's first byte, {@code stride} bytes per row, {@code groups} groups of four
 * rows, {@code blocks} 32-element blocks per row; per token {@code xq} its int8 quants, {@code xd} its f32 block
 * scales, {@code out} where its {@code 4 * groups} results go.
 */
final class SimdKernels {

    private SimdKernels() {
    }

    @Import(module = "kernels", name = "q8_0_rows4_t1")
    static native void q8_0Rows4(int w, int stride, int groups, int blocks, int xq, int xd, int out);

    @Import(module = "kernels", name = "q8_0_rows4_t4")
    static native void q8_0Rows4x4(int w, int stride, int groups, int blocks, int xq0, int xq1, int xq2, int xq3,
                                   int xd0, int xd1, int xd2, int xd3, int out0, int out1, int out2, int out3);

    @Import(module = "kernels", name = "q4_0_rows4_t1")
    static native void q4_0Rows4(int w, int stride, int groups, int blocks, int xq, int xd, int out);

    @Import(module = "kernels", name = "q4_0_rows4_t4")
    static native void q4_0Rows4x4(int w, int stride, int groups, int blocks, int xq0, int xq1, int xq2, int xq3,
                                   int xd0, int xd1, int xd2, int xd3, int out0, int out1, int out2, int out3);

    // Matrices in kernels.PackedLayout (T = 1, 4, 8, 16): act_prep_tT arranges T tokens' activations (quants xqT, scales xdT,
    // blocks 32-element blocks) in a scratch area (dst: 68 * T bytes a block), then the packed kernel multiplies
    // groups of four rows (w: the first group's first byte; the groups follow each other) by them (x: that area).

    @Import(module = "kernels", name = "act_prep_t1")
    static native void actPrep1(int blocks, int xq, int xd, int dst);

    @Import(module = "kernels", name = "act_prep_t4")
    static native void actPrep4(int blocks, int xq0, int xq1, int xq2, int xq3, int xd0, int xd1, int xd2, int xd3,
                                int dst);

    @Import(module = "kernels", name = "act_prep_t8")
    static native void actPrep8(int blocks, int xq0, int xq1, int xq2, int xq3, int xq4, int xq5, int xq6, int xq7,
                                int xd0, int xd1, int xd2, int xd3, int xd4, int xd5, int xd6, int xd7, int dst);

    @Import(module = "kernels", name = "act_prep_t16")
    static native void actPrep16(int blocks, int xq0, int xq1, int xq2, int xq3, int xq4, int xq5, int xq6, int xq7,
                                 int xq8, int xq9, int xq10, int xq11, int xq12, int xq13, int xq14, int xq15,
                                 int xd0, int xd1, int xd2, int xd3, int xd4, int xd5, int xd6, int xd7,
                                 int xd8, int xd9, int xd10, int xd11, int xd12, int xd13, int xd14, int xd15,
                                 int dst);

    @Import(module = "kernels", name = "q8_0_packed4_t1")
    static native void q8_0Packed1(int w, int groups, int blocks, int x, int out);

    @Import(module = "kernels", name = "q8_0_packed4_t4")
    static native void q8_0Packed4(int w, int groups, int blocks, int x, int out0, int out1, int out2, int out3);

    @Import(module = "kernels", name = "q8_0_packed4_t8")
    static native void q8_0Packed8(int w, int groups, int blocks, int x, int out0, int out1, int out2, int out3,
                                   int out4, int out5, int out6, int out7);

    @Import(module = "kernels", name = "q8_0_packed4_t16")
    static native void q8_0Packed16(int w, int groups, int blocks, int x, int out0, int out1, int out2, int out3,
                                    int out4, int out5, int out6, int out7, int out8, int out9, int out10, int out11,
                                    int out12, int out13, int out14, int out15);

    @Import(module = "kernels", name = "q4_0_packed4_t1")
    static native void q4_0Packed1(int w, int groups, int blocks, int x, int out);

    @Import(module = "kernels", name = "q4_0_packed4_t4")
    static native void q4_0Packed4(int w, int groups, int blocks, int x, int out0, int out1, int out2, int out3);

    @Import(module = "kernels", name = "q4_0_packed4_t8")
    static native void q4_0Packed8(int w, int groups, int blocks, int x, int out0, int out1, int out2, int out3,
                                   int out4, int out5, int out6, int out7);

    @Import(module = "kernels", name = "q4_0_packed4_t16")
    static native void q4_0Packed16(int w, int groups, int blocks, int x, int out0, int out1, int out2, int out3,
                                    int out4, int out5, int out6, int out7, int out8, int out9, int out10, int out11,
                                    int out12, int out13, int out14, int out15);

    // F32 and F16 matrices (core's F32Format.dot / F16Format.dot: each product rounded to float, summed in one double
    // per row in index order).

    /**
     * Groups of four F32 rows ({@code w} the first row's first byte, {@code stride} bytes per row) times one token's
     * f32 activations ({@code x}, {@code cols} of them, any count): the {@code 4 * groups} results to {@code out}.
     */
    @Import(module = "kernels", name = "f32_rows4_t1")
    static native void f32Rows4(int w, int stride, int groups, int cols, int x, int out);

    /** As {@link #f32Rows4} for F16 rows; {@code x}: the activations already rounded to halves, as floats. */
    @Import(module = "kernels", name = "f16_rows4_t1")
    static native void f16Rows4(int w, int stride, int groups, int cols, int x, int out);

    // K-quants in the GGUF layout (groups of four rows, 1 or 4 tokens) against Q8_K activations: blocks is the number
    // of 256-element super-blocks per row; per token xq its int8 quants, xd its f32 block scales, xs (Q4_K, Q5_K) its
    // i16 sums per 16 quants (QuantizedVector.groupSums), out where its 4 * groups results go.

    @Import(module = "kernels", name = "q4_k_rows4_t1")
    static native void q4_kRows4(int w, int stride, int groups, int blocks, int xq, int xd, int xs, int out);

    @Import(module = "kernels", name = "q4_k_rows4_t4")
    static native void q4_kRows4x4(int w, int stride, int groups, int blocks, int xq0, int xq1, int xq2, int xq3,
                                   int xd0, int xd1, int xd2, int xd3, int xs0, int xs1, int xs2, int xs3,
                                   int out0, int out1, int out2, int out3);

    @Import(module = "kernels", name = "q5_k_rows4_t1")
    static native void q5_kRows4(int w, int stride, int groups, int blocks, int xq, int xd, int xs, int out);

    @Import(module = "kernels", name = "q5_k_rows4_t4")
    static native void q5_kRows4x4(int w, int stride, int groups, int blocks, int xq0, int xq1, int xq2, int xq3,
                                   int xd0, int xd1, int xd2, int xd3, int xs0, int xs1, int xs2, int xs3,
                                   int out0, int out1, int out2, int out3);

    @Import(module = "kernels", name = "q6_k_rows4_t1")
    static native void q6_kRows4(int w, int stride, int groups, int blocks, int xq, int xd, int out);

    @Import(module = "kernels", name = "q6_k_rows4_t4")
    static native void q6_kRows4x4(int w, int stride, int groups, int blocks, int xq0, int xq1, int xq2, int xq3,
                                   int xd0, int xd1, int xd2, int xd3, int out0, int out1, int out2, int out3);

    /**
     * The index of the largest of the {@code n} floats at {@code x}, as core's {@code Kernels.argmax} finds it (the
     * lowest index among equal values), or -1 if one is NaN or {@code n} is 0.
     */
    @Import(module = "kernels", name = "argmax_f32")
    static native int argmaxF32(int x, int n);

    /**
     * The first index {@code i} in {@code [from, n)} whose float at {@code x + 4 i} is above {@code t}, or {@code n}
     * (core's {@code Kernels.firstAbove}).
     */
    @Import(module = "kernels", name = "first_above_f32")
    static native int firstAboveF32(int x, int from, int n, float t);
}

package dev.tealama.model;

import dev.tealama.math.DetMath;
import dev.tealama.tensor.QuantizedVector;

/**
 * How a host multiplies weight matrices by activations. {@code core} ships {@link ScalarKernels}, the deterministic
 * reference that the canister runs; the JVM host plugs in Vector API kernels spread over threads.
 *
 * <p>Implementations must give each output the value of the weight format's dot product (same quantized
 * activations, same integer block sums); only the order of float summation may differ from the scalar kernels.
 */
public interface Kernels {

    /**
     * For each token {@code t < count} and each row {@code r} in {@code [rowStart, rowEnd)}:
     * {@code out[t][r] = w[r] · x[t]}.
     *
     * @param x activations prepared in the type {@code w}'s dot product takes (or F32 in the precise scheme)
     */
    void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd);

    /**
     * Causal self-attention for the tokens of a batch: for each {@code t < count}, {@code out[t]} (all heads) from
     * the query {@code q[t]} at position {@code startPos + t} and the cached keys and values of positions
     * {@code [0, startPos + t]} of {@code layer} (the batch's own keys and values are already stored).
     *
     * <p>The default runs {@link Attention#attend} one token at a time. A host may compute it otherwise (in
     * parallel, with vectors) but must compute the same thing: the same roundings to F16 of the query, the
     * scores and the accumulator, and the same {@link DetMath#exp}; only the order of float sums may differ.
     */
    default void attention(Attention attention, float[][] q, int count, KvCache cache, int layer, int startPos,
                           float[][] out) {
        for (int t = 0; t < count; t++) {
            attention.attend(q[t], cache, layer, startPos + t, out[t]);
        }
    }

    /**
     * Prepares a matmul input: {@code target} becomes {@code x[0, length)} in its activation type, as
     * {@link QuantizedVector#quantize} makes it. A host may compute it otherwise; the result must stay bit-identical.
     */
    default void quantize(QuantizedVector target, float[] x, int length) {
        target.quantize(x, 0, length);
    }

    /**
     * The SwiGLU activation of the feed-forward block, in place: {@code gate[i] = silu(gate[i]) · up[i]} for
     * {@code i < length}, with {@code silu(g) = g / (1 + e^-g)} and {@code e^-g} the float rounding of
     * {@link DetMath#exp}. A host may vectorize it; the result must stay bit-identical.
     */
    default void swiglu(float[] gate, float[] up, int length) {
        for (int i = 0; i < length; i++) {
            float g = gate[i];
            gate[i] = g / (1.0f + DetMath.expf(-g)) * up[i];
        }
    }

    /** A short name for logs and benchmarks ("scalar", "vector x2"). */
    String name();
}

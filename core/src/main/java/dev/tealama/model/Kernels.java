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

    /**
     * ggml's RMSNorm of {@code in} into {@code out} (same length): the squares, each rounded to float, summed in a
     * double in index order; {@code scale = 1 / (float) sqrt((float) (sum / n) + eps)} in float; then
     * {@code out[i] = in[i] · scale · weight[i]}, left to right, in float. A host may vectorize it; the result must
     * stay bit-identical.
     */
    default void rmsNorm(float[] out, float[] in, float[] weight, float eps) {
        int n = in.length;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            sum += (double) (in[i] * in[i]);
        }
        float mean = (float) (sum / n);
        float scale = 1.0f / (float) Math.sqrt(mean + eps);
        for (int i = 0; i < n; i++) {
            out[i] = in[i] * scale * weight[i];
        }
    }

    /** The residual add: {@code acc[i] += delta[i]} for {@code i < n}, in float. */
    default void add(float[] acc, float[] delta, int n) {
        for (int i = 0; i < n; i++) {
            acc[i] += delta[i];
        }
    }

    /**
     * RoPE on the first {@code heads} heads of {@code x}: {@link Rope#rotate}{@code (x, 0, heads, cos, sin)}. A host
     * may vectorize it; each value must stay the same float expression.
     */
    default void rope(Rope rope, float[] x, int heads, float[] cos, float[] sin) {
        rope.rotate(x, 0, heads, cos, sin);
    }

    /**
     * Stores the key and value of position {@code pos} of {@code layer}: {@link KvCache#store}, whose F16 cache
     * rounds each float with {@link dev.tealama.tensor.Float16#fromFloat}; a host may round otherwise to the same
     * halves.
     */
    default void storeKeyValue(KvCache cache, int layer, int pos, float[] key, float[] value) {
        cache.store(layer, pos, key, value);
    }

    /**
     * Decodes row {@code row} of {@code w} (a token's embedding) into {@code dst[0..cols)}, with {@code scratch}
     * ({@code w.rowBytes()} bytes) for the encoded row. The default reads the row as it lies in the model file; a
     * host that stores a matrix in another layout (the canister's packed groups of four rows) decodes that, and must
     * give the same floats.
     */
    default void dequantizeRow(Matrix w, int row, byte[] scratch, float[] dst) {
        w.dequantizeRow(row, scratch, dst, 0);
    }

    /**
     * The index of the largest of {@code values[0..n)} as a scan with {@code >} finds it: the lowest index among
     * equal values ({@code -0} and {@code +0} are equal; with every value {@code -Infinity}, 0), or -1 if any value
     * is NaN (or {@code n} is 0). The sampler's greedy choice over the vocabulary; a host may scan with vectors but
     * must return the same index.
     */
    default int argmax(float[] values, int n) {
        int best = n > 0 ? 0 : -1;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (v > bestValue) {
                best = i;
                bestValue = v;
            } else if (v != v) {
                return -1;
            }
        }
        return best;
    }

    /**
     * The first index {@code i} in {@code [from, n)} with {@code values[i] > threshold} (a NaN is never above), or
     * {@code n} if there is none (also when {@code from >= n}): the sampler's top-k selection skips with it the tokens that cannot enter its heap. A host may scan
     * with vectors but must return the same index.
     */
    default int firstAbove(float[] values, int from, int n, float threshold) {
        int i = from;
        while (i < n && !(values[i] > threshold)) {
            i++;
        }
        return i < n ? i : n;
    }

    /** A short name for logs and benchmarks ("scalar", "vector x2"). */
    String name();
}

package dev.tealama.model;

import dev.tealama.math.DetMath;
import dev.tealama.tensor.Float16;

/**
 * Causal self-attention of one query token over the cached keys and values of positions {@code [0, pos]}.
 *
 * <p>With an F16 cache this reproduces llama.cpp's CPU flash-attention kernel (one query row at a time): the query
 * is rounded to F16, each score is an F16·F16 dot product, the softmax is computed online (running maximum
 * {@code M} and sum {@code S}) and the weighted sum of values is accumulated <em>in F16</em>, rounded after every
 * update, exactly as ggml does ({@code ggml_vec_scale_f16}, {@code ggml_vec_mad_f16}). ggml's AVX-512 build fuses
 * the multiply-add for the first {@code n & ~63} elements of a head and rounds twice for the rest; we do the same.
 *
 * <p>With an F32 cache (the precise scheme) it is plain softmax attention summed in double.
 *
 * <p>{@link Kernels#attention} runs it for a batch; a host may replace that with its own implementation of the same
 * arithmetic, for which this class exposes the shape ({@link #headDim()}, ...) and its rounding helpers.
 */
public final class Attention {
    /** ggml's F16 SIMD step on AVX-512: elements below {@code n & ~63} take a fused multiply-add. */
    private static final int FUSED_STEP_MASK = ~63;

    private final int headDim;
    private final int heads;
    private final int groupSize;
    private final int kvDim;
    private final float scale;
    private final float[] queryF16;
    private final short[] accumulatorF16;
    private double[] scores = new double[0];

    /** The attention of a model of this shape (its buffers are its own: one instance per forward pass). */
    public Attention(LlamaConfig config) {
        this.headDim = config.headDim();
        this.heads = config.heads();
        this.groupSize = config.groupSize();
        this.kvDim = config.kvDim();
        this.scale = 1.0f / (float) Math.sqrt((float) headDim);
        this.queryF16 = new float[headDim];
        this.accumulatorF16 = new short[headDim];
    }

    /** Elements per head. */
    public int headDim() {
        return headDim;
    }

    /** Query heads. */
    public int heads() {
        return heads;
    }

    /** Query heads sharing one key/value head (grouped-query attention). */
    public int groupSize() {
        return groupSize;
    }

    /** Elements of one position's keys (or values) in the cache: key/value heads × head size. */
    public int kvDim() {
        return kvDim;
    }

    /** The score scale, {@code 1 / sqrt(headDim)} in float. */
    public float scale() {
        return scale;
    }

    /** {@code out[h·headDim ..]} = attention of query head {@code h} of {@code q} for every head. */
    public void attend(float[] q, KvCache cache, int layer, int pos, float[] out) {
        for (int h = 0; h < heads; h++) {
            int kvOffset = (h / groupSize) * headDim;
            if (cache.isF16()) {
                attendHeadF16(q, h * headDim, cache.keys16(layer), cache.values16(layer), kvOffset, pos, out);
            } else {
                attendHeadF32(q, h * headDim, cache.keys32(layer), cache.values32(layer), kvOffset, pos, out);
            }
        }
    }

    private void attendHeadF16(float[] q, int qOffset, short[] keys, short[] values, int kvOffset, int pos, float[] out) {
        int n = headDim;
        for (int i = 0; i < n; i++) {
            queryF16[i] = Float16.toFloat(Float16.fromFloat(q[qOffset + i]));
        }
        short[] acc = accumulatorF16;
        java.util.Arrays.fill(acc, (short) 0);
        int fused = n & FUSED_STEP_MASK;

        float sum = 0.0f;
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p <= pos; p++) {
            int base = p * kvDim + kvOffset;
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) (Float16.toFloat(keys[base + i]) * queryF16[i]);
            }
            float s = (float) dot * scale;

            float ms = 1.0f;
            float vs = 1.0f;
            if (s > max) {
                float oldMax = max;
                max = s;
                ms = expf(oldMax - max);
                for (int i = 0; i < n; i++) {
                    acc[i] = Float16.fromFloat(Float16.toFloat(acc[i]) * ms);
                }
            } else {
                vs = expf(s - max);
            }
            for (int i = 0; i < fused; i++) {
                acc[i] = Float16.fromFloat(fma(Float16.toFloat(values[base + i]), vs, Float16.toFloat(acc[i])));
            }
            for (int i = fused; i < n; i++) {
                acc[i] = Float16.fromFloat(Float16.toFloat(acc[i]) + Float16.toFloat(values[base + i]) * vs);
            }
            sum = sum * ms + vs;
        }
        float inverse = sum == 0.0f ? 0.0f : 1.0f / sum;
        for (int i = 0; i < n; i++) {
            out[qOffset + i] = Float16.toFloat(acc[i]) * inverse;
        }
    }

    private void attendHeadF32(float[] q, int qOffset, float[] keys, float[] values, int kvOffset, int pos, float[] out) {
        int n = headDim;
        if (scores.length < pos + 1) {
            scores = new double[Math.max(pos + 1, 2 * scores.length)];
        }
        double max = Double.NEGATIVE_INFINITY;
        double invSqrt = 1.0 / Math.sqrt(n);
        for (int p = 0; p <= pos; p++) {
            int base = p * kvDim + kvOffset;
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) keys[base + i] * q[qOffset + i];
            }
            scores[p] = dot * invSqrt;
            max = Math.max(max, scores[p]);
        }
        double total = 0;
        for (int p = 0; p <= pos; p++) {
            scores[p] = DetMath.exp(scores[p] - max);
            total += scores[p];
        }
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int p = 0; p <= pos; p++) {
                acc += scores[p] * values[p * kvDim + kvOffset + i];
            }
            out[qOffset + i] = (float) (acc / total);
        }
    }

    /** Single-precision e^x, rounded from the deterministic double result. */
    static float expf(float x) {
        return DetMath.expf(x);
    }

    /**
     * {@code a·b + c} rounded once to float (as a fused multiply-add), computed in double: the product of two floats
     * is exact in double, so only the final sum rounds (twice, in cases too rare to matter, identically everywhere).
     * Hosts reproducing this attention must round the same way.
     */
    public static float fma(float a, float b, float c) {
        return (float) ((double) a * b + c);
    }
}

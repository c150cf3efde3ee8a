package dev.tealama.model;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.QuantizedVector;

/**
 * The input of one or more matmuls for a batch of tokens, converted to each activation type a weight needs at most
 * once: Q, K and V share one quantized input, as do the FFN gate and up projections, exactly as llama.cpp
 * quantizes {@code src1} once per matmul. Buffers are allocated once; nothing is allocated per token.
 */
final class ActivationBatch {
    private final float[][] rows;
    private final int width;
    private final Kernels kernels;
    private final QuantizedVector[][] byType = new QuantizedVector[ActivationType.values().length][];
    private final boolean[] current = new boolean[ActivationType.values().length];
    private int count;

    ActivationBatch(int maxTokens, int width, Kernels kernels) {
        this.rows = new float[maxTokens][];
        this.width = width;
        this.kernels = kernels;
    }

    /** Makes {@code source[0..count)} the new input; conversions are redone on demand. */
    void set(float[][] source, int count) {
        System.arraycopy(source, 0, rows, 0, count);
        this.count = count;
        java.util.Arrays.fill(current, false);
    }

    int count() {
        return count;
    }

    /** The input converted to {@code type}, one vector per token. */
    QuantizedVector[] as(ActivationType type) {
        int k = type.ordinal();
        QuantizedVector[] vectors = byType[k];
        if (vectors == null) {
            vectors = new QuantizedVector[rows.length];
            for (int t = 0; t < vectors.length; t++) {
                vectors[t] = new QuantizedVector(type, width);
            }
            byType[k] = vectors;
        }
        if (!current[k]) {
            for (int t = 0; t < count; t++) {
                kernels.quantize(vectors[t], rows[t], width);
            }
            current[k] = true;
        }
        return vectors;
    }
}

package dev.tealama.model;

/** The weights of one transformer block. Norm weights are decoded to floats at load; matrices stay in place. */
public record LayerWeights(
        float[] attentionNorm,
        Matrix query,
        Matrix key,
        Matrix value,
        Matrix attentionOutput,
        float[] ffnNorm,
        Matrix ffnGate,
        Matrix ffnUp,
        Matrix ffnDown) {
}

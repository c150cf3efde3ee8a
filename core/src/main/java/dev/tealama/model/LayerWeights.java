package dev.tealama.model;

import java.util.List;

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

    /** The seven matrices, in the order the forward pass multiplies them (query, key, value, output, gate, up, down). */
    public List<Matrix> matrices() {
        return List.of(query, key, value, attentionOutput, ffnGate, ffnUp, ffnDown);
    }
}

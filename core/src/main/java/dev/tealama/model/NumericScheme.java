package dev.tealama.model;

/**
 * Which arithmetic the forward pass follows.
 */
public enum NumericScheme {
    /**
     * llama.cpp's CPU scheme (the default): activations quantized once per matmul to the weight type's partner
     * (Q8_0, Q8_1, Q8_K, or rounded to F16/BF16), integer block dot products, keys and values cached in F16 and
     * attention accumulated as llama.cpp's flash-attention kernel does. Greedy tokens match llama.cpp's.
     */
    LLAMA_CPP,
    /**
     * As exact as float32 storage allows: dequantized weights times unrounded activations summed in double, keys
     * and values cached in F32, softmax in double. Logits sit within ~1e-3 of exact float64 math; costs more memory
     * for the cache and gives up llama.cpp's token-for-token agreement.
     */
    PRECISE
}

package dev.tealama.tensor;

/**
 * What form activations take for a dot product with some weight format (ggml's {@code vec_dot_type}): each
 * matmul converts its input vector once into this form, then every row's dot product reads it.
 */
public enum ActivationType {
    /** Plain floats (for F32 weights). */
    F32(1),
    /** Floats rounded to half precision (for F16 weights). */
    F16(1),
    /** Floats rounded to bfloat16 (for BF16 weights). */
    BF16(1),
    /** Blocks of 32 int8 with an fp16 scale (for Q8_0 and Q4_0 weights). */
    Q8_0(32),
    /** Blocks of 32 int8 with an fp16 scale and the fp16 scaled sum of the block (for Q4_1 weights). */
    Q8_1(32),
    /** Blocks of 256 int8 with a float scale and sums per 16 (for the K-quants). */
    Q8_K(256);

    private final int blockSize;

    ActivationType(int blockSize) {
        this.blockSize = blockSize;
    }

    /** Elements per block: a quantized vector's length is a multiple of it. */
    public int blockSize() {
        return blockSize;
    }
}

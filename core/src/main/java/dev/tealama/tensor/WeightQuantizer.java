package dev.tealama.tensor;

import dev.tealama.TealamaException;

/**
 * Encodes float weights into a quantized type, byte for byte as llama.cpp's {@code llama-quantize --pure} does
 * (ggml's deterministic {@code quantize_row_*_ref}, no importance matrix). Used by {@code tealama quantize}.
 */
public interface WeightQuantizer {

    /** The quantizer for {@code type}; a {@link TealamaException} naming the type if Tealama cannot make it. */
    static WeightQuantizer of(GgmlType type) {
        if (type == GgmlType.Q8_0) {
            return Q8_0Format.INSTANCE;
        }
        if (type == GgmlType.Q4_0) {
            return Q4_0Format.INSTANCE;
        }
        throw new TealamaException("cannot quantize to " + type + " (supported: Q8_0, Q4_0)");
    }

    GgmlType type();

    /**
     * Encodes {@code src[srcOffset .. srcOffset + count)} ({@code count} a multiple of the block size) into
     * {@code count / blockSize} blocks at {@code dst[dstOffset..]}.
     */
    void quantize(float[] src, int srcOffset, byte[] dst, int dstOffset, int count);
}

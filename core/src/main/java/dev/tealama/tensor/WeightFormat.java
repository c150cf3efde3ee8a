package dev.tealama.tensor;

import dev.tealama.TealamaException;

/**
 * How weights of one ggml type are laid out in bytes, dequantized, and multiplied with activations.
 *
 * <p>Each format's dot product reads activations prepared in its {@link #activationType()} (one conversion per
 * matmul, see {@link QuantizedVector}) and sums in exactly the order of ggml's scalar C code (the
 * {@code *_generic} functions of ggml-cpu/quants.c and the non-SIMD branch of ggml-cpu/vec.cpp), so that the
 * JVM and the canister produce the same bits. Implementations are stateless singletons: any number of threads
 * may call them at once.
 *
 * <p>Offsets and counts are checked on entry ({@link IllegalArgumentException} naming the problem); a count
 * must be a multiple of the type's block size.
 */
public sealed interface WeightFormat permits F32Format, F16Format, BF16Format, Q8_0Format, Q4_0Format,
        Q4_1Format, Q4_KFormat, Q5_KFormat, Q6_KFormat {

    /** The format of weights of {@code type}; a {@link TealamaException} naming the type if unsupported. */
    static WeightFormat of(GgmlType type) {
        if (type == null) {
            throw new TealamaException("tensor type is missing");
        }
        switch (type) {
            case F32:
                return F32Format.INSTANCE;
            case F16:
                return F16Format.INSTANCE;
            case BF16:
                return BF16Format.INSTANCE;
            case Q8_0:
                return Q8_0Format.INSTANCE;
            case Q4_0:
                return Q4_0Format.INSTANCE;
            case Q4_1:
                return Q4_1Format.INSTANCE;
            case Q4_K:
                return Q4_KFormat.INSTANCE;
            case Q5_K:
                return Q5_KFormat.INSTANCE;
            case Q6_K:
                return Q6_KFormat.INSTANCE;
            default:
                throw new TealamaException("weights of type " + type + " are not supported (supported: F32, F16, "
                        + "BF16, Q8_0, Q4_0, Q4_1, Q4_K, Q5_K, Q6_K)");
        }
    }

    GgmlType type();

    /** The form activations must take for {@link #dot}. */
    ActivationType activationType();

    /** Elements per block. */
    default int blockSize() {
        return type().blockSize();
    }

    /** Bytes per block. */
    default int blockBytes() {
        return type().blockBytes();
    }

    /**
     * Decodes {@code count} elements (a multiple of the block size) from the encoded bytes at
     * {@code src[srcOffset..]} into {@code dst[dstOffset .. dstOffset + count)}, exactly as ggml's
     * {@code dequantize_row_*}.
     */
    void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count);

    /**
     * The dot product of {@code count} weights encoded at {@code w[wOffset..]} with elements
     * {@code [xOffset, xOffset + count)} of {@code x}; {@code xOffset} and {@code count} are multiples of the
     * block size, and {@code x} has this format's {@link #activationType()}.
     */
    float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count);
}

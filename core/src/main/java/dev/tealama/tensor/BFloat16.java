package dev.tealama.tensor;

/**
 * bfloat16 (the top 16 bits of a float, ggml's {@code ggml_bf16_t}) to and from {@code float}, as ggml's
 * {@code ggml_compute_bf16_to_fp32} / {@code ggml_compute_fp32_to_bf16} do.
 *
 * <p>Widening is exact. Narrowing rounds to nearest, ties to even, on the dropped 16 bits (subnormals are kept,
 * large finite values may round to infinity); a NaN keeps its top bits and is made quiet.
 */
public final class BFloat16 {
    private BFloat16() {
    }

    /** The float value of bfloat16 {@code b}. */
    public static float toFloat(short b) {
        return Float.intBitsToFloat(b << 16);
    }

    /** The float value of the little-endian bfloat16 at {@code src[offset]}, {@code src[offset + 1]}. */
    public static float toFloat(byte[] src, int offset) {
        return Float.intBitsToFloat((src[offset] & 0xFF) << 16 | (src[offset + 1] & 0xFF) << 24);
    }

    /** {@code f} rounded to the nearest bfloat16 (ties to even). */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) (bits >>> 16 | 0x40); // NaN: force the quiet bit
        }
        // adding 0x7FFF plus the kept part's lowest bit rounds the dropped half-word to nearest, ties to even
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}

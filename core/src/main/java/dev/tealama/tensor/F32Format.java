package dev.tealama.tensor;

/**
 * F32 weights: 4 bytes per element, little-endian IEEE float.
 *
 * <p>Dot product: against plain float activations, each product rounded to float and accumulated in a double
 * (the non-SIMD {@code ggml_vec_dot_f32}).
 */
public final class F32Format implements WeightFormat {
    public static final F32Format INSTANCE = new F32Format();

    private F32Format() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.F32;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.F32, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = Float.intBitsToFloat(Checks.int32(src, srcOffset + 4 * i));
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.F32, w, wOffset, count);
        Checks.activations(ActivationType.F32, x, xOffset, count);
        float[] values = x.values();
        double sum = 0.0;
        for (int i = 0; i < count; i++) {
            float weight = Float.intBitsToFloat(Checks.int32(w, wOffset + 4 * i));
            sum += weight * values[xOffset + i];
        }
        return (float) sum;
    }
}

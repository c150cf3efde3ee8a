package dev.tealama.tensor;

/**
 * F16 weights: 2 bytes per element, little-endian IEEE half precision.
 *
 * <p>Dot product: against activations rounded to half precision, each product of the two widened values rounded
 * to float and accumulated in a double (the non-SIMD {@code ggml_vec_dot_f16}).
 */
public final class F16Format implements WeightFormat {
    public static final F16Format INSTANCE = new F16Format();

    private F16Format() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.F16;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.F16;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.F16, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = Float16.toFloat(src, srcOffset + 2 * i);
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.F16, w, wOffset, count);
        Checks.activations(ActivationType.F16, x, xOffset, count);
        float[] values = x.values();
        double sum = 0.0;
        for (int i = 0; i < count; i++) {
            sum += Float16.toFloat(w, wOffset + 2 * i) * values[xOffset + i];
        }
        return (float) sum;
    }
}

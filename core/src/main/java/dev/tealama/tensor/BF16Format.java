package dev.tealama.tensor;

/**
 * BF16 weights: 2 bytes per element, little-endian bfloat16 (the top half of a float).
 *
 * <p>Dot product: against activations rounded to bfloat16, each product of the two widened values rounded to
 * float and accumulated in a double (the non-SIMD {@code ggml_vec_dot_bf16}).
 */
public final class BF16Format implements WeightFormat {
    public static final BF16Format INSTANCE = new BF16Format();

    private BF16Format() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.BF16;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.BF16, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int i = 0; i < count; i++) {
            dst[dstOffset + i] = BFloat16.toFloat(src, srcOffset + 2 * i);
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.BF16, w, wOffset, count);
        Checks.activations(ActivationType.BF16, x, xOffset, count);
        float[] values = x.values();
        double sum = 0.0;
        for (int i = 0; i < count; i++) {
            sum += BFloat16.toFloat(w, wOffset + 2 * i) * values[xOffset + i];
        }
        return (float) sum;
    }
}

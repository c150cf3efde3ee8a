package dev.tealama.tensor;

/**
 * Q4_1 weights: blocks of 32 elements in 20 bytes.
 * <pre>
 *   bytes 0-1   d      fp16 scale
 *   bytes 2-3   m      fp16 minimum
 *   bytes 4-19  qs[16] element j (j &lt; 16) in the low nibble of qs[j], element j + 16 in its high nibble;
 *                      element = nibble * d + m
 * </pre>
 * Dot product against Q8_1 activations ({@code ggml_vec_dot_q4_1_q8_1_generic}): per block the integer sum of
 * nibble times quant, then {@code sum += (d_w * d_x) * sumi + m_w * s_x} in float, where {@code s_x} is the
 * activation block's fp16 {@code d * sum(quants)}.
 */
public final class Q4_1Format implements WeightFormat {
    public static final Q4_1Format INSTANCE = new Q4_1Format();

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 20;

    private Q4_1Format() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_1;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_1;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.Q4_1, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int block = 0; block < count / BLOCK; block++) {
            int p = srcOffset + block * BLOCK_BYTES;
            float d = Float16.toFloat(src, p);
            float m = Float16.toFloat(src, p + 2);
            int out = dstOffset + block * BLOCK;
            for (int j = 0; j < 16; j++) {
                int packed = src[p + 4 + j] & 0xFF;
                dst[out + j] = (packed & 0x0F) * d + m;
                dst[out + j + 16] = (packed >>> 4) * d + m;
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.Q4_1, w, wOffset, count);
        Checks.activations(ActivationType.Q8_1, x, xOffset, count);
        byte[] xq = x.quants();
        float[] xd = x.scales();
        float[] xs = x.blockSums();
        float sum = 0f;
        for (int block = 0; block < count / BLOCK; block++) {
            int p = wOffset + block * BLOCK_BYTES;
            int xp = xOffset + block * BLOCK;
            int sumi = 0;
            for (int j = 0; j < 16; j++) {
                int packed = w[p + 4 + j] & 0xFF;
                sumi += (packed & 0x0F) * xq[xp + j] + (packed >>> 4) * xq[xp + j + 16];
            }
            int xb = xp / BLOCK;
            sum += (Float16.toFloat(w, p) * xd[xb]) * sumi + Float16.toFloat(w, p + 2) * xs[xb];
        }
        return sum;
    }
}

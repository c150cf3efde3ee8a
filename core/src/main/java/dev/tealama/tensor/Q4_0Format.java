package dev.tealama.tensor;

/**
 * Q4_0 weights: blocks of 32 elements in 18 bytes.
 * <pre>
 *   bytes 0-1   d      fp16 scale
 *   bytes 2-17  qs[16] element j (j &lt; 16) in the low nibble of qs[j], element j + 16 in its high nibble;
 *                      element = (nibble - 8) * d
 * </pre>
 * Dot product against Q8_0 activations ({@code ggml_vec_dot_q4_0_q8_0_generic}): per block the integer sums of
 * the low and the high halves, then {@code sum += sumi * d_w * d_x} in float, left to right.
 */
public final class Q4_0Format implements WeightFormat, WeightQuantizer {
    public static final Q4_0Format INSTANCE = new Q4_0Format();

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 18;

    private Q4_0Format() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_0;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.Q4_0, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int block = 0; block < count / BLOCK; block++) {
            int p = srcOffset + block * BLOCK_BYTES;
            float d = Float16.toFloat(src, p);
            int out = dstOffset + block * BLOCK;
            for (int j = 0; j < 16; j++) {
                int packed = src[p + 2 + j] & 0xFF;
                dst[out + j] = ((packed & 0x0F) - 8) * d;
                dst[out + j + 16] = ((packed >>> 4) - 8) * d;
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.Q4_0, w, wOffset, count);
        Checks.activations(ActivationType.Q8_0, x, xOffset, count);
        byte[] xq = x.quants();
        float[] xd = x.scales();
        float sum = 0f;
        for (int block = 0; block < count / BLOCK; block++) {
            int p = wOffset + block * BLOCK_BYTES;
            int xp = xOffset + block * BLOCK;
            int sumi = 0;
            for (int j = 0; j < 16; j++) {
                int packed = w[p + 2 + j] & 0xFF;
                sumi += ((packed & 0x0F) - 8) * xq[xp + j] + ((packed >>> 4) - 8) * xq[xp + j + 16];
            }
            sum += sumi * Float16.toFloat(w, p) * xd[xp / BLOCK];
        }
        return sum;
    }

    /**
     * {@code quantize_row_q4_0_ref}: {@code d = max / -8} where max is the element of largest magnitude (with its
     * sign), nibble = {@code min(15, (int) (x / d + 8.5))}.
     */
    @Override
    public void quantize(float[] src, int srcOffset, byte[] dst, int dstOffset, int count) {
        Checks.floats(src, srcOffset, count);
        Checks.encoded(GgmlType.Q4_0, dst, dstOffset, count);
        for (int block = 0; block < count / BLOCK; block++) {
            int in = srcOffset + block * BLOCK;
            int p = dstOffset + block * BLOCK_BYTES;
            float amax = 0f;
            float max = 0f;
            for (int j = 0; j < BLOCK; j++) {
                float v = src[in + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8f;
            float id = d != 0f ? 1f / d : 0f;
            short dHalf = Float16.fromFloat(d);
            dst[p] = (byte) dHalf;
            dst[p + 1] = (byte) (dHalf >> 8);
            for (int j = 0; j < 16; j++) {
                int low = Math.min(15, (int) (src[in + j] * id + 8.5f));
                int high = Math.min(15, (int) (src[in + j + 16] * id + 8.5f));
                dst[p + 2 + j] = (byte) (low | high << 4);
            }
        }
    }
}

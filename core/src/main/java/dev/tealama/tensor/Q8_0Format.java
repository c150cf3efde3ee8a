package dev.tealama.tensor;

/**
 * Q8_0 weights: blocks of 32 elements in 34 bytes.
 * <pre>
 *   bytes 0-1   d      fp16 scale
 *   bytes 2-33  qs[32] int8 quants;  element j = qs[j] * d
 * </pre>
 * Dot product against Q8_0 activations ({@code ggml_vec_dot_q8_0_q8_0_generic}): per block the integer sum of
 * {@code qs_w[j] * qs_x[j]}, then {@code sum += sumi * (d_w * d_x)} in float.
 */
public final class Q8_0Format implements WeightFormat, WeightQuantizer {
    public static final Q8_0Format INSTANCE = new Q8_0Format();

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 34;

    private Q8_0Format() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_0;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.Q8_0, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int block = 0; block < count / BLOCK; block++) {
            int p = srcOffset + block * BLOCK_BYTES;
            float d = Float16.toFloat(src, p);
            int out = dstOffset + block * BLOCK;
            for (int j = 0; j < BLOCK; j++) {
                dst[out + j] = src[p + 2 + j] * d;
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.Q8_0, w, wOffset, count);
        Checks.activations(ActivationType.Q8_0, x, xOffset, count);
        byte[] xq = x.quants();
        float[] xd = x.scales();
        float sum = 0f;
        for (int block = 0; block < count / BLOCK; block++) {
            int p = wOffset + block * BLOCK_BYTES;
            int xp = xOffset + block * BLOCK;
            int sumi = 0;
            for (int j = 0; j < BLOCK; j++) {
                sumi += w[p + 2 + j] * xq[xp + j];
            }
            sum += sumi * (Float16.toFloat(w, p) * xd[xp / BLOCK]);
        }
        return sum;
    }

    /**
     * {@code quantize_row_q8_0_ref}: {@code d = amax / 127}, each element times {@code 1 / d}, rounded half away
     * from zero (unlike the x86 activation quantizer, which rounds half to even).
     */
    @Override
    public void quantize(float[] src, int srcOffset, byte[] dst, int dstOffset, int count) {
        Checks.floats(src, srcOffset, count);
        Checks.encoded(GgmlType.Q8_0, dst, dstOffset, count);
        for (int block = 0; block < count / BLOCK; block++) {
            int in = srcOffset + block * BLOCK;
            int p = dstOffset + block * BLOCK_BYTES;
            float amax = 0f;
            for (int j = 0; j < BLOCK; j++) {
                float av = Math.abs(src[in + j]);
                amax = amax > av ? amax : av; // C's MAX(amax, fabsf(v)), NaN and all
            }
            float d = amax / 127f;
            float id = d != 0f ? 1f / d : 0f;
            short dHalf = Float16.fromFloat(d);
            dst[p] = (byte) dHalf;
            dst[p + 1] = (byte) (dHalf >> 8);
            for (int j = 0; j < BLOCK; j++) {
                dst[p + 2 + j] = (byte) Rounding.nearestAwayFromZero(src[in + j] * id);
            }
        }
    }
}

package dev.tealama.tensor;

/**
 * Q4_K weights: super-blocks of 256 elements in 144 bytes, 8 sub-blocks of 32 with 6-bit scales and mins.
 * <pre>
 *   bytes 0-1     d          fp16 scale of the scales
 *   bytes 2-3     dmin       fp16 scale of the mins
 *   bytes 4-15    scales[12] 8 6-bit scales and 8 6-bit mins, packed (see {@link KQuantScales})
 *   bytes 16-143  qs[128]    for chunk c (0..3) and l (0..31): element 64c + l is the low nibble of
 *                            qs[32c + l] (sub-block 2c), element 64c + 32 + l its high nibble (sub-block 2c + 1)
 *   element = d * scale(sub-block) * nibble - dmin * min(sub-block)
 * </pre>
 * Dot product against Q8_K activations ({@code ggml_vec_dot_q4_K_q8_K_generic}): per super-block, eight
 * integer lane sums {@code aux32[l]} (lane = element index mod 8) of {@code scale * nibble * quant}; then in float
 * {@code sums[l] += (d * d_x) * aux32[l]} and {@code sum -= (dmin * d_x) * (sum of min * activation sums)};
 * finally {@code sum += sums[0] + ... + sums[7]}, one at a time.
 */
public final class Q4_KFormat implements WeightFormat {
    public static final Q4_KFormat INSTANCE = new Q4_KFormat();

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 144;

    private Q4_KFormat() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_K;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.Q4_K, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int block = 0; block < count / BLOCK; block++) {
            int p = srcOffset + block * BLOCK_BYTES;
            float d = Float16.toFloat(src, p);
            float dmin = Float16.toFloat(src, p + 2);
            int out = dstOffset + block * BLOCK;
            for (int chunk = 0; chunk < 4; chunk++) {
                float d1 = d * KQuantScales.scale(src, p + 4, 2 * chunk);
                float m1 = dmin * KQuantScales.min(src, p + 4, 2 * chunk);
                float d2 = d * KQuantScales.scale(src, p + 4, 2 * chunk + 1);
                float m2 = dmin * KQuantScales.min(src, p + 4, 2 * chunk + 1);
                int q = p + 16 + 32 * chunk;
                int y = out + 64 * chunk;
                for (int l = 0; l < 32; l++) {
                    int packed = src[q + l] & 0xFF;
                    dst[y + l] = d1 * (packed & 0x0F) - m1;
                    dst[y + 32 + l] = d2 * (packed >>> 4) - m2;
                }
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.Q4_K, w, wOffset, count);
        Checks.activations(ActivationType.Q8_K, x, xOffset, count);
        byte[] xq = x.quants();
        float[] xd = x.scales();
        short[] groupSums = x.groupSums();
        float sum = 0f;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        for (int block = 0; block < count / BLOCK; block++) {
            int p = wOffset + block * BLOCK_BYTES;
            int xp = xOffset + block * BLOCK;
            float dx = xd[xp / BLOCK];
            long scales = KQuantScales.packedScales(w, p + 4);
            float d = Float16.toFloat(w, p) * dx;
            s0 += d * lane(w, p, scales, xq, xp, 0);
            s1 += d * lane(w, p, scales, xq, xp, 1);
            s2 += d * lane(w, p, scales, xq, xp, 2);
            s3 += d * lane(w, p, scales, xq, xp, 3);
            s4 += d * lane(w, p, scales, xq, xp, 4);
            s5 += d * lane(w, p, scales, xq, xp, 5);
            s6 += d * lane(w, p, scales, xq, xp, 6);
            s7 += d * lane(w, p, scales, xq, xp, 7);
            float dmin = Float16.toFloat(w, p + 2) * dx;
            sum -= dmin * KQuantScales.minTimesSums(w, p + 4, groupSums, xp / 16);
        }
        sum += s0;
        sum += s1;
        sum += s2;
        sum += s3;
        sum += s4;
        sum += s5;
        sum += s6;
        sum += s7;
        return sum;
    }

    /**
     * ggml's {@code aux32[lane]} for the super-block at {@code w[p..]}: the sum, over its elements whose index is
     * {@code lane} mod 8, of sub-block scale times nibble times activation quant (exact integer arithmetic, so
     * the order within the lane does not matter).
     */
    private static int lane(byte[] w, int p, long scales, byte[] xq, int xp, int lane) {
        int sum = 0;
        for (int chunk = 0; chunk < 4; chunk++) {
            int lowScale = (int) (scales >>> (16 * chunk)) & 0xFF;
            int highScale = (int) (scales >>> (16 * chunk + 8)) & 0xFF;
            int q = p + 16 + 32 * chunk;
            int xl = xp + 64 * chunk;
            for (int l = lane; l < 32; l += 8) {
                int packed = w[q + l] & 0xFF;
                sum += lowScale * ((packed & 0x0F) * xq[xl + l]) + highScale * ((packed >>> 4) * xq[xl + 32 + l]);
            }
        }
        return sum;
    }
}

package dev.tealama.tensor;

/**
 * Q5_K weights: super-blocks of 256 elements in 176 bytes; Q4_K plus a fifth bit per element.
 * <pre>
 *   bytes 0-1     d          fp16 scale of the scales
 *   bytes 2-3     dmin       fp16 scale of the mins
 *   bytes 4-15    scales[12] 8 6-bit scales and 8 6-bit mins, packed (see {@link KQuantScales})
 *   bytes 16-47   qh[32]     high bits: element 64c + l has bit 2c of qh[l], element 64c + 32 + l bit 2c + 1
 *   bytes 48-175  qs[128]    low 4 bits, laid out as Q4_K's qs
 *   element = d * scale(sub-block) * (nibble + 16 * high bit) - dmin * min(sub-block)
 * </pre>
 * Dot product against Q8_K activations: {@code ggml_vec_dot_q5_K_q8_K_generic}, the same sums as Q4_K.
 */
public final class Q5_KFormat implements WeightFormat {
    public static final Q5_KFormat INSTANCE = new Q5_KFormat();

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 176;

    private Q5_KFormat() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q5_K;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_K;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.Q5_K, src, srcOffset, count);
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
                int lowBit = 1 << (2 * chunk);
                int highBit = lowBit << 1;
                int q = p + 48 + 32 * chunk;
                int y = out + 64 * chunk;
                for (int l = 0; l < 32; l++) {
                    int packed = src[q + l] & 0xFF;
                    int h = src[p + 16 + l];
                    dst[y + l] = d1 * ((packed & 0x0F) + ((h & lowBit) != 0 ? 16 : 0)) - m1;
                    dst[y + 32 + l] = d2 * ((packed >>> 4) + ((h & highBit) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.Q5_K, w, wOffset, count);
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

    /** ggml's {@code aux32[lane]}: as {@link Q4_KFormat}'s, with the fifth bit added to each nibble. */
    private static int lane(byte[] w, int p, long scales, byte[] xq, int xp, int lane) {
        int sum = 0;
        for (int chunk = 0; chunk < 4; chunk++) {
            int lowScale = (int) (scales >>> (16 * chunk)) & 0xFF;
            int highScale = (int) (scales >>> (16 * chunk + 8)) & 0xFF;
            int lowShift = 2 * chunk;
            int q = p + 48 + 32 * chunk;
            int xl = xp + 64 * chunk;
            for (int l = lane; l < 32; l += 8) {
                int packed = w[q + l] & 0xFF;
                int h = w[p + 16 + l] >>> lowShift;
                int low = (packed & 0x0F) | (h & 1) << 4;
                int high = (packed >>> 4) | (h & 2) << 3;
                sum += lowScale * (low * xq[xl + l]) + highScale * (high * xq[xl + 32 + l]);
            }
        }
        return sum;
    }
}

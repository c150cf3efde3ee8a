package dev.tealama.tensor;

/**
 * Q6_K weights: super-blocks of 256 elements in 210 bytes, 16 sub-blocks of 16 with int8 scales.
 * <pre>
 *   bytes 0-127    ql[128]    low 4 bits
 *   bytes 128-191  qh[64]     high 2 bits
 *   bytes 192-207  scales[16] int8 scale per 16 elements
 *   bytes 208-209  d          fp16 scale of the scales
 *   in half h (0..1), for l (0..31), with L = ql + 64h, H = qh[32h + l]:
 *     element 128h + l      = (L[l] &amp; 15      | (H      &amp; 3) &lt;&lt; 4) - 32
 *     element 128h + 32 + l = (L[l + 32] &amp; 15 | (H &gt;&gt; 2 &amp; 3) &lt;&lt; 4) - 32
 *     element 128h + 64 + l = (L[l] &gt;&gt; 4      | (H &gt;&gt; 4 &amp; 3) &lt;&lt; 4) - 32
 *     element 128h + 96 + l = (L[l + 32] &gt;&gt; 4 | (H &gt;&gt; 6 &amp; 3) &lt;&lt; 4) - 32
 *   value = d * scales[element / 16] * element
 * </pre>
 * Dot product against Q8_K activations ({@code ggml_vec_dot_q6_K_q8_K_generic}): per super-block eight integer
 * lane sums (lane = element index mod 8) of {@code scale * q * quant}, {@code sums[l] += (d * d_x) * aux32[l]}
 * in float; finally {@code sum = sums[0] + ... + sums[7]}, one at a time.
 */
public final class Q6_KFormat implements WeightFormat {
    public static final Q6_KFormat INSTANCE = new Q6_KFormat();

    private static final int BLOCK = 256;
    private static final int BLOCK_BYTES = 210;

    private Q6_KFormat() {
    }

    @Override
    public GgmlType type() {
        return GgmlType.Q6_K;
    }

    @Override
    public ActivationType activationType() {
        return ActivationType.Q8_K;
    }

    @Override
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int count) {
        Checks.encoded(GgmlType.Q6_K, src, srcOffset, count);
        Checks.floats(dst, dstOffset, count);
        for (int block = 0; block < count / BLOCK; block++) {
            int p = srcOffset + block * BLOCK_BYTES;
            float d = Float16.toFloat(src, p + 208);
            for (int half = 0; half < 2; half++) {
                int ql = p + 64 * half;
                int qh = p + 128 + 32 * half;
                int sc = p + 192 + 8 * half;
                int y = dstOffset + block * BLOCK + 128 * half;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int low = src[ql + l] & 0xFF;
                    int high = src[ql + l + 32] & 0xFF;
                    int bits = src[qh + l] & 0xFF;
                    dst[y + l] = d * src[sc + is] * (((low & 0x0F) | (bits & 3) << 4) - 32);
                    dst[y + l + 32] = d * src[sc + is + 2] * (((high & 0x0F) | (bits >>> 2 & 3) << 4) - 32);
                    dst[y + l + 64] = d * src[sc + is + 4] * (((low >>> 4) | (bits >>> 4 & 3) << 4) - 32);
                    dst[y + l + 96] = d * src[sc + is + 6] * (((high >>> 4) | (bits >>> 6) << 4) - 32);
                }
            }
        }
    }

    @Override
    public float dot(byte[] w, int wOffset, QuantizedVector x, int xOffset, int count) {
        Checks.encoded(GgmlType.Q6_K, w, wOffset, count);
        Checks.activations(ActivationType.Q8_K, x, xOffset, count);
        byte[] xq = x.quants();
        float[] xd = x.scales();
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        for (int block = 0; block < count / BLOCK; block++) {
            int p = wOffset + block * BLOCK_BYTES;
            int xp = xOffset + block * BLOCK;
            float d = Float16.toFloat(w, p + 208) * xd[xp / BLOCK];
            s0 += d * lane(w, p, xq, xp, 0);
            s1 += d * lane(w, p, xq, xp, 1);
            s2 += d * lane(w, p, xq, xp, 2);
            s3 += d * lane(w, p, xq, xp, 3);
            s4 += d * lane(w, p, xq, xp, 4);
            s5 += d * lane(w, p, xq, xp, 5);
            s6 += d * lane(w, p, xq, xp, 6);
            s7 += d * lane(w, p, xq, xp, 7);
        }
        float sum = 0f;
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
     * {@code lane} mod 8, of scale times 6-bit value times activation quant (exact integer arithmetic).
     */
    private static int lane(byte[] w, int p, byte[] xq, int xp, int lane) {
        int sum = 0;
        for (int half = 0; half < 2; half++) {
            int ql = p + 64 * half;
            int qh = p + 128 + 32 * half;
            int sc = p + 192 + 8 * half;
            int x0 = xp + 128 * half;
            for (int l = lane; l < 32; l += 8) {
                int is = sc + (l >>> 4);
                int low = w[ql + l] & 0xFF;
                int high = w[ql + l + 32] & 0xFF;
                int bits = w[qh + l] & 0xFF;
                int q1 = ((low & 0x0F) | (bits & 3) << 4) - 32;
                int q2 = ((high & 0x0F) | (bits >>> 2 & 3) << 4) - 32;
                int q3 = ((low >>> 4) | (bits >>> 4 & 3) << 4) - 32;
                int q4 = ((high >>> 4) | (bits >>> 6) << 4) - 32;
                sum += w[is] * (q1 * xq[x0 + l]) + w[is + 2] * (q2 * xq[x0 + 32 + l])
                        + w[is + 4] * (q3 * xq[x0 + 64 + l]) + w[is + 6] * (q4 * xq[x0 + 96 + l]);
            }
        }
        return sum;
    }
}

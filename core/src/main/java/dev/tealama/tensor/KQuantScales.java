package dev.tealama.tensor;

/**
 * The 12 bytes of 6-bit scales and mins that Q4_K and Q5_K blocks share (ggml's {@code get_scale_min_k4}).
 * Sub-block j (of 8, 32 elements each) has scale and min:
 * <pre>
 *   j &lt; 4:  scale = s[j] &amp; 63,                          min = s[j + 4] &amp; 63
 *   j &gt;= 4: scale = (s[j + 4] &amp; 15) | (s[j - 4] &gt;&gt; 6) &lt;&lt; 4,  min = (s[j + 4] &gt;&gt; 4) | (s[j] &gt;&gt; 6) &lt;&lt; 4
 * </pre>
 */
final class KQuantScales {
    private KQuantScales() {
    }

    static int scale(byte[] w, int scales, int j) {
        if (j < 4) {
            return w[scales + j] & 63;
        }
        return (w[scales + j + 4] & 0x0F) | ((w[scales + j - 4] & 0xFF) >>> 6) << 4;
    }

    static int min(byte[] w, int scales, int j) {
        if (j < 4) {
            return w[scales + j + 4] & 63;
        }
        return ((w[scales + j + 4] & 0xFF) >>> 4) | ((w[scales + j] & 0xFF) >>> 6) << 4;
    }

    /** All 8 scales, one per byte of the result (sub-block j in bits 8j..8j+7). */
    static long packedScales(byte[] w, int scales) {
        long packed = 0;
        for (int j = 0; j < 8; j++) {
            packed |= (long) scale(w, scales, j) << (8 * j);
        }
        return packed;
    }

    /** {@code sum over sub-blocks j of min(j) * (the sum of j's 32 activation quants)}, from Q8_K's sums per 16. */
    static int minTimesSums(byte[] w, int scales, short[] groupSums, int firstGroup) {
        int sum = 0;
        for (int j = 0; j < 8; j++) {
            sum += min(w, scales, j) * (groupSums[firstGroup + 2 * j] + groupSums[firstGroup + 2 * j + 1]);
        }
        return sum;
    }
}

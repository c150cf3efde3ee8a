package dev.tealama.cli.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The 12 bytes of 6-bit scales and mins that Q4_K and Q5_K blocks share (ggml's {@code get_scale_min_k4}, as
 * core's scalar kernels decode them). Bytes {@code s[0..11]}; sub-block {@code j} (of 8) has
 * <pre>
 *   j &lt; 4:  scale = s[j] &amp; 63,                              min = s[j + 4] &amp; 63
 *   j &gt;= 4: scale = (s[j + 4] &amp; 15) | (s[j - 4] &gt;&gt; 6) &lt;&lt; 4,  min = (s[j + 4] &gt;&gt; 4) | (s[j] &gt;&gt; 6) &lt;&lt; 4
 * </pre>
 * Read as three little-endian ints {@code a = s[0..3]}, {@code b = s[4..7]}, {@code c = s[8..11]}.
 */
final class KQuantScales {
    private KQuantScales() {
    }

    /** Byte {@code k} (0..3) of {@code v}. */
    private static int at(int v, int k) {
        return (v >>> (8 * k)) & 0xFF;
    }

    /** All 8 scales, sub-block {@code j} in {@code dst[j]}. */
    static void scales(MemorySegment w, long offset, int[] dst) {
        int a = w.get(Lanes.INT_LE, offset);
        int b = w.get(Lanes.INT_LE, offset + 4);
        int c = w.get(Lanes.INT_LE, offset + 8);
        for (int k = 0; k < 4; k++) {
            dst[k] = at(a, k) & 63;
            dst[k + 4] = (at(c, k) & 15) | (at(a, k) >>> 6) << 4;
        }
    }

    /** {@code Σ_j min(j) · (activation sum of sub-block j)}, from Q8_K's sums per 16 quants. */
    static int minTimesSums(MemorySegment w, long offset, short[] groupSums, int firstGroup) {
        int a = w.get(Lanes.INT_LE, offset);
        int b = w.get(Lanes.INT_LE, offset + 4);
        int c = w.get(Lanes.INT_LE, offset + 8);
        int sum = 0;
        for (int k = 0; k < 4; k++) {
            int low = at(b, k) & 63;
            int high = (at(c, k) >>> 4) | (at(b, k) >>> 6) << 4;
            sum += low * (groupSums[firstGroup + 2 * k] + groupSums[firstGroup + 2 * k + 1]);
            sum += high * (groupSums[firstGroup + 8 + 2 * k] + groupSums[firstGroup + 8 + 2 * k + 1]);
        }
        return sum;
    }
}

package dev.tealama.tensor;

/**
 * IEEE 754 half precision (binary16, ggml's {@code ggml_fp16_t}) to and from {@code float}, bit for bit as x86's
 * F16C instructions convert ({@code vcvtph2ps} / {@code vcvtps2ph} with round-to-nearest-even), which is what
 * llama.cpp's CPU backend uses.
 *
 * <p>Widening is exact; a signalling NaN comes back quiet (F16C sets the quiet bit). Narrowing rounds to nearest,
 * ties to even, into subnormals too; magnitudes from 65520 up become infinity; a NaN keeps its sign and the top
 * 10 bits of its payload and is made quiet.
 */
public final class Float16 {
    /** Every half's float value: a table makes widening one array load in the dot-product loops. */
    private static final float[] TO_FLOAT = new float[1 << 16];

    static {
        for (int h = 0; h < TO_FLOAT.length; h++) {
            TO_FLOAT[h] = Float.intBitsToFloat(widen(h));
        }
    }

    private Float16() {
    }

    /** The float value of half {@code h}. */
    public static float toFloat(short h) {
        return TO_FLOAT[h & 0xFFFF];
    }

    /** The float value of the little-endian half at {@code src[offset]}, {@code src[offset + 1]}. */
    public static float toFloat(byte[] src, int offset) {
        return TO_FLOAT[(src[offset] & 0xFF) | (src[offset + 1] & 0xFF) << 8];
    }

    /** {@code f} rounded to the nearest half (ties to even). */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7FFF_FFFF;
        int exponent = abs >>> 23;
        int mantissa = abs & 0x7F_FFFF;

        if (exponent == 0xFF) {
            // infinity stays infinity; NaN keeps the payload's top bits and becomes quiet
            return (short) (mantissa == 0 ? sign | 0x7C00 : sign | 0x7E00 | mantissa >>> 13);
        }
        if (abs >= 0x477F_F000) {
            // from 65520 up (halfway between 65504, the largest half, and 65536) the nearest half is infinity
            return (short) (sign | 0x7C00);
        }
        if (exponent >= 113) {
            // normal half: rebias the exponent (127 -> 15), keep 10 mantissa bits, round the 13 dropped ones;
            // a carry out of the mantissa correctly bumps the exponent
            int half = (exponent - 112) << 10 | mantissa >>> 13;
            return (short) (sign | roundDropped(half, mantissa & 0x1FFF, 13));
        }
        // subnormal half (or zero): value / 2^-24, rounded; the float's implicit leading 1 becomes explicit
        int shift = 126 - exponent; // 14 for the largest subnormals, growing as the value gets smaller
        if (shift > 24) {
            return (short) sign; // below 2^-25: rounds to zero (2^-25 itself is a tie and rounds to even zero)
        }
        int significand = mantissa | 0x80_0000;
        int half = significand >>> shift;
        return (short) (sign | roundDropped(half, significand & ((1 << shift) - 1), shift));
    }

    /** {@code kept} plus one if the {@code droppedBits} low bits {@code dropped} round it up (nearest, ties even). */
    private static int roundDropped(int kept, int dropped, int droppedBits) {
        int halfway = 1 << (droppedBits - 1);
        if (dropped > halfway || (dropped == halfway && (kept & 1) != 0)) {
            return kept + 1;
        }
        return kept;
    }

    /** The float bits of half {@code h} (0..65535). */
    private static int widen(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24 is exact in float
            return sign | Float.floatToRawIntBits(mantissa * 0x1p-24f);
        }
        if (exponent == 0x1F) {
            return mantissa == 0 ? sign | 0x7F80_0000 : sign | 0x7FC0_0000 | mantissa << 13;
        }
        return sign | (exponent + 112) << 23 | mantissa << 13;
    }
}

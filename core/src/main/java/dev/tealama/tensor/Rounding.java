package dev.tealama.tensor;

/**
 * The two float-to-integer roundings ggml's quantizers use, written with plain float arithmetic so that the JVM
 * and TeaVM's WebAssembly give the same answer ({@code Math.rint} and {@code Math.round} differ under TeaVM).
 */
final class Rounding {
    /** 1.5 * 2^23: adding it leaves a float's integer part, rounded to nearest even, in the low mantissa bits. */
    private static final float MAGIC = 12582912f;

    private Rounding() {
    }

    /**
     * {@code v} rounded to the nearest integer, ties to even, for |v| < 2^22: ggml's {@code nearest_int}, and the
     * same as x86's {@code _mm256_round_ps(v, _MM_ROUND_NEAREST)} on that range.
     */
    static int nearestEven(float v) {
        return (Float.floatToRawIntBits(v + MAGIC) & 0x7F_FFFF) - 0x40_0000;
    }

    /**
     * {@code v} converted as x86's {@code _mm256_round_ps(v, _MM_ROUND_NEAREST)} then {@code _mm256_cvtps_epi32}
     * do: nearest integer, ties to even; NaN and values outside the int range give {@code Integer.MIN_VALUE}
     * (x86's "integer indefinite").
     */
    static int x86RoundToInt32(float v) {
        float magnitude = Math.abs(v);
        if (magnitude < 4194304f) {
            return nearestEven(v);
        }
        if (!(magnitude < 2147483648f)) {
            return Integer.MIN_VALUE;
        }
        // from 2^22 up a float has at most one fractional bit: round the .5 cases to even by hand
        double exact = v;
        double down = Math.floor(exact);
        double up = down + 1;
        double nearest = exact - down < up - exact ? down : exact - down > up - exact ? up
                : ((long) down & 1) == 0 ? down : up;
        return nearest >= 2147483648.0 ? Integer.MIN_VALUE : (int) nearest;
    }

    /** {@code v} rounded to the nearest integer, ties away from zero: C's {@code roundf}, for |v| < 2^31. */
    static int nearestAwayFromZero(float v) {
        // in double, |v| + 0.5 is exact, so floor gives roundf's answer (in float, 0.49999997f + 0.5f would be 1)
        int magnitude = (int) Math.floor(Math.abs((double) v) + 0.5);
        return v < 0 ? -magnitude : magnitude;
    }
}

package dev.tealama.math;

/**
 * Deterministic elementary functions: the same bits on every host, equal to {@link StrictMath}.
 *
 * <p>Why this exists: TeaVM compiles {@code Math.exp} and friends to imports from the WebAssembly host, and the
 * JVM replaces {@code Math.exp} with CPU intrinsics; neither is guaranteed to agree with the other in the last
 * bit. Tealama must produce identical bits in the canister and on the JVM, so it computes these functions
 * itself, with nothing but IEEE 754 double arithmetic (which WebAssembly and the JVM both implement exactly) and
 * bit manipulation.
 *
 * <p>The algorithms are those of fdlibm (Sun's "freely distributable libm", the specification of
 * {@code StrictMath}); each result is bit for bit the one {@code StrictMath} returns, which the tests check on
 * millions of inputs. A NaN result is a NaN, but its payload bits are not specified (WebAssembly does not
 * specify NaN payloads either).
 *
 * <p>Notation in the comments: a double is viewed as two 32-bit words; the <em>high word</em> holds the sign,
 * the 11 exponent bits and the top 20 significand bits, so comparing the high word of {@code |x|} against a
 * constant compares {@code |x|} against a threshold to about 6 significant digits without any floating-point
 * operation.
 */
public final class DetMath {
    private DetMath() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bit access

    /** High word of an infinity's or NaN's absolute value: every {@code |x|} with a high word at least this is one. */
    private static final int NON_FINITE_HIGH = 0x7ff0_0000;
    /** Mask clearing the sign bit of a high word. */
    private static final int ABS_MASK = 0x7fff_ffff;
    /** Mask of the 20 significand bits in a high word. */
    private static final int HIGH_SIGNIFICAND_MASK = 0x000f_ffff;
    /** High word of 1.0: biased exponent 1023, significand 0. */
    private static final int ONE_HIGH = 0x3ff0_0000;
    /** Where the exponent field starts in the high word. */
    private static final int EXPONENT_SHIFT = 20;
    /** Smallest high word of a normal (not subnormal) positive double. */
    private static final int MIN_NORMAL_HIGH = 0x0010_0000;

    private static int highWord(double x) {
        return (int) (Double.doubleToRawLongBits(x) >> 32);
    }

    private static int lowWord(double x) {
        return (int) Double.doubleToRawLongBits(x);
    }

    private static double fromWords(int high, int low) {
        return Double.longBitsToDouble(((long) high << 32) | (low & 0xffff_ffffL));
    }

    /** {@code x} with its high word replaced. */
    private static double withHighWord(double x, int high) {
        return fromWords(high, lowWord(x));
    }

    /** {@code x} with its low 32 significand bits cleared: a "head" whose products with short numbers are exact. */
    private static double clearLowWord(double x) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) & 0xffff_ffff_0000_0000L);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Constants shared by exp, log and pow

    /**
     * ln 2 split in two: {@link #LN2_HI} has its low 32 bits zero, so {@code k * LN2_HI} is exact for every
     * integer {@code |k| < 2^20}; {@link #LN2_LO} is the rest ({@code LN2_HI + LN2_LO} = ln 2 to about 85 bits).
     */
    private static final double LN2_HI = 0x1.62e42feep-1; // 6.93147180369123816490e-01
    private static final double LN2_LO = 0x1.a39ef35793c76p-33; // 1.90821492927058770002e-10

    // ---------------------------------------------------------------------------------------------------------
    // exp

    /** Above this, e^x overflows to +Infinity (ln of the largest double, rounded). */
    private static final double EXP_OVERFLOW_THRESHOLD = 0x1.62e42fefa39efp9; // 7.09782712893383973096e+02
    /** Below this, e^x underflows to +0 (ln of half the smallest subnormal, rounded). */
    private static final double EXP_UNDERFLOW_THRESHOLD = -0x1.74910d52d3051p9; // -7.45133219101941108420e+02
    /** 1 / ln 2, rounded. */
    private static final double INV_LN2 = 0x1.71547652b82fep0; // 1.44269504088896338700e+00
    /** 2^-1000: lets exp build a subnormal result from a normal one with one final, rounding multiplication. */
    private static final double TWO_POW_MINUS_1000 = 0x1.0p-1000;

    /*
     * exp's polynomial: R(z) ~ 2 + P1*z + P2*z^2 + ... + P5*z^5 approximates r*(e^r + 1)/(e^r - 1) with
     * z = r*r on |r| <= ln2/2, error below 2^-59. pow uses the same polynomial for its 2^x step.
     */
    private static final double EXP_P1 = 0x1.555555555553ep-3; // 1.66666666666666019037e-01
    private static final double EXP_P2 = -0x1.6c16c16bebd93p-9; // -2.77777777770155933842e-03
    private static final double EXP_P3 = 0x1.1566aaf25de2cp-14; // 6.61375632143793436117e-05
    private static final double EXP_P4 = -0x1.bbd41c5d26bf1p-20; // -1.65339022054652515390e-06
    private static final double EXP_P5 = 0x1.6376972bea4d0p-25; // 4.13813679705723846039e-08

    /**
     * e raised to {@code x}; bit-identical to {@link StrictMath#exp(double)}.
     *
     * <p>exp(NaN) is NaN, exp(+Infinity) = +Infinity, exp(-Infinity) = +0; results overflow to +Infinity above
     * about 709.78 and underflow to +0 below about -745.13. The error is below 1 ulp.
     */
    public static double exp(double x) {
        int high = highWord(x);
        boolean negative = high < 0;
        int highAbs = high & ABS_MASK;

        // Non-finite arguments and arguments beyond the overflow or underflow thresholds.
        if (highAbs >= 0x4086_2e42) { // |x| >= 709.78...
            if (highAbs >= NON_FINITE_HIGH) {
                if (Double.isNaN(x)) {
                    return x + x;
                }
                return negative ? 0.0 : x; // exp(-Inf) = 0, exp(+Inf) = +Inf
            }
            if (x > EXP_OVERFLOW_THRESHOLD) {
                return Double.POSITIVE_INFINITY;
            }
            if (x < EXP_UNDERFLOW_THRESHOLD) {
                return 0.0;
            }
        }

        // Reduction: x = k*ln2 + r with |r| <= ln2/2, r held as hi - lo to keep the bits k*ln2 cancels.
        double hi = 0.0;
        double lo = 0.0;
        int k = 0;
        if (highAbs > 0x3fd6_2e42) { // |x| > ln2/2
            if (highAbs < 0x3ff0_a2b2) { // |x| < 3*ln2/2: k is +-1
                if (negative) {
                    hi = x + LN2_HI;
                    lo = -LN2_LO;
                    k = -1;
                } else {
                    hi = x - LN2_HI;
                    lo = LN2_LO;
                    k = 1;
                }
            } else {
                // Round x/ln2 to the nearest integer (the cast truncates, hence +-0.5 by sign).
                k = (int) (INV_LN2 * x + (negative ? -0.5 : 0.5));
                double kd = k;
                hi = x - kd * LN2_HI; // exact: k*LN2_HI is exact and close to x
                lo = kd * LN2_LO;
            }
            x = hi - lo;
        } else if (highAbs < 0x3e30_0000) { // |x| < 2^-28: e^x rounds to 1 + x
            return 1.0 + x;
        }

        // Polynomial: e^r = 1 + r + r*c/(2 - c) with c = r - (P1*r^2 + ... + P5*r^10).
        double rr = x * x;
        double c = x - rr * (EXP_P1 + rr * (EXP_P2 + rr * (EXP_P3 + rr * (EXP_P4 + rr * EXP_P5))));
        if (k == 0) {
            return 1.0 - ((x * c) / (c - 2.0) - x);
        }
        double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);

        // Reconstruction: e^x = 2^k * e^r, by adding k to the exponent field of y (in [0.7, 1.5]).
        if (k >= -1021) {
            return withHighWord(y, highWord(y) + (k << EXPONENT_SHIFT));
        }
        // The result is subnormal: scale by 2^(k+1000) exactly, then by 2^-1000 with one rounding.
        y = withHighWord(y, highWord(y) + ((k + 1000) << EXPONENT_SHIFT));
        return y * TWO_POW_MINUS_1000;
    }

    /** {@code (float) exp((double) x)}: e raised to a float, through the double {@link #exp(double)}. */
    public static float expf(float x) {
        return (float) exp(x);
    }

    // ---------------------------------------------------------------------------------------------------------
    // log

    /** 2^54: scales a subnormal argument into the normal range. */
    private static final double TWO_POW_54 = 0x1.0p54;

    /*
     * log's polynomial: with s = f/(2 + f), log(1 + f) = 2s + s*R(s^2), and
     * R(z) ~ LG1*z + LG2*z^2 + ... + LG7*z^7 on [0, 0.1716] with error below 2^-58.45.
     */
    private static final double LG1 = 0x1.5555555555593p-1; // 6.666666666666735130e-01
    private static final double LG2 = 0x1.999999997fa04p-2; // 3.999999999940941908e-01
    private static final double LG3 = 0x1.2492494229359p-2; // 2.857142874366239149e-01
    private static final double LG4 = 0x1.c71c51d8e78afp-3; // 2.222219843214978396e-01
    private static final double LG5 = 0x1.7466496cb03dep-3; // 1.818357216161805012e-01
    private static final double LG6 = 0x1.39a09d078c69fp-3; // 1.531383769920937332e-01
    private static final double LG7 = 0x1.2f112df3e5244p-3; // 1.479819860511658591e-01

    /**
     * The natural logarithm of {@code x}; bit-identical to {@link StrictMath#log(double)}.
     *
     * <p>log(NaN) and log of a negative number are NaN, log(+-0) = -Infinity, log(+Infinity) = +Infinity,
     * log(1) = +0. The error is below 1 ulp.
     */
    public static double log(double x) {
        int high = highWord(x);
        int low = lowWord(x);

        // Special arguments, and subnormals scaled into the normal range.
        int k = 0;
        if (high < MIN_NORMAL_HIGH) { // x < 2^-1022, or negative, or -0
            if (((high & ABS_MASK) | low) == 0) {
                return Double.NEGATIVE_INFINITY; // log(+-0)
            }
            if (high < 0) {
                return Double.NaN; // log(negative)
            }
            k -= 54;
            x *= TWO_POW_54;
            high = highWord(x);
        }
        if (high >= NON_FINITE_HIGH) {
            return x + x; // log(+Inf) = +Inf, log(NaN) = NaN
        }

        // Reduction: x = 2^k * (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2).
        k += (high >> EXPONENT_SHIFT) - 1023;
        int significandHigh = high & HIGH_SIGNIFICAND_MASK;
        // 0x95f64 is the high significand of sqrt(2): at or above it, halve the significand and bump k.
        int halve = (significandHigh + 0x9_5f64) & MIN_NORMAL_HIGH;
        x = withHighWord(x, significandHigh | (halve ^ ONE_HIGH)); // 1+f, or (1+f)/2
        k += halve >> EXPONENT_SHIFT;
        double f = x - 1.0;
        double dk = k;

        // |f| < 2^-20: two terms of the series log(1+f) = f - f^2/2 + f^3/3 suffice.
        if ((HIGH_SIGNIFICAND_MASK & (2 + significandHigh)) < 3) {
            if (f == 0.0) {
                return k == 0 ? 0.0 : dk * LN2_HI + dk * LN2_LO;
            }
            double r = f * f * (0.5 - 0.33333333333333333 * f);
            return k == 0 ? f - r : dk * LN2_HI - ((r - dk * LN2_LO) - f);
        }

        // Polynomial in s = f/(2+f), evaluated as even and odd halves.
        double s = f / (2.0 + f);
        double z = s * s;
        double w = z * z;
        double evenPart = w * (LG2 + w * (LG4 + w * LG6));
        double oddPart = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double r = oddPart + evenPart;

        // Reconstruction: log(x) = k*ln2 + log(1+f), where 2s = f - s*f = f - f^2/2 + s*f^2/2. Near the ends of
        // the interval (f in about [0.38, 0.414) or [-0.293, -0.28], i.e. significand bits between 0x6147a and
        // 0x6b851 before normalisation) f^2/2 is subtracted on its own, which is more accurate there.
        boolean largeF = ((significandHigh - 0x6_147a) | (0x6_b851 - significandHigh)) > 0;
        if (largeF) {
            double halfFSquared = 0.5 * f * f;
            if (k == 0) {
                return f - (halfFSquared - s * (halfFSquared + r));
            }
            return dk * LN2_HI - ((halfFSquared - (s * (halfFSquared + r) + dk * LN2_LO)) - f);
        }
        if (k == 0) {
            return f - s * (f - r);
        }
        return dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
    }
}

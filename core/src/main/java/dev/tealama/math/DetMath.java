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
 * <p>The algorithms and constants are those of fdlibm 5.3 (Sun's "freely distributable libm", which
 * {@code StrictMath} is specified to follow): {@code e_exp.c}, {@code e_log.c}, {@code e_pow.c}, {@code s_sin.c},
 * {@code s_cos.c}, {@code k_sin.c}, {@code k_cos.c}, {@code e_rem_pio2.c} and {@code k_rem_pio2.c}, performed
 * in the same order, so each result is bit for bit the one {@code StrictMath} returns; the tests check that on
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
     * ln 2 split in two: {@link #LN2_HI} has only 32 significant bits, so {@code k * LN2_HI} is exact for every
     * integer {@code |k| < 2000} (all that exp and log need); {@link #LN2_LO} is the rest ({@code LN2_HI + LN2_LO}
     * is ln 2 to about 85 bits).
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

    // ---------------------------------------------------------------------------------------------------------
    // pow

    /** |y| above this (about 2^31): x^y over- or underflows unless x is within 2^-20 of 1. */
    private static final double POW_HUGE_Y = 0x1.00000ffffffffp31;

    /** 1/ln2 for the huge-y branch, whole and split as a 24-bit head plus a tail. */
    private static final double INV_LN2_H = 0x1.715476p0; // 1.44269502162933349609e+00
    private static final double INV_LN2_L = 0x1.4ae0bf85ddf44p-26; // 1.92596299112661746887e-08

    /** 2/(3 ln2), whole and split as a head with a short significand plus a tail. */
    private static final double CP = 0x1.ec709dc3a03fdp-1; // 9.61796693925975554329e-01
    private static final double CP_H = 0x1.ec709ep-1; // 9.61796700954437255859e-01
    private static final double CP_L = -0x1.e2fe0145b01f5p-28; // -7.02846165095275826516e-09

    /** log2(1.5) split as head and tail: log2 of the second expansion point used by pow's log2. */
    private static final double LOG2_OF_1_5_H = 0x1.2b8034p-1; // 5.84962487220764160156e-01
    private static final double LOG2_OF_1_5_L = 0x1.cfdeb43cfd006p-27; // 1.35003920212974897128e-08

    /*
     * pow's log polynomial: with s = (x - b)/(x + b),
     * (3/2)*(log(x/b) - 2s - (2/3)s^3) ~ s^4*(POW_L1 + POW_L2*s^2 + ... + POW_L6*s^10).
     */
    private static final double POW_L1 = 0x1.3333333333303p-1; // 5.99999999999994648725e-01
    private static final double POW_L2 = 0x1.b6db6db6fabffp-2; // 4.28571428578550184252e-01
    private static final double POW_L3 = 0x1.55555518f264dp-2; // 3.33333329818377432918e-01
    private static final double POW_L4 = 0x1.17460a91d4101p-2; // 2.72728123808534006489e-01
    private static final double POW_L5 = 0x1.d864a93c9db65p-3; // 2.30660745775561754067e-01
    private static final double POW_L6 = 0x1.a7e284a454eefp-3; // 2.06975017800338417784e-01

    /** ln 2, whole and split as a 21-bit head (t*LN2_SHORT_HI is exact for a t with a short significand) and tail. */
    private static final double LN2 = 0x1.62e42fefa39efp-1; // 6.93147180559945286227e-01
    private static final double LN2_SHORT_HI = 0x1.62e43p-1; // 6.93147182464599609375e-01
    private static final double LN2_SHORT_LO = -0x1.05c610ca86c39p-29; // -1.90465429995776804525e-09

    /** -(1024 - log2(largest double + half an ulp)): decides overflow when y*log2(x) is exactly 1024. */
    private static final double POW_OVERFLOW_TAIL = 8.0085662595372944372e-17;

    /** What pow needs to know about y when x is negative. */
    private static final int Y_NOT_INTEGER = 0;
    private static final int Y_ODD_INTEGER = 1;
    private static final int Y_EVEN_INTEGER = 2;

    /**
     * {@code x} raised to {@code y}; bit-identical to {@link StrictMath#pow(double, double)}, with the special
     * cases listed there (x^0 = 1 even for NaN x; a negative x to a non-integer power is NaN; and so on).
     *
     * <p>The result is nearly rounded; an integer power of an integer is exact whenever it is representable.
     */
    public static double pow(double x, double y) {
        // Special values of y that decide the result on their own, or that have an exact shortcut.
        if (y == 0.0) {
            return 1.0;
        }
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return x + y;
        }
        double yAbs = Math.abs(y);
        double xAbs = Math.abs(x);
        if (y == 2.0) {
            return x * x;
        } else if (y == 0.5) {
            if (x >= -Double.MAX_VALUE) { // x = -Infinity goes on to the general special cases
                return Math.sqrt(x + 0.0); // + 0.0 turns -0 into +0, so pow(-0, 0.5) = +0
            }
        } else if (yAbs == 1.0) {
            return y == 1.0 ? x : 1.0 / x;
        } else if (yAbs == Double.POSITIVE_INFINITY) {
            if (xAbs == 1.0) {
                return Double.NaN; // (+-1)^(+-Inf)
            } else if (xAbs > 1.0) {
                return y >= 0 ? y : 0.0; // (|x| > 1)^(+Inf) = +Inf, ^(-Inf) = 0
            } else {
                return y < 0 ? -y : 0.0; // (|x| < 1)^(-Inf) = +Inf, ^(+Inf) = 0
            }
        }

        int xHigh = highWord(x);
        boolean xNegative = xHigh < 0;
        int xHighAbs = xHigh & ABS_MASK;

        // For negative x the parity of y decides the sign (and a non-integer y makes the result NaN).
        int yKind = Y_NOT_INTEGER;
        if (xNegative) {
            if (yAbs >= 0x1.0p53) {
                yKind = Y_EVEN_INTEGER; // every double this large is an even integer
            } else if (yAbs >= 1.0) {
                long yLong = (long) yAbs;
                if ((double) yLong == yAbs) {
                    yKind = (yLong & 1) == 0 ? Y_EVEN_INTEGER : Y_ODD_INTEGER;
                }
            }
        }

        // Special values of x: +-0, +-Infinity, +-1.
        if (xAbs == 0.0 || xAbs == Double.POSITIVE_INFINITY || xAbs == 1.0) {
            double z = y < 0.0 ? 1.0 / xAbs : xAbs;
            if (xNegative) {
                if (xHighAbs == ONE_HIGH && yKind == Y_NOT_INTEGER) {
                    return Double.NaN; // (-1)^(non-integer)
                } else if (yKind == Y_ODD_INTEGER) {
                    z = -z;
                }
            }
            return z;
        }
        if (xNegative && yKind == Y_NOT_INTEGER) {
            return Double.NaN; // (negative)^(non-integer)
        }
        double sign = xNegative && yKind == Y_ODD_INTEGER ? -1.0 : 1.0;

        // Step 1: log2(|x|) as t1 + t2, t1 with its low word cleared, to about 64 bits in all.
        double t1;
        double t2;
        if (yAbs > POW_HUGE_Y) {
            // Over- or underflow unless |x| is within 2^-20 of 1.
            if (xAbs < 0x1.fffff00000000p-1) {
                return y < 0.0 ? sign * Double.POSITIVE_INFINITY : sign * 0.0;
            }
            if (xAbs > 0x1.00000ffffffffp0) {
                return y > 0.0 ? sign * Double.POSITIVE_INFINITY : sign * 0.0;
            }
            // |x - 1| <= 2^-20: log(x) = t - t^2/2 + t^3/3 - t^4/4 is accurate enough.
            double t = xAbs - 1.0; // exact
            double w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
            // log2(x) = (t - w)/ln2 = u + v, with u = t times the head of 1/ln2.
            double u = INV_LN2_H * t;
            double v = t * INV_LN2_L - w * INV_LN2;
            t1 = clearLowWord(u + v);
            t2 = v - (t1 - u);
        } else {
            // Reduction: |x| = 2^n * m with m in [sqrt(3)/2, sqrt(3/2)), expanded around b = 1, or m in
            // [sqrt(3/2), sqrt(3)), expanded around b = 1.5.
            int n = 0;
            if (xHighAbs < MIN_NORMAL_HIGH) { // subnormal: scale into the normal range
                xAbs *= 0x1.0p53;
                n -= 53;
                xHighAbs = highWord(xAbs);
            }
            n += (xHighAbs >> EXPONENT_SHIFT) - 1023;
            int significandHigh = xHighAbs & HIGH_SIGNIFICAND_MASK;
            int mHigh = significandHigh | ONE_HIGH;
            boolean aroundOneAndAHalf;
            if (significandHigh <= 0x3_988e) { // m < sqrt(3/2)
                aroundOneAndAHalf = false;
            } else if (significandHigh < 0xb_b67a) { // m < sqrt(3)
                aroundOneAndAHalf = true;
            } else { // m >= sqrt(3): use m/2, around 1
                aroundOneAndAHalf = false;
                n += 1;
                mHigh -= MIN_NORMAL_HIGH;
            }
            double m = withHighWord(xAbs, mHigh);
            double b = aroundOneAndAHalf ? 1.5 : 1.0;
            double log2OfB = aroundOneAndAHalf ? LOG2_OF_1_5_H : 0.0;
            double log2OfBTail = aroundOneAndAHalf ? LOG2_OF_1_5_L : 0.0;

            // s = (m - b)/(m + b) as sHead + sTail, sHead with its low word cleared.
            double u = m - b;
            double v = 1.0 / (m + b);
            double s = u * v;
            double sHead = clearLowWord(s);
            // The head of m + b, built directly from the bits of m (its low word is zero).
            int sumHeadHigh = ((mHigh >> 1) | 0x2000_0000) + 0x0008_0000 + (aroundOneAndAHalf ? 1 << 18 : 0);
            double sumHead = fromWords(sumHeadHigh, 0);
            double sumTail = m - (sumHead - b);
            double sTail = v * ((u - sHead * sumHead) - sHead * sumTail);

            // log(m/b) = 2s + (2/3)s^3 + s^4*R(s^2): first the polynomial, then 3 + s^2 + r as head + tail.
            double s2 = s * s;
            double r = s2 * s2
                    * (POW_L1 + s2 * (POW_L2 + s2 * (POW_L3 + s2 * (POW_L4 + s2 * (POW_L5 + s2 * POW_L6)))));
            r += sTail * (sHead + s);
            double sHeadSquared = sHead * sHead;
            double threeHead = clearLowWord(3.0 + sHeadSquared + r);
            double threeTail = r - ((threeHead - 3.0) - sHeadSquared);

            // s*(3 + s^2 + ...) as pHead + pTail: this is (3/2)*log(m/b).
            double pu = sHead * threeHead;
            double pv = sTail * threeHead + threeTail * s;
            double pHead = clearLowWord(pu + pv);
            double pTail = pv - (pHead - pu);

            // Times 2/(3 ln2) gives log2(m/b); add log2(b) and n: log2|x| = n + log2(b) + zHead + zTail.
            double zHead = CP_H * pHead;
            double zTail = CP_L * pHead + pTail * CP + log2OfBTail;
            double dn = n;
            t1 = clearLowWord(((zHead + zTail) + log2OfB) + dn);
            t2 = zTail - (((t1 - dn) - log2OfB) - zHead);
        }

        // Step 2: y*log2|x| as pHead + pTail (y split as a 21-bit head y1 and the rest), with overflow checks.
        double y1 = clearLowWord(y);
        double pTail = (y - y1) * t1 + y * t2;
        double pHead = y1 * t1;
        double z = pTail + pHead;
        int zHigh = highWord(z);
        int zLow = lowWord(z);
        if (zHigh >= 0x4090_0000) { // z >= 1024
            if (((zHigh - 0x4090_0000) | zLow) != 0 || pTail + POW_OVERFLOW_TAIL > z - pHead) {
                return sign * Double.POSITIVE_INFINITY;
            }
        } else if ((zHigh & ABS_MASK) >= 0x4090_cc00) { // z <= -1075
            if (((zHigh - 0xc090_cc00) | zLow) != 0 || pTail <= z - pHead) {
                return sign * 0.0;
            }
        }

        // Step 3: 2^(pHead + pTail) = 2^n * 2^f with n the nearest integer and |f| <= 1/2.
        int zHighAbs = zHigh & ABS_MASK;
        int n = 0;
        if (zHighAbs > 0x3fe0_0000) { // |z| > 1/2: round z to the nearest integer n with bit operations
            int exponent = (zHighAbs >> EXPONENT_SHIFT) - 1023;
            int rounded = zHigh + (MIN_NORMAL_HIGH >> (exponent + 1)); // add 1/2 in the high word
            int roundedExponent = ((rounded & ABS_MASK) >> EXPONENT_SHIFT) - 1023;
            double integerPart = fromWords(rounded & ~(HIGH_SIGNIFICAND_MASK >> roundedExponent), 0);
            n = ((rounded & HIGH_SIGNIFICAND_MASK) | MIN_NORMAL_HIGH) >> (EXPONENT_SHIFT - roundedExponent);
            if (zHigh < 0) {
                n = -n;
            }
            pHead -= integerPart;
        }
        // f*ln2 as fe + fTail, then e^(f*ln2) with exp's polynomial.
        double t = clearLowWord(pTail + pHead);
        double u = t * LN2_SHORT_HI;
        double v = (pTail - (t - pHead)) * LN2 + t * LN2_SHORT_LO;
        double fe = u + v;
        double fTail = v - (fe - u);
        double ff = fe * fe;
        double c = fe - ff * (EXP_P1 + ff * (EXP_P2 + ff * (EXP_P3 + ff * (EXP_P4 + ff * EXP_P5))));
        double r = (fe * c) / (c - 2.0) - (fTail + fe * fTail);
        double result = 1.0 - (r - fe);

        // Reconstruction: scale by 2^n, through the exponent field unless the result is subnormal.
        int resultHigh = highWord(result) + (n << EXPONENT_SHIFT);
        if ((resultHigh >> EXPONENT_SHIFT) <= 0) {
            result = scaleToSubnormal(result, n);
        } else {
            result = withHighWord(result, resultHigh);
        }
        return sign * result;
    }

    /**
     * {@code x * 2^n} correctly rounded, for x in about [0.5, 2] and n in [-1080, -1021]: the first
     * multiplication is exact, the second rounds once (a subnormal result has fewer bits).
     */
    private static double scaleToSubnormal(double x, int n) {
        return (x * powerOfTwo(n + 1022)) * Double.MIN_NORMAL;
    }

    /** 2^n for n in [-1022, 1023] (normal doubles only). */
    private static double powerOfTwo(int n) {
        return Double.longBitsToDouble((long) (n + 1023) << 52);
    }

    // ---------------------------------------------------------------------------------------------------------
    // sin and cos
    //
    // Both reduce x to y = x - n*pi/2 with |y| <= pi/4 (y held as y0 + y1, about 100 bits), then evaluate a
    // polynomial kernel for sin or cos on y and pick the kernel and sign by n mod 4:
    //
    //     n mod 4:   0        1        2        3
    //     sin(x):    sin(y)   cos(y)  -sin(y)  -cos(y)
    //     cos(x):    cos(y)  -sin(y)  -cos(y)   sin(y)
    //
    // so cos(x) is the sin row shifted by one quadrant.

    /** High word of |x| up to which |x| <= pi/4 (about): no reduction needed. */
    private static final int PI_OVER_4_HIGH = 0x3fe9_21fb;
    /** High word of |x| below which |x| < 3pi/4: reduction by n = +-1 only. */
    private static final int THREE_PI_OVER_4_HIGH = 0x4002_d97c;
    /** High word of pi/2 (for |x| this close to pi/2 the reduction needs more bits of pi/2). */
    private static final int PI_OVER_2_HIGH = 0x3ff9_21fb;
    /** High word of |x| up to which |x| <= 2^19 * pi/2: the "medium" reduction with 33-bit pieces of pi/2. */
    private static final int MEDIUM_REDUCTION_LIMIT_HIGH = 0x4139_21fb;

    /** 2/pi to 53 bits. */
    private static final double TWO_OVER_PI = 0x1.45f306dc9c883p-1; // 6.36619772367581382433e-01
    /*
     * pi/2 in pieces: PIO2_1 is its first 33 bits, PIO2_1T = pi/2 - PIO2_1; PIO2_2 is the next 33 bits,
     * PIO2_2T = pi/2 - (PIO2_1 + PIO2_2); PIO2_3 the next 33, PIO2_3T the rest. n times a 33-bit piece is exact
     * for n < 2^20.
     */
    private static final double PIO2_1 = 0x1.921fb544p0; // 1.57079632673412561417e+00
    private static final double PIO2_1T = 0x1.0b4611a626331p-34; // 6.07710050650619224932e-11
    private static final double PIO2_2 = 0x1.0b4611a6p-34; // 6.07710050630396597660e-11
    private static final double PIO2_2T = 0x1.3198a2e037073p-69; // 2.02226624879595063154e-21
    private static final double PIO2_3 = 0x1.3198a2ep-69; // 2.02226624871116645580e-21
    private static final double PIO2_3T = 0x1.b839a252049c1p-104; // 8.47842766036889956997e-32

    /**
     * High words of n*pi/2 for n = 1..32: an argument with one of these high words may be so close to a multiple
     * of pi/2 that the first reduction step cancels too many bits, so it gets the careful path.
     */
    private static final int[] MULTIPLE_OF_PI_OVER_2_HIGH = {
        0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb,
        0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb,
        0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c,
        0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
    };

    /** sin's polynomial: sin(x) ~ x + S1*x^3 + ... + S6*x^13 on [-pi/4, pi/4], relative error below 2^-58. */
    private static final double S1 = -0x1.5555555555549p-3; // -1.66666666666666324348e-01
    private static final double S2 = 0x1.111111110f8a6p-7; // 8.33333333332248946124e-03
    private static final double S3 = -0x1.a01a019c161d5p-13; // -1.98412698298579493134e-04
    private static final double S4 = 0x1.71de357b1fe7dp-19; // 2.75573137070700676789e-06
    private static final double S5 = -0x1.ae5e68a2b9cebp-26; // -2.50507602534068634195e-08
    private static final double S6 = 0x1.5d93a5acfd57cp-33; // 1.58969099521155010221e-10

    /** cos's polynomial: cos(x) ~ 1 - x^2/2 + C1*x^4 + ... + C6*x^14 on [-pi/4, pi/4], error below 2^-58. */
    private static final double C1 = 0x1.555555555554cp-5; // 4.16666666666666019037e-02
    private static final double C2 = -0x1.6c16c16c15177p-10; // -1.38888888888741095749e-03
    private static final double C3 = 0x1.a01a019cb159p-16; // 2.48015872894767294178e-05
    private static final double C4 = -0x1.27e4f809c52adp-22; // -2.75573143513906633035e-07
    private static final double C5 = 0x1.1ee9ebdb4b1c4p-29; // 2.08757232129817482790e-09
    private static final double C6 = -0x1.8fae9be8838d4p-37; // -1.13596475577881948265e-11

    /**
     * The sine of {@code x} (radians); bit-identical to {@link StrictMath#sin(double)}.
     *
     * <p>sin(NaN) and sin(+-Infinity) are NaN; sin(+-0) = +-0. Arguments of any size are reduced exactly
     * (with as many bits of 2/pi as needed), so sin(1e300) is the true sine of that double, rounded.
     */
    public static double sin(double x) {
        int highAbs = highWord(x) & ABS_MASK;
        if (highAbs <= PI_OVER_4_HIGH) {
            return sinKernel(x, 0.0, false);
        }
        if (highAbs >= NON_FINITE_HIGH) {
            return x - x; // NaN
        }
        return reduceAndEvaluate(x, 0);
    }

    /**
     * The cosine of {@code x} (radians); bit-identical to {@link StrictMath#cos(double)}.
     *
     * <p>cos(NaN) and cos(+-Infinity) are NaN; cos(+-0) = 1. Arguments of any size are reduced exactly.
     */
    public static double cos(double x) {
        int highAbs = highWord(x) & ABS_MASK;
        if (highAbs <= PI_OVER_4_HIGH) {
            return cosKernel(x, 0.0);
        }
        if (highAbs >= NON_FINITE_HIGH) {
            return x - x; // NaN
        }
        return reduceAndEvaluate(x, 1);
    }

    /**
     * sin(x) for {@code quadrantShift} 0, cos(x) for 1, for finite |x| > pi/4: reduces x to y0 + y1 - n*pi/2
     * (fdlibm's __ieee754_rem_pio2) and evaluates the kernel the quadrant calls for.
     */
    private static double reduceAndEvaluate(double x, int quadrantShift) {
        int high = highWord(x);
        int highAbs = high & ABS_MASK;
        boolean negative = high < 0;
        double y0;
        double y1;
        int n;
        if (highAbs < THREE_PI_OVER_4_HIGH) {
            // |x| < 3pi/4: n = +-1; 33 + 53 bits of pi/2 suffice, except right next to pi/2 where x - pi/2
            // cancels 33 bits more and 33 + 33 + 53 bits are used.
            double z;
            if (!negative) {
                z = x - PIO2_1;
                if (highAbs != PI_OVER_2_HIGH) {
                    y0 = z - PIO2_1T;
                    y1 = (z - y0) - PIO2_1T;
                } else {
                    z -= PIO2_2;
                    y0 = z - PIO2_2T;
                    y1 = (z - y0) - PIO2_2T;
                }
                n = 1;
            } else {
                z = x + PIO2_1;
                if (highAbs != PI_OVER_2_HIGH) {
                    y0 = z + PIO2_1T;
                    y1 = (z - y0) + PIO2_1T;
                } else {
                    z += PIO2_2;
                    y0 = z + PIO2_2T;
                    y1 = (z - y0) + PIO2_2T;
                }
                n = -1;
            }
        } else if (highAbs <= MEDIUM_REDUCTION_LIMIT_HIGH) {
            // |x| <= 2^19*pi/2: subtract n*pi/2 in 33-bit pieces, each product exact, adding a piece only when
            // the previous step cancelled so many leading bits that its rounding error would show.
            double t = Math.abs(x);
            n = (int) (t * TWO_OVER_PI + 0.5);
            double fn = n;
            double r = t - fn * PIO2_1;
            double w = fn * PIO2_1T; // first step: good to about 85 bits
            y0 = r - w;
            // For n < 32 heavy cancellation needs x to share its high word with n*pi/2; otherwise measure it.
            if (n >= 32 || highAbs == MULTIPLE_OF_PI_OVER_2_HIGH[n - 1]) {
                int xExponent = highAbs >> EXPONENT_SHIFT;
                int cancelled = xExponent - ((highWord(y0) >> EXPONENT_SHIFT) & 0x7ff);
                if (cancelled > 16) { // second step: good to about 118 bits
                    t = r;
                    w = fn * PIO2_2;
                    r = t - w;
                    w = fn * PIO2_2T - ((t - r) - w);
                    y0 = r - w;
                    cancelled = xExponent - ((highWord(y0) >> EXPONENT_SHIFT) & 0x7ff);
                    if (cancelled > 49) { // third step: good to about 151 bits, enough for every double
                        t = r;
                        w = fn * PIO2_3;
                        r = t - w;
                        w = fn * PIO2_3T - ((t - r) - w);
                        y0 = r - w;
                    }
                }
            }
            y1 = (r - y0) - w;
            if (negative) {
                y0 = -y0;
                y1 = -y1;
                n = -n;
            }
        } else {
            // Large |x|: multiply by as many bits of 2/pi as needed (fdlibm's __kernel_rem_pio2).
            double[] y = new double[2];
            n = reduceLargeArgument(x, highAbs, y);
            y0 = y[0];
            y1 = y[1];
            if (negative) {
                y0 = -y0;
                y1 = -y1;
                n = -n;
            }
        }
        switch ((n + quadrantShift) & 3) {
            case 0:
                return sinKernel(y0, y1, true);
            case 1:
                return cosKernel(y0, y1);
            case 2:
                return -sinKernel(y0, y1, true);
            default:
                return -cosKernel(y0, y1);
        }
    }

    /**
     * sin(x + y) for |x| <= pi/4, y the tail of x (ignored unless {@code hasTail}); fdlibm's __kernel_sin.
     *
     * <p>sin(x + y) ~ sin(x) + (1 - x^2/2)*y, evaluated as x + (S1*x^3 + (x^2*(r*x^3 - y/2) + y)) with
     * r = S2 + S3*x^2 + ... + S6*x^8.
     */
    private static double sinKernel(double x, double y, boolean hasTail) {
        int highAbs = highWord(x) & ABS_MASK;
        if (highAbs < 0x3e40_0000) { // |x| < 2^-27: sin(x) rounds to x
            return x;
        }
        double z = x * x;
        double v = z * x;
        double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
        if (!hasTail) {
            return x + v * (S1 + z * r);
        }
        return x - ((z * (0.5 * y - v * r) - y) - v * S1);
    }

    /**
     * cos(x + y) for |x| <= pi/4, y the tail of x; fdlibm's __kernel_cos.
     *
     * <p>cos(x + y) ~ 1 - (x^2/2 - (r - x*y)) with r = C1*x^4 + ... + C6*x^14. For |x| >= 0.3 a chunk qx of
     * x^2/2 (exactly representable: x/4 with its low word cleared, or 0.28125) is subtracted from both 1 and
     * x^2/2 first, which makes the final subtraction lose fewer bits.
     */
    private static double cosKernel(double x, double y) {
        int highAbs = highWord(x) & ABS_MASK;
        if (highAbs < 0x3e40_0000) { // |x| < 2^-27: cos(x) rounds to 1
            return 1.0;
        }
        double z = x * x;
        double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        if (highAbs < 0x3fd3_3333) { // |x| < 0.3
            return 1.0 - (0.5 * z - (z * r - x * y));
        }
        double qx = highAbs > 0x3fe9_0000 ? 0.28125 : fromWords(highAbs - 0x0020_0000, 0); // > 0.78125 : |x|/4
        double hz = 0.5 * z - qx;
        double a = 1.0 - qx;
        return a - (hz - (z * r - x * y));
    }

    // Large-argument reduction (fdlibm's __kernel_rem_pio2, specialised to double results).

    /**
     * 2/pi in 24-bit chunks: chunk i holds bits 24i+1 .. 24i+24 after the binary point (396 hex digits, enough
     * for the largest double).
     */
    private static final int[] TWO_OVER_PI_CHUNKS = {
        0xA2F983, 0x6E4E44, 0x1529FC, 0x2757D1, 0xF534DD, 0xC0DB62, 0x95993C, 0x439041, 0xFE5163, 0xABDEBB,
        0xC561B7, 0x246E3A, 0x424DD2, 0xE00649, 0x2EEA09, 0xD1921C, 0xFE1DEB, 0x1CB129, 0xA73EE8, 0x8235F5,
        0x2EBB44, 0x84E99C, 0x7026B4, 0x5F7E41, 0x3991D6, 0x398353, 0x39F49C, 0x845F8B, 0xBDF928, 0x3B1FF8,
        0x97FFDE, 0x05980F, 0xEF2F11, 0x8B5A0A, 0x6D1F6D, 0x367ECF, 0x27CB09, 0xB74F46, 0x3F669E, 0x5FEA2D,
        0x7527BA, 0xC7EBE5, 0xF17B3D, 0x0739F7, 0x8A5292, 0xEA6BFB, 0x5FB11F, 0x8D5D08, 0x560330, 0x46FC7B,
        0x6BABF0, 0xCFBC20, 0x9AF436, 0x1DA9E3, 0x91615E, 0xE61B08, 0x659985, 0x5F14A0, 0x68408D, 0xFFD880,
        0x4D7327, 0x310606, 0x1556CA, 0x73A8C9, 0x60E27B, 0xC08C6B,
    };

    /**
     * pi/2 in 24-bit pieces: PI_OVER_2_CHUNKS[i] holds bits 24i .. 24i+23 (fdlibm's table has three more pieces
     * for quadruple precision; double results use these five).
     */
    private static final double[] PI_OVER_2_CHUNKS = {
        0x1.921fb4p0, // 1.57079625129699707031e+00
        0x1.4442dp-24, // 7.54978941586159635335e-08
        0x1.846988p-48, // 5.39030252995776476554e-15
        0x1.8cc516p-72, // 3.28200341580791294123e-22
        0x1.01b838p-96, // 1.27065575308067607349e-29
    };

    private static final double TWO_POW_24 = 0x1.0p24;
    private static final double TWO_POW_MINUS_24 = 0x1.0p-24;
    /** Chunks of 2/pi used before checking whether more are needed (fdlibm's jk for 64-bit precision). */
    private static final int INITIAL_TERMS = 4;
    /** Size of the work arrays: enough for every double (fdlibm's bound). */
    private static final int WORK_SIZE = 20;

    /**
     * Reduces finite |x| > 2^19*pi/2 (high word {@code highAbs}): stores |x| - n*pi/2 in y[0] + y[1] and returns
     * n mod 8.
     *
     * <p>Only the bits of 2/pi that matter are multiplied: |x| is split into three 24-bit integers scaled by
     * 2^e0, and chunks of 2/pi whose product with |x| is a multiple of 8 (so contributes nothing to n mod 8 or
     * to the fraction) are skipped. The product's integer part gives n; its fraction, times pi/2, gives y.
     */
    private static int reduceLargeArgument(double x, int highAbs, double[] y) {
        // |x| = 2^e0 * (xs[0] + xs[1]*2^-24 + xs[2]*2^-48), each xs[i] an integer below 2^24.
        int e0 = (highAbs >> EXPONENT_SHIFT) - 1046; // exponent of |x| minus 23
        double z = fromWords(highAbs - (e0 << EXPONENT_SHIFT), lowWord(x)); // |x| * 2^-e0, in [2^23, 2^24)
        double[] xs = new double[3];
        for (int i = 0; i < 2; i++) {
            xs[i] = (int) z;
            z = (z - xs[i]) * TWO_POW_24;
        }
        xs[2] = z;
        int xCount = 3;
        while (xs[xCount - 1] == 0.0) { // trailing zero chunks add nothing
            xCount--;
        }
        int lastX = xCount - 1;

        // First chunk of 2/pi needed: earlier ones times 2^e0 * xs[0] give multiples of 8.
        int firstChunk = Math.max(0, (e0 - 3) / 24);
        // Exponent of q[0], the leading 24-bit chunk of the product (q[i] has exponent q0 - 24i).
        int q0 = e0 - 24 * (firstChunk + 1);

        // f[i] = the chunk of 2/pi that meets xs[lastX] in q[i - lastX] (zero before the table starts).
        double[] f = new double[WORK_SIZE];
        for (int i = 0, j = firstChunk - lastX; i <= lastX + INITIAL_TERMS; i++, j++) {
            f[i] = j < 0 ? 0.0 : (double) TWO_OVER_PI_CHUNKS[j];
        }
        // q[i] = sum of xs[j] * f[lastX + i - j]: the product's 24-bit digits, not yet carried.
        double[] q = new double[WORK_SIZE];
        for (int i = 0; i <= INITIAL_TERMS; i++) {
            q[i] = productDigit(xs, lastX, f, i);
        }

        int[] iq = new int[WORK_SIZE];
        int jz = INITIAL_TERMS; // index of the last digit in q
        int n;
        int ih; // > 0 when the fraction is >= 1/2 (then it is replaced by fraction - 1, and n rounded up)
        while (true) {
            // Carry q[] into exact 24-bit integers iq[0..jz-1] (least significant first), leaving the leading
            // digit with the carry in z.
            z = q[jz];
            for (int i = 0, j = jz; j > 0; i++, j--) {
                double carry = (int) (TWO_POW_MINUS_24 * z);
                iq[i] = (int) (z - TWO_POW_24 * carry);
                z = q[j - 1] + carry;
            }

            // n = integer part of the product mod 8; z = what is left of the leading digit's fraction.
            z = scaleExactly(z, q0);
            z -= 8.0 * Math.floor(z * 0.125);
            n = (int) z;
            z -= n;
            ih = 0;
            if (q0 > 0) { // the last integer bits sit in iq[jz-1]
                int integerBits = iq[jz - 1] >> (24 - q0);
                n += integerBits;
                iq[jz - 1] -= integerBits << (24 - q0);
                ih = iq[jz - 1] >> (23 - q0);
            } else if (q0 == 0) {
                ih = iq[jz - 1] >> 23;
            } else if (z >= 0.5) {
                ih = 2;
            }

            if (ih > 0) { // fraction >= 1/2: round n up and take 1 - fraction (digit by digit)
                n += 1;
                int borrow = 0;
                for (int i = 0; i < jz; i++) {
                    int digit = iq[i];
                    if (borrow == 0) {
                        if (digit != 0) {
                            borrow = 1;
                            iq[i] = 0x100_0000 - digit;
                        }
                    } else {
                        iq[i] = 0xff_ffff - digit;
                    }
                }
                if (q0 == 1) { // drop the integer bits that share iq[jz-1] with the fraction
                    iq[jz - 1] &= 0x7f_ffff;
                } else if (q0 == 2) {
                    iq[jz - 1] &= 0x3f_ffff;
                }
                if (ih == 2) {
                    z = 1.0 - z;
                    if (borrow != 0) {
                        z -= scaleExactly(1.0, q0);
                    }
                }
            }

            // If the fraction's known digits are all zero, x is very close to a multiple of pi/2: bring in
            // more chunks of 2/pi and start over.
            if (z != 0.0) {
                break;
            }
            int orBeyondInitial = 0;
            for (int i = jz - 1; i >= INITIAL_TERMS; i--) {
                orBeyondInitial |= iq[i];
            }
            if (orBeyondInitial != 0) {
                break;
            }
            int more = 1;
            while (iq[INITIAL_TERMS - more] == 0) {
                more++;
            }
            for (int i = jz + 1; i <= jz + more; i++) {
                f[lastX + i] = TWO_OVER_PI_CHUNKS[firstChunk + i];
                q[i] = productDigit(xs, lastX, f, i);
            }
            jz += more;
        }

        // Drop trailing zero digits, or split the leading part z into 24-bit digits.
        if (z == 0.0) {
            jz -= 1;
            q0 -= 24;
            while (iq[jz] == 0) {
                jz--;
                q0 -= 24;
            }
        } else {
            z = scaleExactly(z, -q0);
            if (z >= TWO_POW_24) {
                double high = (int) (TWO_POW_MINUS_24 * z);
                iq[jz] = (int) (z - TWO_POW_24 * high);
                jz += 1;
                q0 += 24;
                iq[jz] = (int) high;
            } else {
                iq[jz] = (int) z;
            }
        }

        // The fraction as doubles: q[i] = iq[i] * 2^(q0 - 24*(jz - i)).
        double scale = scaleExactly(1.0, q0);
        for (int i = jz; i >= 0; i--) {
            q[i] = scale * iq[i];
            scale *= TWO_POW_MINUS_24;
        }

        // Times pi/2: fq[k] = sum over the digit pairs whose exponents add to the k-th place.
        double[] fq = new double[WORK_SIZE];
        for (int i = jz; i >= 0; i--) {
            double sum = 0.0;
            for (int k = 0; k <= INITIAL_TERMS && k <= jz - i; k++) {
                sum += PI_OVER_2_CHUNKS[k] * q[i + k];
            }
            fq[jz - i] = sum;
        }

        // Sum into a head y[0] and the tail y[1] it missed; negate if the fraction was replaced by 1 - fraction.
        double sum = 0.0;
        for (int i = jz; i >= 0; i--) {
            sum += fq[i];
        }
        y[0] = ih == 0 ? sum : -sum;
        double tail = fq[0] - sum;
        for (int i = 1; i <= jz; i++) {
            tail += fq[i];
        }
        y[1] = ih == 0 ? tail : -tail;
        return n & 7;
    }

    /** One uncarried 24-bit digit of |x| * 2/pi: the sum of xs[j] * f[lastX + i - j] over j. */
    private static double productDigit(double[] xs, int lastX, double[] f, int i) {
        double sum = 0.0;
        for (int j = 0; j <= lastX; j++) {
            sum += xs[j] * f[lastX + i - j];
        }
        return sum;
    }

    /** {@code x * 2^n}, exact because callers keep both 2^n and the result normal. */
    private static double scaleExactly(double x, int n) {
        return x * powerOfTwo(n);
    }
}

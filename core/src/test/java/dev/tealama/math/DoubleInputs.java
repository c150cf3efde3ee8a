package dev.tealama.math;

import java.util.Random;

/** Random doubles of the kinds that exercise the branches of fdlibm's algorithms. Seeded: runs repeat. */
final class DoubleInputs {
    private final Random random;

    DoubleInputs(long seed) {
        this.random = new Random(seed);
    }

    /** Any 64-bit pattern: every sign, exponent (subnormals, infinities, NaNs included) and significand. */
    double anyBits() {
        return Double.longBitsToDouble(random.nextLong());
    }

    /** Uniform in [lo, hi). */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Positive, with a uniformly chosen binary exponent in [minExponent, maxExponent] and a random significand. */
    double positiveWithExponent(int minExponent, int maxExponent) {
        int exponent = minExponent + random.nextInt(maxExponent - minExponent + 1);
        long significand = random.nextLong() & 0x000f_ffff_ffff_ffffL;
        double unit = Double.longBitsToDouble(((long) (exponent + 1023) << 52) | significand);
        return unit;
    }

    /** Like {@link #positiveWithExponent} with a random sign. */
    double signedWithExponent(int minExponent, int maxExponent) {
        double x = positiveWithExponent(minExponent, maxExponent);
        return random.nextBoolean() ? x : -x;
    }

    /** Positive subnormal. */
    double subnormal() {
        long significand = 1 + (random.nextLong() & 0x000f_ffff_ffff_fffeL);
        return Double.longBitsToDouble(significand);
    }

    /** Within {@code maxUlps} units in the last place of {@code center}, on either side (same sign). */
    double near(double center, int maxUlps) {
        long bits = Double.doubleToRawLongBits(center) + random.nextInt(2 * maxUlps + 1) - maxUlps;
        return Double.longBitsToDouble(bits);
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    boolean nextBoolean() {
        return random.nextBoolean();
    }
}

package dev.tealama.sampling;

/**
 * The xoshiro256++ pseudo-random generator (Blackman and Vigna), seeded from one {@code long} exactly as the
 * JDK's {@code Xoshiro256PlusPlus(long seed)} is; {@link #nextDouble()} is the JDK's {@code nextDouble()} too.
 * The tests check both against the JDK's generator, bit for bit.
 *
 * <p>Our own because {@code java.util.Random} is not an option: TeaVM ignores its seed, and the canister and the
 * JVM must draw the same numbers. Only 64-bit integer arithmetic: identical on every host.
 */
final class Xoshiro256PlusPlus {
    /** 2^64 / golden ratio, odd: the Weyl-sequence step of SplitMix64. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    /** 2^64 / silver ratio (1 + sqrt 2), odd: scrambles small seeds such as 0, 1, 2 before seeding. */
    private static final long SILVER_RATIO = 0x6a09e667f3bcc909L;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    Xoshiro256PlusPlus(long seed) {
        reseed(seed);
    }

    /** Restarts the sequence that {@code new Xoshiro256PlusPlus(seed)} produces. */
    void reseed(long seed) {
        // Four consecutive values of a SplitMix64 sequence (Stafford's "mix13" finaliser) fill the state; they
        // are never all zero, which is xoshiro's only invalid state.
        long x = seed ^ SILVER_RATIO;
        s0 = mix(x);
        s1 = mix(x + GOLDEN_GAMMA);
        s2 = mix(x + 2 * GOLDEN_GAMMA);
        s3 = mix(x + 3 * GOLDEN_GAMMA);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        long result = Long.rotateLeft(s0 + s3, 23) + s0;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1): the top 53 bits of {@link #nextLong()} as a fraction. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}

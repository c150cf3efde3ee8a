package dev.tealama.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/** Our generator against the JDK's own xoshiro256++ (java.util.random, "Xoshiro256PlusPlus"), bit for bit. */
class Xoshiro256PlusPlusTest {
    private static final long[] SEEDS = {0, 1, 2, 42, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x123456789abcdefL};

    private static RandomGenerator jdk(long seed) {
        return RandomGeneratorFactory.of("Xoshiro256PlusPlus").create(seed);
    }

    @Test
    void nextLongIsTheJdksXoshiro256PlusPlus() {
        for (long seed : SEEDS) {
            RandomGenerator expected = jdk(seed);
            Xoshiro256PlusPlus actual = new Xoshiro256PlusPlus(seed);
            for (int i = 0; i < 10_000; i++) {
                assertEquals(expected.nextLong(), actual.nextLong(), "seed " + seed + ", value " + i);
            }
        }
    }

    @Test
    void nextDoubleIsTheJdksNextDouble() {
        for (long seed : SEEDS) {
            RandomGenerator expected = jdk(seed);
            Xoshiro256PlusPlus actual = new Xoshiro256PlusPlus(seed);
            for (int i = 0; i < 10_000; i++) {
                assertEquals(expected.nextDouble(), actual.nextDouble(), "seed " + seed + ", value " + i);
            }
        }
    }

    @Test
    void reseedRestartsTheSequence() {
        Xoshiro256PlusPlus random = new Xoshiro256PlusPlus(7);
        long first = random.nextLong();
        random.nextLong();
        random.reseed(7);
        assertEquals(first, random.nextLong());
        random.reseed(8);
        assertEquals(jdk(8).nextLong(), random.nextLong());
    }
}

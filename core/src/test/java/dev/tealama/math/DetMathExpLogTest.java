package dev.tealama.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link DetMath#exp} and {@link DetMath#log} against {@link StrictMath}, bit for bit. */
class DetMathExpLogTest {
    private static final int PER_RANGE = 1_000_000;
    private static final int PER_RANGE_EXTENDED = 20_000_000;

    /** Arguments where exp's branches or its result's range change. */
    private static final double[] EXP_EDGES = {
        709.782712893384, // overflow threshold
        -745.1332191019411, // underflow threshold
        -708.3964185322641, // below: subnormal results (k < -1021)
        0.5 * Math.log(2), -0.5 * Math.log(2), // |x| = ln2/2: reduction starts
        1.5 * Math.log(2), -1.5 * Math.log(2), // |x| = 3ln2/2: k = +-1 shortcut ends
        0x1.0p-28, -0x1.0p-28, // tiny shortcut
        Math.log(2), 1.0, -1.0, 700.0, -700.0
    };

    @Test
    void expSpecialValues() {
        BitExactChecker checker = new BitExactChecker("exp");
        for (double x : specialValues()) {
            checker.check(x, DetMath::exp, StrictMath::exp);
        }
        checker.assertNoMismatch();
        assertEquals(Double.POSITIVE_INFINITY, DetMath.exp(Double.POSITIVE_INFINITY));
        assertEquals(0.0, DetMath.exp(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, DetMath.exp(0.0));
        assertEquals(1.0, DetMath.exp(-0.0));
    }

    @Test
    void expMatchesStrictMath() {
        expSweep(1, PER_RANGE);
    }

    @Tag("extended")
    @Test
    void expMatchesStrictMathExtended() {
        expSweep(101, PER_RANGE_EXTENDED);
    }

    private static void expSweep(long seed, int perRange) {
        DoubleInputs in = new DoubleInputs(seed);
        BitExactChecker checker = new BitExactChecker("exp");
        DoubleSupplier[] ranges = {
            in::anyBits,
            () -> in.uniform(-746, 710), // the whole finite-result range
            () -> in.uniform(-2, 2),
            () -> in.uniform(-750, -700), // subnormal results and underflow
            () -> in.uniform(700, 712), // near overflow
            () -> in.signedWithExponent(-60, -20), // tiny: around the 2^-28 shortcut
            () -> in.signedWithExponent(-1074, 11),
            () -> in.uniform(-30, 30), // softmax / SiLU territory
            () -> in.near(EXP_EDGES[in.nextInt(EXP_EDGES.length)], 4096),
        };
        for (DoubleSupplier range : ranges) {
            for (int i = 0; i < perRange; i++) {
                checker.check(range.getAsDouble(), DetMath::exp, StrictMath::exp);
            }
        }
        // Every float: exp is used on float activations.
        for (int i = 0; i < perRange; i++) {
            float f = Float.intBitsToFloat(in.nextInt(Integer.MAX_VALUE) | (in.nextBoolean() ? 0x8000_0000 : 0));
            checker.check(f, DetMath::exp, StrictMath::exp);
        }
        checker.assertNoMismatch();
    }

    @Test
    void expfIsTheRoundedDoubleExp() {
        DoubleInputs in = new DoubleInputs(7);
        for (int i = 0; i < PER_RANGE; i++) {
            float f = (float) in.uniform(-110, 90);
            float expected = (float) StrictMath.exp(f);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(DetMath.expf(f)),
                    "expf(" + f + ")");
        }
        assertEquals(Float.POSITIVE_INFINITY, DetMath.expf(100f));
        assertEquals(0f, DetMath.expf(-200f));
        assertEquals(true, Float.isNaN(DetMath.expf(Float.NaN)));
    }

    @Test
    void logSpecialValues() {
        BitExactChecker checker = new BitExactChecker("log");
        for (double x : specialValues()) {
            checker.check(x, DetMath::log, StrictMath::log);
        }
        checker.assertNoMismatch();
        assertEquals(Double.NEGATIVE_INFINITY, DetMath.log(0.0));
        assertEquals(Double.NEGATIVE_INFINITY, DetMath.log(-0.0));
        assertEquals(Double.POSITIVE_INFINITY, DetMath.log(Double.POSITIVE_INFINITY));
        assertEquals(true, Double.isNaN(DetMath.log(-1.0)));
        assertEquals(true, Double.isNaN(DetMath.log(Double.NEGATIVE_INFINITY)));
        assertEquals(0L, Double.doubleToRawLongBits(DetMath.log(1.0)));
    }

    @Test
    void logMatchesStrictMath() {
        logSweep(2, PER_RANGE);
    }

    @Tag("extended")
    @Test
    void logMatchesStrictMathExtended() {
        logSweep(102, PER_RANGE_EXTENDED);
    }

    private static void logSweep(long seed, int perRange) {
        DoubleInputs in = new DoubleInputs(seed);
        BitExactChecker checker = new BitExactChecker("log");
        double sqrtHalf = Math.sqrt(0.5);
        DoubleSupplier[] ranges = {
            in::anyBits,
            () -> in.positiveWithExponent(-1022, 1023), // every normal binade
            in::subnormal,
            () -> in.uniform(0, 4),
            () -> in.uniform(0.5, 2),
            () -> 1.0 + in.signedWithExponent(-60, -1), // near 1, both sides, down to f < 2^-20
            () -> in.near(1.0, 1 << 22),
            () -> in.near(Math.scalb(1.0, in.nextInt(2000) - 1000), 1 << 12), // near powers of two
            () -> in.near(Math.scalb(sqrtHalf, in.nextInt(2000) - 1000), 1 << 20), // where halving kicks in
            () -> in.positiveWithExponent(-1, 0) * (in.nextBoolean() ? 1 : -1), // negative: NaN
        };
        for (DoubleSupplier range : ranges) {
            for (int i = 0; i < perRange; i++) {
                checker.check(range.getAsDouble(), DetMath::log, StrictMath::log);
            }
        }
        for (int i = 0; i < perRange; i++) {
            float f = Float.intBitsToFloat(in.nextInt(0x7f80_0001)); // every non-negative float and +Inf, NaN
            checker.check(f, DetMath::log, StrictMath::log);
        }
        checker.assertNoMismatch();
    }

    /** Zeros, infinities, NaNs, extremes of each binade kind and small integers: shared by the special tests. */
    static double[] specialValues() {
        double[] base = {
            0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MIN_NORMAL - Double.MIN_VALUE, Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff0_0000_0000_0001L),
            Double.longBitsToDouble(0x7fff_ffff_ffff_ffffL), 1.0, 2.0, 0.5, 3.0, 10.0, Math.E, Math.PI,
            Math.PI / 2, Math.PI / 4, 1e-300, 1e300, 1e-10, 1e10, 709.0, 710.0, 745.0, 746.0, 1e-8,
            Math.nextUp(1.0), Math.nextDown(1.0), 0x1.0p-28, 0x1.0p-27, 0x1.0p-20,
        };
        double[] all = new double[base.length * 2];
        for (int i = 0; i < base.length; i++) {
            all[2 * i] = base[i];
            all[2 * i + 1] = -base[i];
        }
        return all;
    }
}

package dev.tealama.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link DetMath#pow} against {@link StrictMath#pow}, bit for bit. */
class DetMathPowTest {
    private static final int PER_RANGE = 500_000;
    private static final int PER_RANGE_EXTENDED = 20_000_000;

    /** A pair of arguments, made by one of the input kinds below. */
    private interface PairSource {
        void next(double[] xy);
    }

    @Test
    void specialValuePairs() {
        double[] specials = DetMathExpLogTest.specialValues();
        double[] extraY = {0.5, -0.5, 2.0, -2.0, 1.0, -1.0, 3.0, -3.0, 1.5, -1.5, 1.0 / 3, 0x1.0p31, 0x1.0p32,
            0x1.0p52, 0x1.0p52 + 1, 0x1.0p53, 0x1.0p53 + 2, 0x1.0p64, 1e300, 0.1, -0.1, 1074, 1075, -1074, -1075,
            1023, 1024, -1022, 2.5, -2.5, 1e-300, Double.MIN_VALUE};
        BitExactChecker checker = new BitExactChecker("pow");
        for (double x : specials) {
            for (double y : specials) {
                checker.check(x, y, DetMath::pow, StrictMath::pow);
            }
            for (double y : extraY) {
                checker.check(x, y, DetMath::pow, StrictMath::pow);
                checker.check(x, -y, DetMath::pow, StrictMath::pow);
            }
        }
        checker.assertNoMismatch();

        assertEquals(1.0, DetMath.pow(Double.NaN, 0.0));
        assertTrue(Double.isNaN(DetMath.pow(-2.0, 0.5)));
        assertTrue(Double.isNaN(DetMath.pow(1.0, Double.POSITIVE_INFINITY)));
        assertEquals(-8.0, DetMath.pow(-2.0, 3.0));
        assertEquals(Double.NEGATIVE_INFINITY, DetMath.pow(-0.0, -3.0));
        assertEquals(Double.POSITIVE_INFINITY, DetMath.pow(-0.0, -2.0));
        assertEquals(1024.0, DetMath.pow(2.0, 10.0));
        assertEquals(Double.MIN_VALUE, DetMath.pow(2.0, -1074.0));
    }

    @Test
    void matchesStrictMath() {
        sweep(3, PER_RANGE);
    }

    @Tag("extended")
    @Test
    void matchesStrictMathExtended() {
        sweep(103, PER_RANGE_EXTENDED);
    }

    private static void sweep(long seed, int perRange) {
        DoubleInputs in = new DoubleInputs(seed);
        PairSource[] kinds = {
            xy -> { // any bit patterns
                xy[0] = in.anyBits();
                xy[1] = in.anyBits();
            },
            xy -> { // ordinary magnitudes
                xy[0] = in.uniform(0, 10);
                xy[1] = in.uniform(-50, 50);
            },
            xy -> { // every binade of x, moderate y
                xy[0] = in.positiveWithExponent(-1074 + 52, 1023);
                xy[1] = in.signedWithExponent(-30, 4);
            },
            xy -> { // subnormal x
                xy[0] = in.subnormal();
                xy[1] = in.uniform(-1.2, 1.2);
            },
            xy -> { // small integer powers of small integers, either sign (exact results, sign rules)
                xy[0] = in.nextInt(41) - 20;
                xy[1] = in.nextInt(81) - 40;
            },
            xy -> { // negative x with integer, half-integer or arbitrary y
                xy[0] = -in.positiveWithExponent(-20, 20);
                int choice = in.nextInt(3);
                double whole = in.nextInt(400) - 200;
                xy[1] = choice == 0 ? whole : choice == 1 ? whole + 0.5 : in.uniform(-200, 200);
            },
            xy -> { // large integer y (parity detection up to and beyond 2^53)
                xy[0] = -in.uniform(0.999, 1.001);
                xy[1] = Math.rint(in.positiveWithExponent(20, 60)) * (in.nextBoolean() ? 1 : -1);
            },
            xy -> { // x within 2^-20 of 1 and huge y: the |y| > 2^31 branch
                xy[0] = 1.0 + in.signedWithExponent(-60, -19);
                xy[1] = in.signedWithExponent(25, 80);
            },
            xy -> { // |y| > 2^31 with x so close to 1 that the result stays finite and nonzero
                double t = in.signedWithExponent(-44, -23);
                double log2x = StrictMath.log1p(t) / StrictMath.log(2);
                double yMax = Math.max(0x1.0p31, 1070 / Math.abs(log2x));
                xy[0] = 1.0 + t;
                xy[1] = in.uniform(0x1.0p31, yMax) * (in.nextBoolean() ? 1 : -1);
            },
            xy -> { // y*log2(x) within a few ulps of exactly 1024 or -1075: the tie-breaking overflow checks
                int m = 1 + in.nextInt(200);
                double edge = in.nextBoolean() ? 1024 : -1075;
                xy[0] = in.near(StrictMath.pow(2.0, edge / m), 3);
                xy[1] = m;
            },
            xy -> { // x near 1, any y
                xy[0] = in.near(1.0, 1 << 24);
                xy[1] = in.signedWithExponent(-20, 40);
            },
            xy -> { // y*log2(x) near the overflow, subnormal and underflow edges (1024, -1022, -1075)
                double x = in.positiveWithExponent(-10, 10);
                double[] edges = {1024, -1022, -1074, -1075, -1076};
                double target = edges[in.nextInt(edges.length)] + in.uniform(-1e-12, 1e-12);
                double y = target / (StrictMath.log(x) / StrictMath.log(2));
                xy[0] = x;
                xy[1] = in.near(y, 64);
            },
            xy -> { // results through the subnormal range
                xy[0] = in.uniform(1.5, 2.5);
                xy[1] = -in.uniform(1020, 1100) / (StrictMath.log(xy[0]) / StrictMath.log(2));
            },
            xy -> { // RoPE-style theta: base^(-2i/d)
                double[] bases = {10000.0, 500000.0, 1000000.0};
                int d = 32 << in.nextInt(3);
                xy[0] = bases[in.nextInt(bases.length)];
                xy[1] = (float) (-2.0 * in.nextInt(d / 2) / d);
            },
            xy -> { // float arguments
                xy[0] = (float) in.positiveWithExponent(-126, 127);
                xy[1] = (float) in.uniform(-8, 8);
            },
        };
        BitExactChecker checker = new BitExactChecker("pow");
        double[] xy = new double[2];
        for (PairSource kind : kinds) {
            for (int i = 0; i < perRange; i++) {
                kind.next(xy);
                checker.check(xy[0], xy[1], DetMath::pow, StrictMath::pow);
            }
        }
        checker.assertNoMismatch();
    }
}

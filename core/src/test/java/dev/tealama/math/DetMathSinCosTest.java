package dev.tealama.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link DetMath#sin} and {@link DetMath#cos} against {@link StrictMath}, bit for bit. */
class DetMathSinCosTest {
    private static final int PER_RANGE = 400_000;
    private static final int PER_RANGE_EXTENDED = 10_000_000;

    /**
     * Arguments that are hard for argument reduction: doubles extremely close to multiples of pi/2 (the first is
     * the closest of all doubles, from Ng's "Argument reduction for huge arguments"), and classic large values.
     */
    private static final double[] HARD_ARGUMENTS = {
        0x1.6ac5b262ca1ffp+849, // 6381956970095103 * 2^797: the double closest to a multiple of pi/2
        1e22, 1e300, -1e300, 1e308, Double.MAX_VALUE, -Double.MAX_VALUE, 0x1.0p1023, 0x1.0p1000, 0x1.0p500,
        0x1.0p100, 0x1.0p60, 0x1.0p30, 0x1.0p20 * Math.PI, 0x1.921fb54442d18p0, 0x1.921fb54442d18p1,
        0x1.921fb54442d18p2, 0x1.921fb54442d18p19, 0x1.921fb54442d18p20, 355.0, 103993.0, 1.0e6, 3.0e8,
        Math.PI, Math.PI / 2, Math.PI / 4, 3 * Math.PI / 4, 0x1.0p-27, 0x1.0p-28, 0.3, 0.78125,
    };

    @Test
    void specialAndHardValues() {
        BitExactChecker sin = new BitExactChecker("sin");
        BitExactChecker cos = new BitExactChecker("cos");
        for (double[] list : new double[][] {DetMathExpLogTest.specialValues(), HARD_ARGUMENTS}) {
            for (double x : list) {
                for (double v : new double[] {x, -x, Math.nextUp(x), Math.nextDown(x)}) {
                    sin.check(v, DetMath::sin, StrictMath::sin);
                    cos.check(v, DetMath::cos, StrictMath::cos);
                }
            }
        }
        sin.assertNoMismatch();
        cos.assertNoMismatch();
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(DetMath.sin(-0.0)));
        assertEquals(1.0, DetMath.cos(-0.0));
        assertTrue(Double.isNaN(DetMath.sin(Double.POSITIVE_INFINITY)));
        assertTrue(Double.isNaN(DetMath.cos(Double.NEGATIVE_INFINITY)));
        assertTrue(Double.isNaN(DetMath.sin(Double.NaN)));
    }

    /** The two doubles closest to a multiple of pi/2 in every binade (see testdata/math/README.md). */
    @Test
    void hardestArgumentsOfEveryBinade() throws IOException {
        List<String> lines = Files.readAllLines(TestData.root().resolve("math/trig-hard-arguments.txt"));
        BitExactChecker sin = new BitExactChecker("sin");
        BitExactChecker cos = new BitExactChecker("cos");
        for (String line : lines) {
            double x = Double.parseDouble(line.substring(0, line.indexOf(' ')));
            for (double v : new double[] {x, -x, Math.nextUp(x), Math.nextDown(x)}) {
                sin.check(v, DetMath::sin, StrictMath::sin);
                cos.check(v, DetMath::cos, StrictMath::cos);
            }
        }
        assertTrue(sin.checked() > 7000, "hard arguments read: " + sin.checked() / 4);
        sin.assertNoMismatch();
        cos.assertNoMismatch();
    }

    @Test
    void matchesStrictMath() {
        sweep(4, PER_RANGE);
    }

    @Tag("extended")
    @Test
    void matchesStrictMathExtended() {
        sweep(104, PER_RANGE_EXTENDED);
    }

    private static void sweep(long seed, int perRange) {
        DoubleInputs in = new DoubleInputs(seed);
        double halfPi = Math.PI / 2;
        DoubleSupplier[] ranges = {
            in::anyBits,
            () -> in.uniform(-7, 7),
            () -> in.uniform(-1000, 1000),
            () -> in.uniform(-0x1.0p20 * halfPi, 0x1.0p20 * halfPi), // medium reduction and just beyond
            () -> in.signedWithExponent(-1074 + 52, 1023), // every binade, the large reduction included
            () -> in.signedWithExponent(-40, -20), // tiny: around the 2^-27 shortcut
            () -> in.near(halfPi * (1 + in.nextInt(40)), 1 << 12), // next to small multiples of pi/2
            () -> in.near(halfPi * (1 + in.nextInt(1 << 20)), 64), // next to medium multiples of pi/2
            () -> in.near(HARD_ARGUMENTS[in.nextInt(HARD_ARGUMENTS.length)], 1 << 10),
            () -> in.near(Math.scalb(halfPi, in.nextInt(1000)), 1 << 8), // pi/2 times powers of two
            () -> { // RoPE-style angles: position * base^(-2i/d), in float
                float theta = (float) StrictMath.pow(10000.0, -2.0 * in.nextInt(64) / 128);
                return (float) in.nextInt(1 << 17) * theta;
            },
        };
        BitExactChecker sin = new BitExactChecker("sin");
        BitExactChecker cos = new BitExactChecker("cos");
        for (DoubleSupplier range : ranges) {
            for (int i = 0; i < perRange; i++) {
                double x = range.getAsDouble();
                sin.check(x, DetMath::sin, StrictMath::sin);
                cos.check(x, DetMath::cos, StrictMath::cos);
            }
        }
        sin.assertNoMismatch();
        cos.assertNoMismatch();
    }
}

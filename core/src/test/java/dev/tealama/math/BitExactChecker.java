package dev.tealama.math;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Compares one of our functions with its reference ({@link StrictMath}) bit for bit on many inputs, and fails
 * with a readable list of the first disagreements. Two NaNs count as equal whatever their payloads.
 */
final class BitExactChecker {
    private static final int EXAMPLES_SHOWN = 10;

    private final String name;
    private final List<String> examples = new ArrayList<>();
    private long checked;
    private long mismatches;

    BitExactChecker(String name) {
        this.name = name;
    }

    static boolean sameBits(double expected, double actual) {
        if (Double.isNaN(expected)) {
            return Double.isNaN(actual);
        }
        return Double.doubleToRawLongBits(expected) == Double.doubleToRawLongBits(actual);
    }

    void check(double x, DoubleUnaryOperator ours, DoubleUnaryOperator reference) {
        double expected = reference.applyAsDouble(x);
        double actual = ours.applyAsDouble(x);
        checked++;
        if (!sameBits(expected, actual)) {
            record(name + "(" + describe(x) + ")", expected, actual);
        }
    }

    void check(double x, double y, DoubleBinaryOperator ours, DoubleBinaryOperator reference) {
        double expected = reference.applyAsDouble(x, y);
        double actual = ours.applyAsDouble(x, y);
        checked++;
        if (!sameBits(expected, actual)) {
            record(name + "(" + describe(x) + ", " + describe(y) + ")", expected, actual);
        }
    }

    private void record(String call, double expected, double actual) {
        mismatches++;
        if (examples.size() < EXAMPLES_SHOWN) {
            examples.add(call + ": expected " + describe(expected) + " but was " + describe(actual));
        }
    }

    long checked() {
        return checked;
    }

    /** Fails if any input disagreed with the reference. */
    void assertNoMismatch() {
        if (mismatches > 0) {
            fail(mismatches + " of " + checked + " inputs differ from StrictMath, e.g.\n  "
                    + String.join("\n  ", examples));
        }
    }

    static String describe(double x) {
        return x + " [0x" + Long.toHexString(Double.doubleToRawLongBits(x)) + "]";
    }
}

package dev.tealama.cli.canister;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NumbersTest {
    @Test
    void threeSignificantDigitsAndAUnit() {
        assertEquals("999", Numbers.big(999));
        assertEquals("1.00 K", Numbers.big(999.6));
        assertEquals("52.3 M", Numbers.big(52_258_156));
        assertEquals("1.00 B", Numbers.big(999_600_000));
        assertEquals("413 M", Numbers.big(413_405_678));
        assertEquals("40.0 B", Numbers.big(40e9));
    }
}

package dev.tealama.session;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StopStringFilterTest {
    @Test
    void holdsBackAPossibleStartAndReleasesItWhenItCannotMatch() {
        StopStringFilter f = new StopStringFilter(List.of("</end>"));
        assertEquals("abc", f.accept("abc</"));
        assertEquals("", f.accept("en"));
        assertEquals("</enx", f.accept("x"));
        assertFalse(f.stopped());
        assertEquals("", f.flush());
    }

    @Test
    void cutsAtTheStopStringEvenAcrossPieces() {
        StopStringFilter f = new StopStringFilter(List.of("STOP", "halt"));
        assertEquals("one ", f.accept("one S"));
        assertEquals("", f.accept("TOP and more"));
        assertTrue(f.stopped());
        assertEquals("", f.flush());
    }

    @Test
    void earliestStopWins() {
        StopStringFilter f = new StopStringFilter(List.of("world", "lo w"));
        assertEquals("hel", f.accept("hello world"));
        assertTrue(f.stopped());
        assertEquals("", f.accept("more"));
        assertEquals("", f.flush());
    }

    @Test
    void flushReleasesAHeldBackTail() {
        StopStringFilter f = new StopStringFilter(List.of("xyz"));
        assertEquals("ab", f.accept("abxy"));
        assertEquals("xy", f.flush());
    }
}

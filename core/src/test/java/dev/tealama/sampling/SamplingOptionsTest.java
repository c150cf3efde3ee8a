package dev.tealama.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.TealamaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SamplingOptionsTest {

    /** llama.cpp's common/common.h, struct common_params_sampling (commit de3ff81). */
    @Test
    void defaultsAreLlamaCpps() {
        SamplingOptions d = SamplingOptions.defaults(1234);
        assertEquals(0.80f, d.temperature());
        assertEquals(40, d.topK());
        assertEquals(0.95f, d.topP());
        assertEquals(0.05f, d.minP());
        assertEquals(1.00f, d.repeatPenalty());
        assertEquals(64, d.repeatLastN());
        assertEquals(1234, d.seed());
        assertFalse(d.isGreedy());
        assertFalse(d.penalizesRepetition());
    }

    @Test
    void greedyHasTemperatureZero() {
        assertTrue(SamplingOptions.greedy().isGreedy());
        assertEquals(0f, SamplingOptions.greedy().temperature());
        assertEquals(5L, SamplingOptions.greedy().withSeed(5).seed());
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheOption() {
        assertRejected("temperature", () -> options(-0.1f, 40, 0.95f, 0.05f, 1f, 64));
        assertRejected("temperature", () -> options(Float.NaN, 40, 0.95f, 0.05f, 1f, 64));
        assertRejected("temperature", () -> options(Float.POSITIVE_INFINITY, 40, 0.95f, 0.05f, 1f, 64));
        assertRejected("top_k", () -> options(0.8f, -1, 0.95f, 0.05f, 1f, 64));
        assertRejected("top_p", () -> options(0.8f, 40, 0f, 0.05f, 1f, 64));
        assertRejected("top_p", () -> options(0.8f, 40, 1.01f, 0.05f, 1f, 64));
        assertRejected("top_p", () -> options(0.8f, 40, Float.NaN, 0.05f, 1f, 64));
        assertRejected("min_p", () -> options(0.8f, 40, 0.95f, -0.01f, 1f, 64));
        assertRejected("min_p", () -> options(0.8f, 40, 0.95f, 1.5f, 1f, 64));
        assertRejected("repeat_penalty", () -> options(0.8f, 40, 0.95f, 0.05f, 0f, 64));
        assertRejected("repeat_penalty", () -> options(0.8f, 40, 0.95f, 0.05f, -1f, 64));
        assertRejected("repeat_penalty", () -> options(0.8f, 40, 0.95f, 0.05f, Float.MIN_VALUE, 64));
        assertRejected("repeat_penalty", () -> options(0.8f, 40, 0.95f, 0.05f, Float.NaN, 64));
        assertRejected("repeat_last_n", () -> options(0.8f, 40, 0.95f, 0.05f, 1.1f, -1));
        assertRejected("repeat_last_n", () -> options(0.8f, 40, 0.95f, 0.05f, 1.1f, Integer.MAX_VALUE));
    }

    @Test
    void acceptsTheEdgesOfEachRange() {
        options(0f, 0, 1f, 0f, 1f, 0);
        options(100f, Integer.MAX_VALUE, Float.MIN_VALUE, 1f, 1e30f, SamplingOptions.MAX_REPEAT_LAST_N);
    }

    private static SamplingOptions options(float t, int k, float p, float minP, float penalty, int lastN) {
        return new SamplingOptions(t, k, p, minP, penalty, lastN, 0);
    }

    private static void assertRejected(String option, Executable construction) {
        TealamaException e = assertThrows(TealamaException.class, construction);
        assertTrue(e.getMessage().startsWith(option + " "), e.getMessage());
    }
}

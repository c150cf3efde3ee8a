package dev.tealama.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SamplerPropertiesTest {

    /** The sampler's distribution equals the chain written from its definitions, for any options and history. */
    @Property(tries = 500)
    void distributionMatchesTheDefinitions(@ForAll("logits") float[] logits,
            @ForAll @IntRange(min = 0, max = 4) int temperatureChoice, @ForAll @IntRange(min = 0, max = 40) int topK,
            @ForAll("topP") float topP, @ForAll("minP") float minP,
            @ForAll @IntRange(min = 0, max = 3) int penaltyChoice, @ForAll @IntRange(min = 0, max = 8) int lastN,
            @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1000) Integer> history) {
        float temperature = new float[] {0f, 0.3f, 0.8f, 1f, 2.5f}[temperatureChoice];
        float penalty = new float[] {1f, 1.1f, 1.5f, 0.7f}[penaltyChoice];
        SamplingOptions options = new SamplingOptions(temperature, topK, topP, minP, penalty, lastN, 1);
        Sampler sampler = new Sampler(options, logits.length);
        List<Integer> accepted = new ArrayList<>();
        for (int token : history) {
            accepted.add(token % logits.length);
            sampler.accept(token % logits.length);
        }
        double[] expected = ReferenceChain.distribution(options, logits, accepted);
        double[] actual = sampler.distribution(logits);
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected[i], actual[i], 1e-9, () -> Arrays.toString(actual) + " " + options);
        }
    }

    /** The selection of the best m tokens is the prefix of a full sort (score descending, then id ascending). */
    @Property(tries = 500)
    void selectBestIsAFullSortsPrefix(@ForAll("logits") float[] scores,
            @ForAll @IntRange(min = 1, max = 60) int m) {
        int n = scores.length;
        int keep = Math.min(m, n);
        int[] out = new int[n];
        TopSelection.selectBest(scores, null, n, keep, out);
        Integer[] ids = new Integer[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        Arrays.sort(ids, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        int[] expected = new int[keep];
        for (int i = 0; i < keep; i++) {
            expected[i] = ids[i];
        }
        assertArrayEquals(expected, Arrays.copyOf(out, keep));
    }

    @Provide
    Arbitrary<float[]> logits() {
        // Few distinct values, so that ties are common; some impossible tokens.
        Arbitrary<Float> value = Arbitraries.oneOf(
                Arbitraries.of(-2f, -1f, 0f, 0.5f, 1f, 3f, Float.NEGATIVE_INFINITY),
                Arbitraries.floats().between(-8f, 8f));
        return value.array(float[].class).ofMinSize(1).ofMaxSize(50)
                .filter(a -> {
                    for (float f : a) {
                        if (f != Float.NEGATIVE_INFINITY) {
                            return true;
                        }
                    }
                    return false;
                });
    }

    @Provide
    Arbitrary<Float> topP() {
        return Arbitraries.oneOf(Arbitraries.of(0.05f, 0.5f, 0.95f, 1f),
                Arbitraries.floats().between(0.001f, 1f).ofScale(4));
    }

    @Provide
    Arbitrary<Float> minP() {
        return Arbitraries.oneOf(Arbitraries.of(0f, 0.05f, 0.5f, 1f), Arbitraries.floats().between(0f, 1f).ofScale(4));
    }
}

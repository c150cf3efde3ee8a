package dev.tealama.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import dev.tealama.TealamaException;
import dev.tealama.model.Kernels;
import dev.tealama.model.Matrix;
import dev.tealama.tensor.QuantizedVector;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    /** Llama 3's vocabulary size: the size the scratch arrays and the selection are built for. */
    private static final int LLAMA3_VOCAB = 128_256;

    /** Logits whose softmax (at temperature 1) is {@code probabilities}. */
    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) StrictMath.log(probabilities[i]);
        }
        return logits;
    }

    private static SamplingOptions only(float temperature, int topK, float topP, float minP) {
        return new SamplingOptions(temperature, topK, topP, minP, 1f, 64, 0);
    }

    private static void assertDistribution(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            int token = i;
            assertEquals(expected[i], actual[i], 1e-6, () -> "probability of token " + token
                    + (actual.length <= 100 ? " in " + Arrays.toString(actual) : ""));
        }
    }

    private static float[] randomLogits(int n, long seed, double spread) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (random.nextGaussian() * spread);
        }
        return logits;
    }

    // --- greedy ---

    @Test
    void greedyIsTheArgmax() {
        for (long seed = 0; seed < 20; seed++) {
            float[] logits = randomLogits(1000, seed, 3);
            int argmax = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[argmax]) {
                    argmax = i;
                }
            }
            Sampler sampler = new Sampler(SamplingOptions.greedy().withSeed(seed), logits.length);
            assertEquals(argmax, sampler.sample(logits));
            assertEquals(argmax, sampler.sample(logits), "greedy does not depend on earlier draws");
        }
    }

    /** Kernels whose argmax is the default scan of {@link Kernels}, counting its calls. */
    private static final class CountingKernels implements Kernels {
        int argmaxCalls;

        @Override
        public void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int argmax(float[] values, int n) {
            argmaxCalls++;
            return Kernels.super.argmax(values, n);
        }

        @Override
        public String name() {
            return "counting";
        }
    }

    @Test
    void theKernelsArgmaxIsTheScansChoice() {
        float ninf = Float.NEGATIVE_INFINITY;
        float[][] cases = {
            {1, 0, 3, 3, -1, 3}, {-0f, 0f, -1}, {0f, -0f, -1}, {ninf, ninf, 5, ninf}, {ninf, ninf, ninf},
            {Float.MAX_VALUE, Float.POSITIVE_INFINITY, 1}, {2, Float.NaN, 3}, {Float.NaN}, {7},
        };
        int[] expected = {2, 0, 0, 2, 0, 1, -1, -1, 0};
        CountingKernels kernels = new CountingKernels();
        for (int c = 0; c < cases.length; c++) {
            assertEquals(expected[c], kernels.argmax(cases[c], cases[c].length), Arrays.toString(cases[c]));
        }
        assertEquals(-1, kernels.argmax(new float[0], 0));
        for (long seed = 0; seed < 10; seed++) {
            float[] logits = randomLogits(1000, seed, 3);
            logits[(int) (seed * 97 % 1000)] = 50; // a tie between two tokens when seeds repeat a position below
            logits[(int) (seed * 31 % 1000)] = 50;
            assertEquals(new Sampler(SamplingOptions.greedy(), 1000).sample(logits),
                    new Sampler(SamplingOptions.greedy(), 1000, kernels).sample(logits));
        }
        assertTrue(kernels.argmaxCalls >= 10, "the sampler used the kernels' argmax");
        // a NaN: the scan names it, as without kernels
        Sampler sampler = new Sampler(SamplingOptions.greedy(), 4, kernels);
        TealamaException nan = assertThrows(TealamaException.class,
                () -> sampler.sample(new float[] {0, 1, Float.NaN, 2}));
        assertTrue(nan.getMessage().contains("token 2"), nan.getMessage());
        assertThrows(TealamaException.class, () -> sampler.sample(new float[] {0, Float.POSITIVE_INFINITY, 1, 2}));
        assertThrows(TealamaException.class, () -> sampler.sample(new float[] {ninf, ninf, ninf, ninf}));
    }

    @Test
    void greedyBreaksTiesTowardsTheLowestId() {
        Sampler sampler = new Sampler(SamplingOptions.greedy(), 6);
        assertEquals(2, sampler.sample(new float[] {1, 0, 3, 3, -1, 3}));
        assertEquals(0, sampler.sample(new float[] {5, 5, 5, 5, 5, 5}));
        assertEquals(4, sampler.sample(new float[] {Float.NEGATIVE_INFINITY, -9, -9, -9, -2, -3}));
    }

    @Test
    void temperatureZeroIgnoresTheFilters() {
        float[] logits = {0, 1, 2, 10, 2};
        Sampler sampler = new Sampler(new SamplingOptions(0f, 1, 0.01f, 1f, 1f, 64, 99), logits.length);
        assertEquals(3, sampler.sample(logits));
    }

    // --- each filter on a hand-built distribution: probabilities 0.5, 0.3, 0.15, 0.05 ---

    private static final float[] FOUR = logitsOf(0.5, 0.3, 0.15, 0.05);

    @Test
    void noFilterSamplesTheSoftmax() {
        assertDistribution(new double[] {0.5, 0.3, 0.15, 0.05},
                new Sampler(only(1f, 0, 1f, 0f), 4).distribution(FOUR));
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertDistribution(new double[] {0.625, 0.375, 0, 0}, new Sampler(only(1f, 2, 1f, 0f), 4).distribution(FOUR));
        assertDistribution(new double[] {1, 0, 0, 0}, new Sampler(only(1f, 1, 1f, 0f), 4).distribution(FOUR));
        assertDistribution(new double[] {0.5, 0.3, 0.15, 0.05},
                new Sampler(only(1f, 4, 1f, 0f), 4).distribution(FOUR));
        assertDistribution(new double[] {0.5, 0.3, 0.15, 0.05},
                new Sampler(only(1f, 1000, 1f, 0f), 4).distribution(FOUR));
    }

    @Test
    void topKBreaksTiesTowardsTheLowestId() {
        float[] logits = {1, 2, 2, 2, 0};
        double[] p = new Sampler(only(1f, 2, 1f, 0f), 5).distribution(logits);
        assertDistribution(new double[] {0, 0.5, 0.5, 0, 0}, p);
    }

    /** Top-p keeps the smallest set of most likely tokens whose probability adds up to at least p. */
    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        assertDistribution(new double[] {1, 0, 0, 0}, new Sampler(only(1f, 0, 0.4f, 0f), 4).distribution(FOUR));
        assertDistribution(new double[] {0.625, 0.375, 0, 0},
                new Sampler(only(1f, 0, 0.6f, 0f), 4).distribution(FOUR));
        assertDistribution(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0},
                new Sampler(only(1f, 0, 0.85f, 0f), 4).distribution(FOUR));
        assertDistribution(new double[] {0.5, 0.3, 0.15, 0.05},
                new Sampler(only(1f, 0, 0.96f, 0f), 4).distribution(FOUR));
    }

    /** Min-p keeps the tokens at least p times as likely as the most likely one. */
    @Test
    void minPKeepsTokensAtLeastPTimesTheBest() {
        assertDistribution(new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0},
                new Sampler(only(1f, 0, 1f, 0.2f), 4).distribution(FOUR));
        assertDistribution(new double[] {0.625, 0.375, 0, 0},
                new Sampler(only(1f, 0, 1f, 0.4f), 4).distribution(FOUR));
        assertDistribution(new double[] {1, 0, 0, 0}, new Sampler(only(1f, 0, 1f, 1f), 4).distribution(FOUR));
        assertDistribution(new double[] {0.5, 0.3, 0.15, 0.05},
                new Sampler(only(1f, 0, 1f, 0.05f), 4).distribution(FOUR));
    }

    /** Temperature T turns probabilities p into p^(1/T), renormalised. */
    @Test
    void temperatureSharpensOrFlattens() {
        double[] p = {0.5, 0.3, 0.15, 0.05};
        for (float t : new float[] {0.5f, 2f, 0.8f}) {
            double[] expected = new double[4];
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                expected[i] = StrictMath.pow(p[i], 1 / (double) t);
                sum += expected[i];
            }
            for (int i = 0; i < 4; i++) {
                expected[i] /= sum;
            }
            assertDistribution(expected, new Sampler(only(t, 0, 1f, 0f), 4).distribution(FOUR));
        }
    }

    /**
     * llama.cpp applies top-p and min-p before temperature: at temperature 3 the distribution is much flatter,
     * but the survivors are still chosen by their temperature-1 probabilities.
     */
    @Test
    void filtersJudgeProbabilitiesBeforeTemperature() {
        double a = StrictMath.pow(0.5, 1 / 3.0);
        double b = StrictMath.pow(0.3, 1 / 3.0);
        assertDistribution(new double[] {a / (a + b), b / (a + b), 0, 0},
                new Sampler(only(3f, 0, 0.6f, 0f), 4).distribution(FOUR));
        assertDistribution(new double[] {a / (a + b), b / (a + b), 0, 0},
                new Sampler(only(3f, 0, 1f, 0.4f), 4).distribution(FOUR));
    }

    @Test
    void filtersCombineInOrder() {
        // Top-k 3 leaves 0.5, 0.3, 0.15, renormalised to 0.526, 0.316, 0.158. Top-p 0.8 keeps the first two
        // (0.526 < 0.8 <= 0.842). Min-p 0.5 keeps both (0.316 / 0.526 = 0.6 >= 0.5).
        assertDistribution(new double[] {0.625, 0.375, 0, 0},
                new Sampler(only(1f, 3, 0.8f, 0.5f), 4).distribution(FOUR));
    }

    // --- matches the chain written from its definitions, on a Llama 3 sized vocabulary ---

    @Test
    void llamaCppDefaultsOnAFullVocabularyMatchTheDefinitions() {
        for (long seed = 0; seed < 3; seed++) {
            float[] logits = randomLogits(LLAMA3_VOCAB, seed, 2.5);
            SamplingOptions options = SamplingOptions.defaults(seed);
            assertDistribution(ReferenceChain.distribution(options, logits, List.of()),
                    new Sampler(options, LLAMA3_VOCAB).distribution(logits));
        }
    }

    /** Without top-k, top-p looks at the best 256 tokens first and more when their mass is too small. */
    @Test
    void topPWithoutTopKMatchesTheDefinitions() {
        float[][] cases = {randomLogits(LLAMA3_VOCAB, 7, 4), randomLogits(LLAMA3_VOCAB, 8, 0.3),
                           randomLogits(5000, 9, 1)};
        for (float[] logits : cases) {
            for (float topP : new float[] {0.5f, 0.95f, 0.999f}) {
                SamplingOptions options = new SamplingOptions(0.7f, 0, topP, 0f, 1f, 64, 0);
                assertDistribution(ReferenceChain.distribution(options, logits, List.of()),
                        new Sampler(options, logits.length).distribution(logits));
            }
        }
    }

    // --- the draw ---

    @Test
    void sameSeedSameTokensDifferentSeedDifferentTokens() {
        float[] logits = randomLogits(1000, 3, 0.5);
        int[] a = draws(new Sampler(SamplingOptions.defaults(11), logits.length), logits, 200);
        int[] b = draws(new Sampler(SamplingOptions.defaults(11), logits.length), logits, 200);
        int[] c = draws(new Sampler(SamplingOptions.defaults(12), logits.length), logits, 200);
        assertArrayEquals(a, b);
        assertNotEquals(Arrays.toString(a), Arrays.toString(c));
    }

    @Test
    void resetRestartsTheSequenceAndForgetsTheHistory() {
        float[] logits = randomLogits(1000, 4, 0.5);
        SamplingOptions options = new SamplingOptions(1f, 40, 0.95f, 0.05f, 1.3f, 64, 5);
        Sampler sampler = new Sampler(options, logits.length);
        int[] first = draws(sampler, logits, 100);
        sampler.reset();
        assertArrayEquals(first, draws(sampler, logits, 100));
    }

    private static int[] draws(Sampler sampler, float[] logits, int count) {
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = sampler.sample(logits);
            sampler.accept(tokens[i]);
        }
        return tokens;
    }

    /**
     * 100,000 draws against the softmax computed here with StrictMath: Pearson's chi-square statistic stays
     * below the 0.1% critical value (the draws are seeded, so the outcome is fixed, not flaky).
     */
    @Test
    void drawsFollowTheSoftmax() {
        float[] logits = {2.0f, 1.5f, 1.0f, 0.5f, 0.0f, -0.5f, -1.0f, 3.0f};
        float temperature = 0.7f;
        double[] expected = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            expected[i] = StrictMath.exp(logits[i] / (double) temperature);
            sum += expected[i];
        }
        int draws = 100_000;
        for (int i = 0; i < logits.length; i++) {
            expected[i] = expected[i] / sum * draws;
            assertTrue(expected[i] >= 5, "chi-square needs expected counts of at least 5");
        }
        for (long seed : new long[] {1, 2, 3}) {
            Sampler sampler = new Sampler(new SamplingOptions(temperature, 0, 1f, 0f, 1f, 64, seed), logits.length);
            int[] observed = new int[logits.length];
            for (int i = 0; i < draws; i++) {
                observed[sampler.sample(logits)]++;
            }
            double chiSquare = 0;
            for (int i = 0; i < logits.length; i++) {
                double d = observed[i] - expected[i];
                chiSquare += d * d / expected[i];
            }
            // 7 degrees of freedom: P(chi2 > 24.32) = 0.001.
            assertTrue(chiSquare < 24.32, "chi-square " + chiSquare + " for " + Arrays.toString(observed));
        }
    }

    @Test
    void neverDrawsAFilteredOrImpossibleToken() {
        float[] logits = {0, 5, Float.NEGATIVE_INFINITY, 4.9f, -20, 5};
        Sampler sampler = new Sampler(new SamplingOptions(1.5f, 3, 1f, 0f, 1f, 64, 3), logits.length);
        for (int i = 0; i < 10_000; i++) {
            int token = sampler.sample(logits);
            assertTrue(token == 1 || token == 3 || token == 5, "drew " + token);
        }
    }

    // --- repetition penalty ---

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        SamplingOptions options = new SamplingOptions(0f, 40, 0.95f, 0.05f, 2f, 64, 0);
        Sampler sampler = new Sampler(options, 3);
        float[] logits = {3f, 2f, -1f};
        assertEquals(0, sampler.sample(logits));
        sampler.accept(0);  // 3 -> 1.5: token 1 (2) now wins
        assertEquals(1, sampler.sample(logits));
        sampler.accept(1);  // 2 -> 1: token 0 (1.5) wins again
        assertEquals(0, sampler.sample(logits));

        float[] negative = {-1f, -1.5f, -3f};
        Sampler other = new Sampler(options, 3);
        other.accept(0);  // -1 -> -2: token 1 (-1.5) wins
        assertEquals(1, other.sample(negative));
        assertEquals(-1f, negative[0], "the caller's logits are not modified");
    }

    @Test
    void repetitionPenaltyCountsATokenOnceAndOnlyInTheWindow() {
        SamplingOptions options = new SamplingOptions(1f, 0, 1f, 0f, 2f, 3, 0);
        Sampler sampler = new Sampler(options, 4);
        float[] logits = {4f, 2f, 1f, 0f};
        List<Integer> accepted = new ArrayList<>();
        for (int token : new int[] {0, 0, 0, 1, 2, 3, 3, 3}) {
            sampler.accept(token);
            accepted.add(token);
            assertDistribution(ReferenceChain.distribution(options, logits, accepted), sampler.distribution(logits));
        }
        // Three times token 0 is still one division by 2 (logit 2, not 0.5).
        Sampler thrice = new Sampler(options, 4);
        thrice.accept(0);
        thrice.accept(0);
        thrice.accept(0);
        double[] p = thrice.distribution(logits);
        assertEquals(1.0, p[0] / p[1], 1e-9);
    }

    // --- no garbage per token ---

    @Test
    void samplingAFullVocabularyAllocatesNothingPerToken() {
        // HotSpot counts the bytes each thread allocates (com.sun.management.ThreadMXBean).
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof ThreadMXBean);
        ThreadMXBean threads = (ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        float[] logits = randomLogits(LLAMA3_VOCAB, 1, 2);
        for (SamplingOptions options : List.of(SamplingOptions.defaults(1),
                new SamplingOptions(0.8f, 0, 0.9f, 0.05f, 1.1f, 64, 2), SamplingOptions.greedy())) {
            Sampler sampler = new Sampler(options, LLAMA3_VOCAB);
            draws(sampler, logits, 3);
            long thread = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(thread);
            int sum = 0;
            for (int i = 0; i < 20; i++) {
                int token = sampler.sample(logits);
                sampler.accept(token);
                sum += token;
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            // One 128k-token float array is 513 KB; 20 tokens allocate far less than one.
            assertTrue(allocated < 16 * 1024, options + " allocated " + allocated + " bytes (" + sum + ")");
        }
    }

    // --- bad input ---

    @Test
    void rejectsBadLogitsAndTokens() {
        Sampler sampler = new Sampler(SamplingOptions.defaults(0), 4);
        assertThrows(TealamaException.class, () -> sampler.sample(new float[3]));
        assertThrows(TealamaException.class, () -> sampler.sample(null));
        TealamaException nan = assertThrows(TealamaException.class,
                () -> sampler.sample(new float[] {0, Float.NaN, 1, 2}));
        assertTrue(nan.getMessage().contains("token 1"), nan.getMessage());
        assertThrows(TealamaException.class, () -> sampler.sample(new float[] {0, Float.POSITIVE_INFINITY, 1, 2}));
        float ninf = Float.NEGATIVE_INFINITY;
        assertThrows(TealamaException.class, () -> sampler.sample(new float[] {ninf, ninf, ninf, ninf}));
        assertThrows(TealamaException.class, () -> sampler.accept(4));
        assertThrows(TealamaException.class, () -> sampler.accept(-1));
        assertThrows(TealamaException.class, () -> new Sampler(SamplingOptions.defaults(0), 0));
        assertThrows(TealamaException.class, () -> new Sampler(null, 10));
    }
}

package dev.tealama.session;

import dev.tealama.TealamaException;
import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.model.ForwardPass;
import dev.tealama.model.Kernels;
import dev.tealama.model.Matrix;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.NumericScheme;
import dev.tealama.model.ScalarKernels;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step contract and the generation rules, on stories260K (whose greedy continuation llama.cpp recorded in
 * testdata/reference/greedy.jsonl).
 */
class GenerationSessionTest {
    private static LlamaModel model;
    private static Reference.Greedy reference;

    @BeforeAll
    static void load() {
        model = LlamaModel.load(new ArrayByteSource(TestData.readModel("stories260K.gguf")));
        reference = Reference.greedy(TestData.root().resolve("reference"), "stories260K.gguf");
    }

    private static GenerationSession session(int contextSize, int maxBatch) {
        ForwardPass fp = model.newForwardPass(new ScalarKernels(), NumericScheme.LLAMA_CPP, contextSize, maxBatch);
        return new GenerationSession(model, fp);
    }

    /** Runs to the end; returns every step's result. */
    private static List<StepResult> drain(GenerationSession s, StepBudget budget) {
        java.util.ArrayList<StepResult> steps = new java.util.ArrayList<>();
        for (int guard = 0; guard < 100_000 && !s.isDone(); guard++) {
            steps.add(s.step(budget));
        }
        assertTrue(s.isDone(), "generation did not finish");
        return steps;
    }

    private static int[] tokens(List<StepResult> steps) {
        return steps.stream().flatMapToInt(r -> Arrays.stream(r.tokens())).toArray();
    }

    private static String text(List<StepResult> steps) {
        StringBuilder b = new StringBuilder();
        steps.forEach(r -> b.append(r.text()));
        return b.toString();
    }

    @Test
    void unlimitedBudgetGivesLlamaCppsGreedyContinuation() {
        GenerationSession s = session(128, 16);
        s.start(reference.promptIds(), GenerationOptions.greedy(reference.genIds().length));
        List<StepResult> steps = drain(s, StepBudget.unlimited());
        assertEquals(1, steps.size(), "an unlimited step runs to the end");
        assertArrayEquals(reference.genIds(), tokens(steps));
        assertEquals(reference.text(), text(steps));
        StepResult last = steps.get(steps.size() - 1);
        assertEquals(FinishReason.MAX_TOKENS, last.finishReason());
        assertEquals(reference.promptIds().length, last.counters().promptTokensDone());
        assertEquals(reference.genIds().length, last.counters().generatedTokens());
    }

    @Test
    void smallBudgetsSplitTheWorkButNotTheResult() {
        long layerOfOneToken = 5 * (64L * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 172 * 64) / 5; // one layer, one token
        for (long budget : new long[]{layerOfOneToken + 6_000, 3 * layerOfOneToken, 40 * layerOfOneToken}) {
            GenerationSession s = session(128, 4);
            s.start(reference.promptIds(), GenerationOptions.greedy(reference.genIds().length));
            long before = 0;
            List<StepResult> steps = new java.util.ArrayList<>();
            while (!s.isDone()) {
                StepResult r = s.step(StepBudget.ofWork(budget));
                long spent = r.counters().workUnits() - before;
                assertTrue(spent <= budget, "a step spent " + spent + " of a budget of " + budget);
                assertTrue(spent > 0, "a step made no progress");
                before = r.counters().workUnits();
                steps.add(r);
            }
            assertArrayEquals(reference.genIds(), tokens(steps), "budget " + budget);
            assertEquals(reference.text(), text(steps), "budget " + budget);
            int minimumSteps = budget < 2 * layerOfOneToken ? reference.genIds().length * 5 : 2;
            assertTrue(steps.size() >= minimumSteps, "budget " + budget + " took " + steps.size() + " steps");
        }
    }

    @Test
    void outputSlicesStartAndEndAtGroupsOfFourRows() {
        long layerOfOneToken = 64L * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 172 * 64;
        // budgets that leave room for a number of output rows that is not a multiple of four, after a layer or two
        long attention = 2 * 64 * 40; // attention at the positions of this run, generously
        for (long budget : new long[]{layerOfOneToken + attention + 6 * 64 + 10,
                layerOfOneToken + attention + 61 * 64 + 3, layerOfOneToken + attention + 133 * 64 + 5}) {
            List<int[]> slices = new java.util.ArrayList<>();
            ScalarKernels scalar = new ScalarKernels();
            Kernels recording = new Kernels() {
                @Override
                public void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
                    if (w == model.weights().output()) {
                        slices.add(new int[]{rowStart, rowEnd});
                    }
                    scalar.matmul(w, x, count, out, rowStart, rowEnd);
                }

                @Override
                public String name() {
                    return "recording";
                }
            };
            GenerationSession s = new GenerationSession(model,
                    model.newForwardPass(recording, NumericScheme.LLAMA_CPP, 128, 4));
            s.start(reference.promptIds(), GenerationOptions.greedy(4));
            List<StepResult> steps = new java.util.ArrayList<>();
            while (!s.isDone()) {
                steps.add(s.step(StepBudget.ofWork(budget)));
            }
            assertArrayEquals(Arrays.copyOf(reference.genIds(), 4), tokens(steps), "budget " + budget);
            int vocabulary = model.config().vocabularySize();
            assertTrue(slices.size() > 4, "budget " + budget + ": the output projection was not split");
            int next = 0;
            for (int[] slice : slices) {
                assertEquals(next, slice[0], "slices follow each other");
                assertEquals(0, slice[0] % GenerationSession.OUTPUT_ROW_GROUP, "slice start " + slice[0]);
                assertTrue(slice[1] == vocabulary || slice[1] % GenerationSession.OUTPUT_ROW_GROUP == 0,
                        "slice end " + slice[1]);
                assertTrue(slice[1] > slice[0]);
                next = slice[1] == vocabulary ? 0 : slice[1];
            }
        }
    }

    @Test
    void promptIngestionSpansSeveralSteps() {
        int[] prompt = model.tokenizer().encode("Once upon a time there was a big dog named Max who liked to run", true, false);
        GenerationSession s = session(128, 4);
        s.start(prompt, GenerationOptions.greedy(4));
        StepResult first = s.step(StepBudget.ofWork(60_000));
        assertEquals(0, first.tokens().length);
        assertTrue(first.counters().promptTokensDone() < prompt.length);
        int previous = first.counters().promptTokensDone();
        boolean grew = false;
        while (!s.isDone()) {
            StepResult r = s.step(StepBudget.ofWork(60_000));
            grew |= r.counters().promptTokensDone() > previous;
            previous = r.counters().promptTokensDone();
        }
        assertTrue(grew);
        assertEquals(prompt.length, previous);
    }

    @Test
    void aUnitLargerThanAWholeStepIsAnErrorNotALoop() {
        GenerationSession s = session(128, 4);
        s.start(reference.promptIds(), GenerationOptions.greedy(4));
        TealamaException e = assertThrows(TealamaException.class, () -> s.step(StepBudget.ofWork(1_000)));
        assertTrue(e.getMessage().contains("more than a whole step's budget"), e.getMessage());
    }

    @Test
    void stopStringEndsTheTextBeforeIt() {
        // llama.cpp's continuation: ", there was a little girl named Lily. She loved to play outside ..."
        GenerationSession s = session(128, 16);
        s.start(reference.promptIds(), new GenerationOptions(32, SamplingOptions.greedy(), List.of("Lily")));
        List<StepResult> steps = drain(s, StepBudget.unlimited());
        assertEquals(", there was a little girl named ", text(steps));
        assertEquals(FinishReason.STOP_STRING, s.finishReason());
    }

    @Test
    void stopStringThatNeverCompletesIsReleased() {
        GenerationSession s = session(128, 16);
        s.start(reference.promptIds(), new GenerationOptions(8, SamplingOptions.greedy(), List.of("girl namedX")));
        List<StepResult> steps = drain(s, StepBudget.unlimited());
        String expected = model.tokenizer().decode(Arrays.copyOf(reference.genIds(), 8), false);
        assertEquals(expected, text(steps));
        assertEquals(FinishReason.MAX_TOKENS, s.finishReason());
    }

    @Test
    void contextFullEndsTheGeneration() {
        int ctx = reference.promptIds().length + 3;
        GenerationSession s = session(ctx, 16);
        s.start(reference.promptIds(), GenerationOptions.greedy(100));
        List<StepResult> steps = drain(s, StepBudget.unlimited());
        assertArrayEquals(Arrays.copyOf(reference.genIds(), 3), tokens(steps));
        assertEquals(FinishReason.CONTEXT_FULL, s.finishReason());
    }

    @Test
    void promptLongerThanTheContextIsRefused() {
        GenerationSession s = session(4, 4);
        TealamaException e = assertThrows(TealamaException.class,
                () -> s.start(reference.promptIds(), GenerationOptions.greedy(1)));
        assertTrue(e.getMessage().contains("the prompt has 5 tokens but the context holds 4"), e.getMessage());
    }

    @Test
    void tokensOutsideTheVocabularyAreRefused() {
        GenerationSession s = session(16, 4);
        assertThrows(TealamaException.class, () -> s.start(new int[]{1, 512}, GenerationOptions.greedy(1)));
        assertThrows(TealamaException.class, () -> s.start(new int[0], GenerationOptions.greedy(1)));
    }

    @Test
    void aFollowUpReusesTheCachedPrefixAndAgreesWithAFreshRun() {
        GenerationSession s = session(128, 16);
        s.start(reference.promptIds(), GenerationOptions.greedy(6));
        drain(s, StepBudget.unlimited());
        int[] conversation = s.contextTokens();

        int[] followUp = Arrays.copyOf(conversation, conversation.length + 2);
        followUp[conversation.length] = model.tokenizer().encode(" The", false, false)[0];
        followUp[conversation.length + 1] = model.tokenizer().encode(" dog", false, false)[0];
        s.start(followUp, GenerationOptions.greedy(8));
        List<StepResult> reused = drain(s, StepBudget.unlimited());
        SessionCounters c = reused.get(reused.size() - 1).counters();
        // the six generated tokens' keys and values: all but the last generated token were evaluated already
        assertEquals(followUp.length - (conversation.length - 1), c.promptTokensEvaluated());

        GenerationSession fresh = session(128, 16);
        fresh.start(followUp, GenerationOptions.greedy(8));
        assertArrayEquals(tokens(drain(fresh, StepBudget.unlimited())), tokens(reused));
    }

    @Test
    void cancelStopsAndTheSessionCanStartAgain() {
        GenerationSession s = session(128, 16);
        s.start(reference.promptIds(), GenerationOptions.greedy(32));
        s.step(StepBudget.ofWork(60_000));
        s.cancel();
        assertTrue(s.isDone());
        assertEquals(FinishReason.CANCELLED, s.finishReason());
        s.start(reference.promptIds(), GenerationOptions.greedy(reference.genIds().length));
        assertArrayEquals(reference.genIds(), tokens(drain(s, StepBudget.unlimited())));
    }

    @Test
    void seededSamplingRepeatsItselfAndSeedsDiffer() {
        int[] a = sample(42);
        assertArrayEquals(a, sample(42));
        assertNotEquals(Arrays.toString(a), Arrays.toString(sample(7)));
        assertFalse(Arrays.equals(a, reference.genIds()), "temperature 1 should leave the greedy path");
    }

    private static int[] sample(long seed) {
        GenerationSession s = session(128, 16);
        SamplingOptions options = new SamplingOptions(1.0f, 0, 1.0f, 0.0f, 1.0f, 64, seed);
        s.start(reference.promptIds(), new GenerationOptions(24, options, List.of()));
        return tokens(drain(s, StepBudget.unlimited()));
    }
}

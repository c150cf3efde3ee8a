package dev.tealama.canister;

import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step contract under a small instruction budget (so that a generation needs many messages): every step stays
 * within the budget, a long prompt is ingested over several steps, a long generation finishes across many, and the
 * tokens are those of an unbounded run.
 */
class CanisterStepTest {
    /**
     * Small enough that the test's prompt and 40 tokens of stories260K (≈ 2.2–2.4 M instructions a token with the F32
     * SIMD kernel, ≈ 50 M before it; ~200 M in all) take many steps. Not smaller: the step sizing counts work units
     * (weights), and on this tiny model the work outside the matrices now weighs as much as them, so under a few M
     * a step's unit estimate can miss by more than the twentieth it keeps back (seen trying 6 M: a 6.16 M step).
     */
    static final long BUDGET = 20_000_000;

    static TestCanister canister;
    static byte[] model;

    @BeforeAll
    static void install() {
        model = TestData.readModel("stories260K.gguf");
        canister = new TestCanister();
        canister.upload(model, "stories260K");
        canister.load();
        canister.configure(TestCanister.config().set("step_instructions", BUDGET));
    }

    @Test
    void aLongPromptIsIngestedOverSeveralStepsAndTheGenerationOverMany() {
        String prompt = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park."
                + " One day, she saw a big red ball. She wanted to play with it, but it was too high.";
        RecordValue options = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", 40L);
        RecordValue started = canister.start(TestCanister.USER, prompt, options);
        long promptTokens = (Long) started.get("prompt_tokens");
        assertTrue(promptTokens > 40, "a long prompt: " + promptTokens + " tokens");
        TestCanister.Generation g = canister.run(TestCanister.USER, (Long) started.get("id"));

        int ingestionSteps = 0;
        long maxStep = 0;
        long done = 0;
        for (RecordValue step : g.steps()) {
            RecordValue counters = (RecordValue) step.get("counters");
            long instructions = (Long) counters.get("instructions");
            maxStep = Math.max(maxStep, instructions);
            assertTrue(instructions <= BUDGET, "a step used " + instructions + " instructions, over the budget of "
                    + BUDGET);
            long nowDone = (Long) counters.get("prompt_tokens_done");
            if ((Long) counters.get("generated_tokens") == 0) {
                ingestionSteps++;
                // progress only grows, up to the whole prompt; a step may end with every prompt token through the
                // layers but the last one's output projection (split over steps) not finished: no token yet
                assertTrue(nowDone >= done && nowDone <= promptTokens, "prompt tokens done: " + done + ", then "
                        + nowDone + " of " + promptTokens);
            } else {
                assertEquals(promptTokens, nowDone, "a token generated before the whole prompt was evaluated");
            }
            done = nowDone;
        }
        assertTrue(ingestionSteps >= 3, "the prompt took " + ingestionSteps + " steps");
        assertTrue(g.steps().size() >= 10, "the prompt and 40 tokens took only " + g.steps().size() + " steps");
        assertEquals("max_tokens", g.last().get("finish_reason"));

        JvmReference.Run jvm = JvmReference.generate(model, "plain", prompt, SamplingOptions.greedy(), 40, 128);
        assertArrayEquals(jvm.tokens(), g.tokens(), "tokens under a small budget, against the JVM's unbounded run");
        assertEquals(jvm.text(), g.text());
        assertTrue(maxStep > BUDGET / 2, "steps use their budget: the largest was " + maxStep);
        canister.assertNoMessagePassedTheLimit();
    }

    /**
     * The SIMD kernels under a small budget: the tiny Llama 3 Q8_0 model (~10 M instructions a token, most of them
     * the packed output projection, which steps split in slices of whole groups of four rows), every step within the
     * budget, and the tokens and last logits those of the JVM's scalar run.
     */
    @Test
    void theSimdKernelsKeepTheStepContractAndTheJvmsBits() {
        long budget = 20_000_000;
        byte[] q8 = TestData.readModel("tiny-llama3-Q8_0.gguf");
        TestCanister simd = new TestCanister();
        simd.upload(q8, "tiny-llama3-Q8_0");
        simd.load();
        simd.configure(TestCanister.config().set("step_instructions", budget));
        String prompt = "Once upon a time, there was a little girl named Lily. She loved to play outside.";
        RecordValue options = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", 6L);
        TestCanister.Generation g = simd.generate(TestCanister.USER, prompt, options);
        for (RecordValue step : g.steps()) {
            long instructions = (Long) ((RecordValue) step.get("counters")).get("instructions");
            assertTrue(instructions <= budget, "a step used " + instructions + " instructions, over " + budget);
        }
        assertTrue(g.steps().size() >= 4, "6 tokens of ~10 M instructions in " + g.steps().size() + " steps");
        JvmReference.Run jvm = JvmReference.generate(q8, "plain", prompt, SamplingOptions.greedy(), 6, 128);
        assertArrayEquals(jvm.tokens(), g.tokens());
        assertArrayEquals(jvm.logitsSha256(), simd.logitsSha256(TestCanister.USER, g.id()),
                "the last logits, bit for bit, against the JVM's scalar kernels");
    }

    @Test
    void aCancelledSessionReportsItAndIsGone() {
        RecordValue options = TestCanister.options().set("template", "plain").set("max_tokens", 100L).set("seed", 3L);
        long id = (Long) canister.start(TestCanister.USER, "Once upon a time", options).get("id");
        canister.step(TestCanister.USER, id);
        canister.update(TestCanister.USER, "session_cancel", null, dev.tealama.canister.api.Interface.SESSION_ID_ARGS, id);
        String m = canister.rejected(TestCanister.USER, "session_step", dev.tealama.canister.api.Interface.SESSION_ID_ARGS,
                id);
        assertTrue(m.contains("no session " + id), m);
    }
}

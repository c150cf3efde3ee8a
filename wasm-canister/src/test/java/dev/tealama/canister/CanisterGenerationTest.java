package dev.tealama.canister;

import dev.tealama.canister.api.Interface;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.chat.ChatMessage;
import dev.tealama.model.KvCache;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.LlamaModel;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canister end to end on the committed test models: a chunked upload in shuffled order with duplicates, an
 * interruption resumed from upload_status, load, and generation whose token ids equal llama.cpp's greedy reference
 * and the JVM core's run (greedy and sampled, several seeds), with the last logits bit-identical to the JVM's.
 *
 * <p>Logits are compared through their SHA-256 (of the float32 bits, little-endian), which the canister computes in
 * a query: equal digests mean equal bits (a collision is out of reach), and a 512 KB vector need not cross the
 * interface. Sampled runs add a second check of the whole distribution: with temperature, top-k, top-p and min-p,
 * a one-bit difference in a logit can change a draw.
 */
class CanisterGenerationTest {

    @Test
    void stories260K() {
        check("stories260K.gguf", 24);
    }

    @Test
    void tinyLlama3Q8_0() {
        check("tiny-llama3-Q8_0.gguf", 6);
    }

    @Test
    void chatTemplateAndSystemPromptAsTheJvm() {
        byte[] model = TestData.readModel("tiny-llama3-Q8_0.gguf");
        TestCanister canister = new TestCanister();
        canister.upload(model, "tiny");
        canister.load();
        RecordValue options = TestCanister.options().set("system_prompt", "You are terse.").set("seed", 77L)
                .set("max_tokens", 4L).set("context_size", 256L);
        RecordValue started = canister.start(TestCanister.USER, "Say hello <|eot_id|>", options);
        assertEquals("llama3", started.get("template"));
        TestCanister.Generation g = canister.run(TestCanister.USER, (Long) started.get("id"));
        JvmReference.Run jvm = JvmReference.generate(model, "auto", "You are terse.", "Say hello <|eot_id|>",
                SamplingOptions.defaults(77), 4, 256);
        assertArrayEquals(jvm.tokens(), g.tokens());
        assertArrayEquals(jvm.logitsSha256(), canister.logitsSha256(TestCanister.USER, g.id()));
    }

    /**
     * A conversation's turns: the history renders as the JVM renders the same conversation (same tokens), and a turn
     * that continues from the previous turn's session evaluates only its new tokens yet generates what a fresh session
     * over the whole conversation generates.
     */
    @Test
    void conversationHistoryAndContinuingFromTheLastTurnsCache() {
        byte[] model = TestData.readModel("tiny-llama3-Q8_0.gguf");
        TestCanister canister = new TestCanister();
        canister.upload(model, "tiny");
        canister.load();
        RecordValue first = TestCanister.options().set("system_prompt", "Be brief.").set("seed", 5L)
                .set("max_tokens", 3L).set("context_size", 256L);
        RecordValue started = canister.start(TestCanister.USER, "Hi there", first);
        assertEquals(0L, started.get("prompt_tokens_cached"));
        TestCanister.Generation turn1 = canister.run(TestCanister.USER, (Long) started.get("id"));

        List<Object> history = List.of(
                new RecordValue(Interface.TURN).set("role", "user").set("content", "Hi there"),
                new RecordValue(Interface.TURN).set("role", "assistant").set("content", turn1.text()));
        RecordValue second = TestCanister.options().set("system_prompt", "Be brief.").set("seed", 6L)
                .set("max_tokens", 3L).set("history", history);
        RecordValue continued = canister.start(TestCanister.USER, "And then?",
                second.set("continue_from", started.get("id")));
        assertEquals(256L, continued.get("context_size"), "a continued session keeps its context");
        long cached = (Long) continued.get("prompt_tokens_cached");
        long promptTokens = (Long) continued.get("prompt_tokens");
        assertTrue(cached > 0 && cached < promptTokens, cached + " of " + promptTokens + " prompt tokens cached");
        TestCanister.Generation turn2 = canister.run(TestCanister.USER, (Long) continued.get("id"));
        assertEquals(promptTokens - cached,
                (long) (Long) ((RecordValue) turn2.last().get("counters")).get("prompt_tokens_done"),
                "only the new tokens were evaluated");
        assertTrue(canister.rejected(TestCanister.USER, "session_step", Interface.SESSION_ID_ARGS, started.get("id"))
                .contains("no session"), "the session continued from has ended");

        List<ChatMessage> conversation = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi there"),
                ChatMessage.assistant(turn1.text()), ChatMessage.user("And then?"));
        JvmReference.Run jvm = JvmReference.generate(model, "auto", conversation, SamplingOptions.defaults(6), 3, 256);
        assertArrayEquals(jvm.tokens(), turn2.tokens(), "the continued turn generates as the JVM over the whole"
                + " conversation");
        RecordValue fresh = canister.start(TestCanister.USER, "And then?", second.set("continue_from", null)
                .set("context_size", 256L));
        assertEquals(0L, fresh.get("prompt_tokens_cached"));
        assertArrayEquals(turn2.tokens(), canister.run(TestCanister.USER, (Long) fresh.get("id")).tokens(),
                "a fresh session over the whole conversation generates the same");
    }

    @Test
    void conversationMistakesAreRefused() {
        byte[] model = TestData.readModel("stories260K.gguf");
        TestCanister canister = new TestCanister();
        canister.upload(model, "stories");
        canister.load();
        RecordValue badRole = TestCanister.options().set("history",
                List.of(new RecordValue(Interface.TURN).set("role", "system").set("content", "x")));
        assertTrue(canister.rejected(TestCanister.USER, "session_start", Interface.SESSION_START_ARGS, "hi", badRole)
                .contains("history[0].role must be \"user\" or \"assistant\""));

        long running = (Long) canister.start(TestCanister.USER, "Once", TestCanister.options().set("max_tokens", 50L)
                .set("context_size", 64L)).get("id");
        RecordValue fromRunning = TestCanister.options().set("continue_from", running);
        assertTrue(canister.rejected(TestCanister.USER, "session_start", Interface.SESSION_START_ARGS, "hi", fromRunning)
                .contains("is still generating"));
        canister.run(TestCanister.USER, running);
        assertTrue(canister.rejected(TestCanister.OTHER_USER, "session_start", Interface.SESSION_START_ARGS, "hi",
                fromRunning).contains("belongs to another caller"));
        RecordValue otherContext = TestCanister.options().set("continue_from", running).set("context_size", 32L);
        assertTrue(canister.rejected(TestCanister.USER, "session_start", Interface.SESSION_START_ARGS, "hi",
                otherContext).contains("context_size cannot change"));
    }

    /** model_info's memory report against what the host measures: Wasm memory, stable memory, KV caches. */
    @Test
    void memoryReport() {
        byte[] model = TestData.readModel("stories260K.gguf");
        TestCanister canister = new TestCanister();
        canister.upload(model, "stories");
        canister.load();
        canister.start(TestCanister.USER, "Once", TestCanister.options().set("context_size", 64L).set("max_tokens", 1L));
        RecordValue memory = (RecordValue) canister.modelInfo().get("memory");
        assertEquals(canister.host.wasmMemoryBytes(), memory.get("wasm_memory"));
        assertEquals(canister.host.stableMemoryPages() * 65536, memory.get("stable_memory"));
        long arena = (Long) memory.get("weight_arena");
        assertTrue(arena >= model.length && arena < model.length + 65536, "arena " + arena);
        assertEquals(canister.host.wasmMemoryBytes(), (Long) memory.get("java_heap") + arena,
                "the arena is the top of the Wasm memory");
        LlamaConfig config = LlamaModel.load(new ArrayByteSource(model)).config();
        assertEquals(KvCache.bytesFor(config.layers(), 64, config.kvDim(), true), memory.get("kv_caches"));
    }

    static void check(String file, int sampledTokens) {
        byte[] model = TestData.readModel(file);
        TestCanister canister = new TestCanister();
        uploadShuffledWithRetriesAndAnInterruption(canister, model, file);
        List<RecordValue> progress = canister.load();
        assertEquals("loaded", progress.get(progress.size() - 1).get("phase"));
        assertEquals("loaded", canister.modelInfo().get("state"));

        // greedy: llama.cpp's reference tokens, the JVM's logits
        Reference.Greedy ref = Reference.greedy(TestData.root().resolve("reference"), file);
        RecordValue greedy = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", (long) ref.genIds().length);
        TestCanister.Generation g = canister.generate(TestCanister.USER, ref.prompt(), greedy);
        assertArrayEquals(ref.genIds(), g.tokens(), "greedy token ids against llama.cpp");
        assertEquals(ref.text(), g.text());
        int context = (int) (long) (Long) canister.modelInfo().get("context_length");
        context = Math.min(context, 2048);
        JvmReference.Run jvm = JvmReference.generate(model, "plain", ref.prompt(), SamplingOptions.greedy(),
                ref.genIds().length, context);
        assertArrayEquals(jvm.tokens(), g.tokens(), "greedy token ids against the JVM");
        assertArrayEquals(jvm.logitsSha256(), canister.logitsSha256(TestCanister.USER, g.id()),
                "the last logits, bit for bit, against the JVM");

        // sampled: llama.cpp's default chain with several seeds, token for token as the JVM
        for (long seed : new long[] {1, 42, 1234567}) {
            RecordValue sampled = TestCanister.options().set("template", "plain").set("seed", seed)
                    .set("max_tokens", (long) sampledTokens);
            TestCanister.Generation s = canister.generate(TestCanister.USER, ref.prompt(), sampled);
            JvmReference.Run j = JvmReference.generate(model, "plain", ref.prompt(), SamplingOptions.defaults(seed),
                    sampledTokens, context);
            assertArrayEquals(j.tokens(), s.tokens(), "sampled tokens, seed " + seed);
            assertEquals(j.text(), s.text());
            assertArrayEquals(j.logitsSha256(), canister.logitsSha256(TestCanister.USER, s.id()), "logits, seed " + seed);
        }
        canister.assertNoMessagePassedTheLimit();
    }

    /**
     * Sends the chunks in a random order, each twice (a client retrying), but stops halfway; then asks upload_status
     * what is missing and sends exactly that.
     */
    static void uploadShuffledWithRetriesAndAnInterruption(TestCanister canister, byte[] model, String name) {
        canister.begin(model, name);
        List<Long> offsets = new ArrayList<>();
        for (long off = 0; off < model.length; off += TestCanister.CHUNK) {
            offsets.add(off);
        }
        Collections.shuffle(offsets, new Random(7));
        int half = offsets.size() / 2;
        for (int i = 0; i < half; i++) {
            long off = offsets.get(i);
            int length = (int) Math.min(TestCanister.CHUNK, model.length - off);
            canister.chunk(model, off, length);
            RecordValue again = canister.chunk(model, off, length);
            assertEquals(false, again.get("complete"));
        }
        // interrupted: a new client session starts from upload_status (and a repeated upload_begin keeps progress)
        canister.begin(model, name);
        RecordValue status = canister.uploadStatus();
        assertEquals("uploading", status.get("state"));
        long missingBytes = 0;
        for (Object o : (List<?>) status.get("missing")) {
            RecordValue range = (RecordValue) o;
            long off = (Long) range.get("offset");
            long length = (Long) range.get("length");
            missingBytes += length;
            for (long at = off; at < off + length; at += TestCanister.CHUNK) {
                canister.chunk(model, at, (int) Math.min(TestCanister.CHUNK, off + length - at));
            }
        }
        assertEquals(model.length - (long) (Long) status.get("received"), missingBytes);
        RecordValue done = canister.uploadStatus();
        assertEquals("complete", done.get("state"));
        assertEquals((long) model.length, done.get("received"));
        assertTrue(((List<?>) done.get("missing")).isEmpty());
    }
}

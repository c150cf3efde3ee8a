package dev.tealama.canister;

import dev.tealama.canister.ic.candid.RecordValue;
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

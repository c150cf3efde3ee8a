package dev.tealama.canister;

import dev.tealama.canister.api.Interface;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upgrade keeps the uploaded model (stable memory) and the configuration, drops the sessions, and a new load
 * rebuilds the model without an upload: the same generation follows.
 */
class CanisterUpgradeTest {

    @Test
    void theModelSurvivesAnUpgradeAndLoadsAgainWithoutAnUpload() {
        byte[] model = TestData.readModel("stories260K.gguf");
        TestCanister canister = new TestCanister();
        canister.upload(model, "stories260K");
        canister.load();
        canister.configure(TestCanister.config().set("max_sessions", 3L));
        RecordValue options = TestCanister.options().set("template", "plain").set("max_tokens", 20L).set("seed", 9L);
        TestCanister.Generation before = canister.generate(TestCanister.USER, "Once upon a time", options);

        canister.host.upgrade(TestCanister.wasm(), new byte[0]).replyOrThrow();

        RecordValue info = canister.modelInfo();
        assertEquals("uploaded", info.get("state"));
        assertEquals(3L, ((RecordValue) info.get("config")).get("max_sessions"));
        assertEquals("complete", canister.uploadStatus().get("state"));
        String m = canister.rejected(TestCanister.USER, "session_step", Interface.SESSION_ID_ARGS, before.id());
        assertTrue(m.contains("no session"), m);

        List<RecordValue> progress = canister.load();
        assertEquals("loaded", progress.get(progress.size() - 1).get("phase"));
        TestCanister.Generation after = canister.generate(TestCanister.USER, "Once upon a time", options);
        assertArrayEquals(before.tokens(), after.tokens());
        assertEquals(before.text(), after.text());
    }

    @Test
    void anUploadInterruptedByAnUpgradeResumes() {
        byte[] model = TestData.readModel("stories260K.gguf");
        TestCanister canister = new TestCanister();
        canister.begin(model, "stories260K");
        int half = model.length / 2 / TestCanister.CHUNK * TestCanister.CHUNK;
        for (int off = 0; off < half; off += TestCanister.CHUNK) {
            canister.chunk(model, off, TestCanister.CHUNK);
        }
        canister.host.upgrade(TestCanister.wasm(), new byte[0]).replyOrThrow();
        RecordValue status = canister.uploadStatus();
        assertEquals((long) half, status.get("received"));
        for (int off = half; off < model.length; off += TestCanister.CHUNK) {
            canister.chunk(model, off, Math.min(TestCanister.CHUNK, model.length - off));
        }
        canister.load();
        RecordValue greedy = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", 32L);
        TestCanister.Generation g = canister.generate(TestCanister.USER, "Once upon a time", greedy);
        assertArrayEquals(dev.tealama.testing.Reference.greedy(TestData.root().resolve("reference"), "stories260K.gguf")
                .genIds(), g.tokens());
    }

    @Test
    void loadingAfterAnUpgradeTakesSeveralCallsUnderASmallBudget() {
        byte[] model = TestData.readModel("tiny-llama3-Q8_0.gguf");
        TestCanister canister = new TestCanister();
        canister.upload(model, "tiny");
        long budget = 300_000_000L; // the SHA-256 of 17 MB (~77 instructions per byte) takes several calls
        canister.configure(TestCanister.config().set("load_instructions", budget));
        canister.host.upgrade(TestCanister.wasm(), new byte[0]).replyOrThrow();
        List<RecordValue> progress = canister.load();
        assertTrue(progress.size() >= 3, "load took " + progress.size() + " calls");
        // 17 MB are restored from stable memory in the first call (pieces of 64 MiB), then hashed over several
        assertEquals("verifying", progress.get(0).get("phase"));
        assertEquals("verifying", progress.get(1).get("phase"));
        // every call keeps to the budget but the one that parses the GGUF (one piece of work: the first call that
        // reports a phase after "parsing"; the repacking and the calibration follow in later calls) and the last one
        boolean parsed = false;
        for (RecordValue p : progress.subList(0, progress.size() - 1)) {
            boolean parsing = !parsed && ("repacking".equals(p.get("phase")) || "loaded".equals(p.get("phase")));
            parsed |= parsing;
            if (!parsing) {
                assertTrue((Long) p.get("instructions") <= budget, "a load call used " + p.get("instructions"));
            }
        }
        assertTrue(parsed, "no call parsed the model before the last one");
        assertEquals("loaded", canister.modelInfo().get("state"));
    }
}

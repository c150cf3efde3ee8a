package dev.tealama.canister;

import dev.tealama.canister.api.Interface;
import dev.tealama.canister.ic.candid.CandidEncoder;
import dev.tealama.canister.ic.candid.CandidType;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input is rejected with a message naming the problem, and leaves the canister as it was: the upload
 * status, the model information and the caller's session read the same before and after.
 */
class CanisterRejectionTest {
    static TestCanister canister;
    static byte[] model;
    static long session;

    @BeforeAll
    static void install() {
        model = TestData.readModel("stories260K.gguf");
        canister = new TestCanister();
        canister.upload(model, "stories260K");
        canister.load();
        RecordValue options = TestCanister.options().set("template", "plain").set("max_tokens", 8L).set("seed", 5L);
        session = (Long) canister.start(TestCanister.USER, "Once upon a time", options).get("id");
        canister.step(TestCanister.USER, session);
    }

    /** The observable state: upload status, model info, the user's session. */
    private static String state() {
        RecordValue status = (RecordValue) canister.query(TestCanister.USER, "session_status", Interface.SESSION_STATUS,
                Interface.SESSION_ID_ARGS, session);
        return canister.uploadStatus() + "\n" + canister.modelInfo() + "\n" + status;
    }

    private static void assertRejected(String expectedPart, Supplier<String> call) {
        String before = state();
        String message = call.get();
        assertTrue(message.contains(expectedPart), "expected '" + expectedPart + "' in: " + message);
        assertEquals(before, state(), "the state changed");
    }

    @Test
    void badCandid() {
        assertRejected("not a Candid message", () -> canister.rejected(TestCanister.USER, false, "session_step",
                new byte[] {1, 2, 3}));
        byte[] valid = CandidEncoder.encode(Interface.SESSION_ID_ARGS, session);
        assertRejected("ends in the middle", () -> canister.rejected(TestCanister.USER, false, "session_step",
                Arrays.copyOf(valid, valid.length - 1)));
        assertRejected("unexpected byte", () -> canister.rejected(TestCanister.USER, false, "session_step",
                Arrays.copyOf(valid, valid.length + 1)));
    }

    @Test
    void wrongArgumentTypes() {
        assertRejected("expected nat64, got text", () -> canister.rejected(TestCanister.USER, "session_step",
                List.of(CandidType.Primitive.TEXT), "1"));
        assertRejected("missing argument 2", () -> canister.rejected(TestCanister.USER, "session_start",
                List.of(CandidType.Primitive.TEXT), "hello"));
        assertRejected("argument 1: expected nat64, got a record", () -> canister.rejected(TestCanister.CONTROLLER, "upload_begin",
                List.of(CandidType.record("size", CandidType.Primitive.NAT64)), new RecordValue(
                        CandidType.record("size", CandidType.Primitive.NAT64)).set("size", 1L)));
    }

    @Test
    void unknownAndForeignSessions() {
        assertRejected("no session 999", () -> canister.rejected(TestCanister.USER, "session_step",
                Interface.SESSION_ID_ARGS, 999L));
        assertRejected("belongs to another caller", () -> canister.rejected(TestCanister.OTHER_USER, "session_step",
                Interface.SESSION_ID_ARGS, session));
        assertRejected("belongs to another caller", () -> canister.rejected(TestCanister.OTHER_USER, "session_cancel",
                Interface.SESSION_ID_ARGS, session));
        assertRejected("belongs to another caller", () -> canister.rejected(TestCanister.OTHER_USER, true,
                "session_status", CandidEncoder.encode(Interface.SESSION_ID_ARGS, session)));
    }

    @Test
    void onlyControllersChangeTheModel() {
        assertRejected("only a controller", () -> canister.rejected(TestCanister.USER, "upload_begin",
                Interface.UPLOAD_BEGIN_ARGS, 10L, new byte[32], "x"));
        assertRejected("only a controller", () -> canister.rejected(TestCanister.USER, "upload_chunk",
                Interface.UPLOAD_CHUNK_ARGS, 0L, new byte[] {1}));
        assertRejected("only a controller", () -> canister.rejected(TestCanister.USER, "upload_abort",
                Interface.NO_ARGS));
        assertRejected("only a controller", () -> canister.rejected(TestCanister.USER, "load", Interface.NO_ARGS));
        assertRejected("only a controller", () -> canister.rejected(TestCanister.USER, "configure",
                Interface.CONFIG_ARGS, TestCanister.config().set("max_sessions", 100L)));
    }

    @Test
    void badChunks() {
        // the model is complete and loaded: any chunk but a re-sent one overlaps
        assertRejected("overlaps", () -> canister.rejected(TestCanister.CONTROLLER, "upload_chunk",
                Interface.UPLOAD_CHUNK_ARGS, 5L, Arrays.copyOfRange(model, 5, 105)));
        assertRejected("reaches outside", () -> canister.rejected(TestCanister.CONTROLLER, "upload_chunk",
                Interface.UPLOAD_CHUNK_ARGS, (long) model.length - 10, new byte[20]));
        assertRejected("at most 1900000", () -> canister.rejected(TestCanister.CONTROLLER, "upload_chunk",
                Interface.UPLOAD_CHUNK_ARGS, 0L, new byte[1_900_001]));
        assertRejected("is empty", () -> canister.rejected(TestCanister.CONTROLLER, "upload_chunk",
                Interface.UPLOAD_CHUNK_ARGS, 0L, new byte[0]));
        // a re-sent chunk is harmless
        String before = state();
        canister.chunk(model, 0, TestCanister.CHUNK);
        assertEquals(before, state());
    }

    @Test
    void aModelTooLargeForTheMemoryIsRefusedAtUploadBegin() {
        // past the 4 GiB Wasm memory: the canister refuses it itself
        assertRejected("does not fit the 4 GiB Wasm memory", () -> canister.rejected(TestCanister.CONTROLLER,
                "upload_begin", Interface.UPLOAD_BEGIN_ARGS, 5L << 30, new byte[32], "huge"));
        // past what the memory can grow to (the IC's wasm_memory_limit, 3 GiB; this host's 2 GiB)
        assertRejected("memory", () -> canister.rejected(TestCanister.CONTROLLER, "upload_begin",
                Interface.UPLOAD_BEGIN_ARGS, 3L << 30, new byte[32], "large"));
        assertRejected("sha256 must be 32 bytes", () -> canister.rejected(TestCanister.CONTROLLER, "upload_begin",
                Interface.UPLOAD_BEGIN_ARGS, 1000L, new byte[31], "x"));
    }

    @Test
    void badSessionOptions() {
        RecordValue tooLong = TestCanister.options().set("template", "plain").set("context_size", 4L);
        assertRejected("the context holds 4", () -> canister.rejected(TestCanister.USER, "session_start",
                Interface.SESSION_START_ARGS, "Once upon a time, there was a girl", tooLong));
        RecordValue badTemperature = TestCanister.options().set("temperature", -1f);
        assertRejected("temperature", () -> canister.rejected(TestCanister.USER, "session_start",
                Interface.SESSION_START_ARGS, "hi", badTemperature));
        RecordValue badTemplate = TestCanister.options().set("template", "chatml");
        assertRejected("unknown chat template 'chatml'", () -> canister.rejected(TestCanister.USER, "session_start",
                Interface.SESSION_START_ARGS, "hi", badTemplate));
    }

    @Test
    void tooManySessions() {
        TestCanister c = new TestCanister();
        c.upload(model, "stories260K");
        c.load();
        c.configure(TestCanister.config().set("max_sessions", 2L));
        RecordValue options = TestCanister.options().set("template", "plain").set("max_tokens", 50L);
        c.start(TestCanister.USER, "Once", options);
        c.start(TestCanister.OTHER_USER, "Once", options);
        String m = c.rejected(TestCanister.USER, "session_start", Interface.SESSION_START_ARGS, "Once", options);
        assertTrue(m.contains("too many sessions"), m);
        assertEquals(2L, c.modelInfo().get("sessions"));
        // a finished session makes room: the oldest finished one is dropped
        RecordValue shortRun = TestCanister.options().set("template", "plain").set("max_tokens", 1L);
        c.configure(TestCanister.config().set("max_sessions", 3L));
        TestCanister.Generation done = c.generate(TestCanister.USER, "Once", shortRun);
        c.start(TestCanister.USER, "Once", options);
        assertEquals(3L, c.modelInfo().get("sessions"));
        m = c.rejected(TestCanister.USER, "session_step", Interface.SESSION_ID_ARGS, done.id());
        assertTrue(m.contains("no session " + done.id()), m);
    }

    @Test
    void aWrongChecksumOrAMalformedGgufIsRejectedAtLoad() {
        TestCanister c = new TestCanister();
        byte[] wrongSha = new byte[32];
        c.update("upload_begin", Interface.UPLOAD_STATUS, Interface.UPLOAD_BEGIN_ARGS, (long) model.length, wrongSha, "x");
        for (int off = 0; off < model.length; off += TestCanister.CHUNK) {
            c.chunk(model, off, Math.min(TestCanister.CHUNK, model.length - off));
        }
        String before = c.modelInfo().toString();
        String m = c.rejected(TestCanister.CONTROLLER, "load", Interface.NO_ARGS);
        assertTrue(m.contains("do not match the SHA-256"), m);
        assertEquals(before, c.modelInfo().toString());

        byte[] notGguf = "this is not a GGUF file at all, just text".getBytes();
        c.begin(notGguf, "text");
        c.chunk(notGguf, 0, notGguf.length);
        m = c.rejected(TestCanister.CONTROLLER, "load", Interface.NO_ARGS);
        assertTrue(m.contains("not a") && m.contains("GGUF"), m);
        assertEquals("uploaded", c.modelInfo().get("state"));

        byte[] truncated = Arrays.copyOf(model, model.length / 2);
        c.begin(truncated, "truncated");
        c.chunk(truncated, 0, truncated.length / 2);
        m = c.rejected(TestCanister.CONTROLLER, "load", Interface.NO_ARGS);
        assertTrue(m.contains("incomplete"), m);
        c.chunk(truncated, truncated.length / 2, truncated.length - truncated.length / 2);
        m = c.rejected(TestCanister.CONTROLLER, "load", Interface.NO_ARGS);
        assertTrue(m.contains("not a"), m);

        m = c.rejected(TestCanister.USER, "session_start", Interface.SESSION_START_ARGS, "hi", TestCanister.options());
        assertTrue(m.contains("no model is loaded"), m);
    }
}

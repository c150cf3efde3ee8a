package dev.tealama.canister;

import dev.tealama.canister.api.Interface;
import dev.tealama.canister.ic.candid.CandidDecoder;
import dev.tealama.canister.ic.candid.CandidEncoder;
import dev.tealama.canister.ic.candid.CandidType;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.ichost.CallResult;
import dev.tealama.ichost.CanisterLimits;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code target/tealama.wasm} installed in the local IC host (metered like the IC: 40 B instructions per
 * update, 5 B per query, traps roll back), driven through its Candid interface.
 */
final class TestCanister {
    static final Principal CONTROLLER = Principal.selfAuthenticating(new byte[] {1, 2, 3, 4});
    static final Principal USER = Principal.selfAuthenticating(new byte[] {5, 6, 7, 8});
    static final Principal OTHER_USER = Principal.selfAuthenticating(new byte[] {9, 10, 11, 12});
    static final int CHUNK = 100_000;

    private static byte[] wasm;

    final LocalCanister host;
    /** The largest instruction count of any message so far. */
    long maxInstructions;

    TestCanister() {
        this(wasm());
    }

    /** A canister running another build of the module (a report's). */
    TestCanister(byte[] module) {
        host = LocalCanister.builder().limits(CanisterLimits.ic()).debugSink(text -> { }).build();
        host.install(module, new byte[0], Set.of(CONTROLLER)).replyOrThrow();
    }

    static synchronized byte[] wasm() {
        if (wasm == null) {
            Path path = Path.of(System.getProperty("tealama.canister.wasm", "target/tealama.wasm"));
            try {
                wasm = Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException("the canister module " + path + " is missing: build the module first", e);
            }
        }
        return wasm;
    }

    CallResult call(boolean query, String method, byte[] argument, Principal caller) {
        CallResult r = query ? host.query(method, argument, caller) : host.update(method, argument, caller);
        maxInstructions = Math.max(maxInstructions, r.instructions());
        return r;
    }

    /** An update's single reply value. */
    Object update(String method, CandidType replyType, List<CandidType> argTypes, Object... args) {
        return update(CONTROLLER, method, replyType, argTypes, args);
    }

    Object update(Principal caller, String method, CandidType replyType, List<CandidType> argTypes, Object... args) {
        return decode(call(false, method, CandidEncoder.encode(argTypes, args), caller), replyType, method);
    }

    Object query(Principal caller, String method, CandidType replyType, List<CandidType> argTypes, Object... args) {
        return decode(call(true, method, CandidEncoder.encode(argTypes, args), caller), replyType, method);
    }

    private static Object decode(CallResult r, CandidType replyType, String method) {
        if (r instanceof CallResult.Reject) {
            fail(method + " was rejected: " + ((CallResult.Reject) r).message());
        }
        return replyType == null ? CandidDecoder.decode(r.replyOrThrow(), List.of())
                : CandidDecoder.decode(r.replyOrThrow(), List.of(replyType))[0];
    }

    /** The reject message of a call that must fail. */
    String rejected(Principal caller, boolean query, String method, byte[] argument) {
        CallResult r = call(query, method, argument, caller);
        if (!(r instanceof CallResult.Reject)) {
            fail(method + " should have been rejected");
        }
        return ((CallResult.Reject) r).message();
    }

    String rejected(Principal caller, String method, List<CandidType> argTypes, Object... args) {
        return rejected(caller, false, method, CandidEncoder.encode(argTypes, args));
    }

    RecordValue uploadStatus() {
        return (RecordValue) query(CONTROLLER, "upload_status", Interface.UPLOAD_STATUS, Interface.NO_ARGS);
    }

    RecordValue modelInfo() {
        return (RecordValue) query(CONTROLLER, "model_info", Interface.MODEL_INFO, Interface.NO_ARGS);
    }

    /** The KV cache a session gets by default: the model's context length, at most 2,048. */
    int defaultContext() {
        return (int) Math.min(2048, (Long) modelInfo().get("context_length"));
    }

    RecordValue begin(byte[] model, String name) {
        return (RecordValue) update("upload_begin", Interface.UPLOAD_STATUS, Interface.UPLOAD_BEGIN_ARGS,
                (long) model.length, sha256(model), name);
    }

    RecordValue chunk(byte[] model, long offset, int length) {
        byte[] bytes = new byte[length];
        System.arraycopy(model, (int) offset, bytes, 0, length);
        return (RecordValue) update("upload_chunk", Interface.CHUNK_RECEIPT, Interface.UPLOAD_CHUNK_ARGS, offset, bytes);
    }

    /** Uploads a whole model in order. */
    void upload(byte[] model, String name) {
        begin(model, name);
        for (int off = 0; off < model.length; off += CHUNK) {
            chunk(model, off, Math.min(CHUNK, model.length - off));
        }
    }

    /** Calls load until it is done; returns the progress replies. */
    List<RecordValue> load() {
        List<RecordValue> progress = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            RecordValue p = (RecordValue) update("load", Interface.LOAD_PROGRESS, Interface.NO_ARGS);
            progress.add(p);
            if ((Boolean) p.get("done")) {
                return progress;
            }
        }
        throw new AssertionError("load did not finish in 1000 calls");
    }

    void configure(RecordValue config) {
        update("configure", Interface.CONFIG, Interface.CONFIG_ARGS, config);
    }

    static RecordValue config() {
        return new RecordValue(Interface.CONFIG);
    }

    static RecordValue options() {
        return new RecordValue(Interface.SESSION_OPTIONS);
    }

    RecordValue start(Principal caller, String prompt, RecordValue options) {
        return (RecordValue) update(caller, "session_start", Interface.SESSION_STARTED, Interface.SESSION_START_ARGS,
                prompt, options);
    }

    RecordValue step(Principal caller, long id) {
        return (RecordValue) update(caller, "session_step", Interface.STEP_REPLY, Interface.SESSION_ID_ARGS, id);
    }

    /** A whole generation: its steps' replies, in order. */
    record Generation(long id, List<RecordValue> steps) {
        int[] tokens() {
            List<Integer> all = new ArrayList<>();
            for (RecordValue s : steps) {
                for (Object t : (List<?>) s.get("tokens")) {
                    all.add((int) (long) (Long) t);
                }
            }
            return all.stream().mapToInt(Integer::intValue).toArray();
        }

        String text() {
            StringBuilder b = new StringBuilder();
            for (RecordValue s : steps) {
                b.append((String) s.get("text"));
            }
            return b.toString();
        }

        RecordValue last() {
            return steps.get(steps.size() - 1);
        }

        /** The Wasm instructions of all its steps (each step's counters report that step's own). */
        long instructions() {
            long sum = 0;
            for (RecordValue step : steps) {
                sum += (Long) ((RecordValue) step.get("counters")).get("instructions");
            }
            return sum;
        }
    }

    Generation generate(Principal caller, String prompt, RecordValue options) {
        long id = (Long) start(caller, prompt, options).get("id");
        return run(caller, id);
    }

    Generation run(Principal caller, long id) {
        List<RecordValue> steps = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            RecordValue s = step(caller, id);
            steps.add(s);
            if ((Boolean) s.get("done")) {
                return new Generation(id, steps);
            }
        }
        throw new AssertionError("the generation did not finish");
    }

    byte[] logitsSha256(Principal caller, long id) {
        return (byte[]) query(caller, "session_logits_sha256", Interface.BLOB, Interface.SESSION_ID_ARGS, id);
    }

    void assertNoMessagePassedTheLimit() {
        assertTrue(maxInstructions < 40_000_000_000L, "a message used " + maxInstructions + " instructions");
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

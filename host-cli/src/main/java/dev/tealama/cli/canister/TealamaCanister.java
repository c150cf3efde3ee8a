package dev.tealama.cli.canister;

import dev.tealama.cli.canister.CanisterTypes.ChunkReceipt;
import dev.tealama.cli.canister.CanisterTypes.Config;
import dev.tealama.cli.canister.CanisterTypes.LoadProgress;
import dev.tealama.cli.canister.CanisterTypes.ModelInfo;
import dev.tealama.cli.canister.CanisterTypes.SessionOptions;
import dev.tealama.cli.canister.CanisterTypes.SessionStarted;
import dev.tealama.cli.canister.CanisterTypes.SessionStatus;
import dev.tealama.cli.canister.CanisterTypes.StepReply;
import dev.tealama.cli.canister.CanisterTypes.UploadStatus;
import org.ic4j.candid.CandidError;
import org.ic4j.candid.parser.IDLType;

import java.util.List;
import java.util.function.Function;

import static dev.tealama.cli.canister.Candid.BLOB;
import static dev.tealama.cli.canister.Candid.NAT64;
import static dev.tealama.cli.canister.Candid.TEXT;

/**
 * The Tealama canister's interface ({@code canister.did}) as Java methods, over {@link CanisterCalls} (a replica
 * through ic4j, or the local IC host). Every failure is a {@link CanisterCallException} naming the method.
 */
public final class TealamaCanister {
    private final CanisterCalls calls;

    public TealamaCanister(CanisterCalls calls) {
        this.calls = calls;
    }

    /** The calls underneath (their count, who calls). */
    public CanisterCalls calls() {
        return calls;
    }

    /** Starts an upload (controllers only); the same size and SHA-256 as the current upload keeps its progress. */
    public UploadStatus uploadBegin(long size, byte[] sha256, String name) {
        return update("upload_begin", List.of(NAT64, BLOB, TEXT), CanisterTypes.UPLOAD_STATUS, UploadStatus::from,
                size, sha256, name);
    }

    /** Sends bytes of the model at {@code offset} (at most 1,900,000; an identical re-send is harmless). */
    public ChunkReceipt uploadChunk(long offset, byte[] bytes) {
        return update("upload_chunk", List.of(NAT64, BLOB), CanisterTypes.CHUNK_RECEIPT, ChunkReceipt::from, offset,
                bytes);
    }

    public UploadStatus uploadStatus() {
        return query("upload_status", CanisterTypes.UPLOAD_STATUS, UploadStatus::from);
    }

    public void uploadAbort() {
        decode("upload_abort", calls.update("upload_abort", Candid.encode(List.of())), List.of());
    }

    /** One {@code load} call: call again until {@link LoadProgress#done()}. */
    public LoadProgress load() {
        return update("load", List.of(), CanisterTypes.LOAD_PROGRESS, LoadProgress::from);
    }

    public ModelInfo modelInfo() {
        return query("model_info", CanisterTypes.MODEL_INFO, ModelInfo::from);
    }

    public Config configure(Config config) {
        return update("configure", List.of(CanisterTypes.CONFIG), CanisterTypes.CONFIG, Config::from,
                config.toCandid());
    }

    public SessionStarted sessionStart(String prompt, SessionOptions options) {
        return update("session_start", List.of(TEXT, CanisterTypes.SESSION_OPTIONS), CanisterTypes.SESSION_STARTED,
                SessionStarted::from, prompt, options.toCandid());
    }

    public StepReply sessionStep(long id) {
        return update("session_step", List.of(NAT64), CanisterTypes.STEP_REPLY, StepReply::from, id);
    }

    public SessionStatus sessionStatus(long id) {
        return query("session_status", CanisterTypes.SESSION_STATUS, SessionStatus::from, id);
    }

    public void sessionCancel(long id) {
        decode("session_cancel", calls.update("session_cancel", Candid.encode(List.of(NAT64), id)), List.of());
    }

    /** The SHA-256 of the session's last logits (float32, little-endian). */
    public byte[] sessionLogitsSha256(long id) {
        byte[] reply = calls.query("session_logits_sha256", Candid.encode(List.of(NAT64), id));
        return Candid.bytes(decode("session_logits_sha256", reply, List.of(BLOB))[0]);
    }

    private <T> T update(String method, List<IDLType> argTypes, IDLType replyType, Function<Candid.Fields, T> reader,
                         Object... args) {
        byte[] reply = calls.update(method, encode(method, argTypes, args));
        return read(method, reply, replyType, reader);
    }

    private <T> T query(String method, IDLType replyType, Function<Candid.Fields, T> reader, Object... args) {
        List<IDLType> argTypes = args.length == 0 ? List.of() : List.of(NAT64);
        byte[] reply = calls.query(method, encode(method, argTypes, args));
        return read(method, reply, replyType, reader);
    }

    private static byte[] encode(String method, List<IDLType> types, Object... args) {
        try {
            return Candid.encode(types, args);
        } catch (CandidError | RuntimeException e) {
            throw new IllegalStateException("cannot encode the arguments of " + method + ": " + e.getMessage(), e);
        }
    }

    private static <T> T read(String method, byte[] reply, IDLType type, Function<Candid.Fields, T> reader) {
        try {
            return reader.apply(new Candid.Fields(decode(method, reply, List.of(type))[0]));
        } catch (CandidError | RuntimeException e) {
            if (e instanceof CanisterCallException c) {
                throw c;
            }
            throw CanisterCallException.undecodable(method, e);
        }
    }

    private static Object[] decode(String method, byte[] reply, List<IDLType> types) {
        try {
            return Candid.decode(reply, types);
        } catch (CandidError | RuntimeException e) {
            throw CanisterCallException.undecodable(method, e);
        }
    }
}

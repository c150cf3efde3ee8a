package dev.tealama.canister.api;

import dev.tealama.canister.ic.candid.CandidType;

import java.util.List;

import static dev.tealama.canister.ic.candid.CandidType.Primitive.BOOL;
import static dev.tealama.canister.ic.candid.CandidType.Primitive.FLOAT32;
import static dev.tealama.canister.ic.candid.CandidType.Primitive.NAT32;
import static dev.tealama.canister.ic.candid.CandidType.Primitive.NAT64;
import static dev.tealama.canister.ic.candid.CandidType.Primitive.NAT8;
import static dev.tealama.canister.ic.candid.CandidType.Primitive.TEXT;
import static dev.tealama.canister.ic.candid.CandidType.opt;
import static dev.tealama.canister.ic.candid.CandidType.record;
import static dev.tealama.canister.ic.candid.CandidType.vec;

/** The Candid types of {@code canister.did}, one constant per type, and each method's argument and result types. */
public final class Interface {
    private Interface() {
    }

    public static final CandidType BLOB = vec(NAT8);

    public static final CandidType.Record CONFIG = record(
            "step_instructions", opt(NAT64),
            "load_instructions", opt(NAT64),
            "max_sessions", opt(NAT32),
            "max_context", opt(NAT32));

    public static final CandidType.Record RANGE = record("offset", NAT64, "length", NAT64);

    public static final CandidType.Record UPLOAD_STATUS = record(
            "state", TEXT,
            "name", TEXT,
            "size", NAT64,
            "sha256", BLOB,
            "received", NAT64,
            "missing", vec(RANGE),
            "missing_count", NAT64);

    public static final CandidType.Record CHUNK_RECEIPT = record("received", NAT64, "size", NAT64, "complete", BOOL);

    public static final CandidType.Record LOAD_PROGRESS = record(
            "phase", TEXT,
            "done", BOOL,
            "bytes_done", NAT64,
            "bytes_total", NAT64,
            "instructions", NAT64);

    public static final CandidType.Record MEMORY = record(
            "wasm_memory", NAT64,
            "java_heap", NAT64,
            "weight_arena", NAT64,
            "stable_memory", NAT64,
            "kv_caches", NAT64);

    public static final CandidType.Record MODEL_INFO = record(
            "state", TEXT,
            "name", TEXT,
            "size", NAT64,
            "sha256", BLOB,
            "architecture", TEXT,
            "model_name", opt(TEXT),
            "layers", NAT32,
            "dim", NAT32,
            "heads", NAT32,
            "kv_heads", NAT32,
            "ffn_dim", NAT32,
            "vocabulary", NAT32,
            "context_length", NAT32,
            "weight_types", vec(TEXT),
            "chat_template", TEXT,
            "sessions", NAT32,
            "config", CONFIG,
            "memory", MEMORY);

    public static final CandidType.Record TURN = record("role", TEXT, "content", TEXT);

    public static final CandidType.Record SESSION_OPTIONS = record(
            "template", opt(TEXT),
            "system_prompt", opt(TEXT),
            "temperature", opt(FLOAT32),
            "top_k", opt(NAT32),
            "top_p", opt(FLOAT32),
            "min_p", opt(FLOAT32),
            "repeat_penalty", opt(FLOAT32),
            "repeat_last_n", opt(NAT32),
            "seed", opt(NAT64),
            "max_tokens", opt(NAT32),
            "stop", opt(vec(TEXT)),
            "context_size", opt(NAT32),
            "history", opt(vec(TURN)),
            "continue_from", opt(NAT64));

    public static final CandidType.Record SESSION_STARTED = record(
            "id", NAT64,
            "prompt_tokens", NAT32,
            "context_size", NAT32,
            "seed", NAT64,
            "template", TEXT,
            "prompt_tokens_cached", NAT32);

    public static final CandidType.Record COUNTERS = record(
            "prompt_tokens", NAT32,
            "prompt_tokens_done", NAT32,
            "generated_tokens", NAT32,
            "steps", NAT32,
            "work_units", NAT64,
            "instructions", NAT64);

    public static final CandidType.Record STEP_REPLY = record(
            "text", TEXT,
            "tokens", vec(NAT32),
            "done", BOOL,
            "finish_reason", TEXT,
            "counters", COUNTERS);

    public static final CandidType.Record SESSION_STATUS = record(
            "id", NAT64,
            "done", BOOL,
            "finish_reason", TEXT,
            "tokens", vec(NAT32),
            "counters", COUNTERS);

    // Method signatures: argument types and result types.
    public static final List<CandidType> INIT_ARGS = List.of(opt(CONFIG));
    public static final List<CandidType> UPLOAD_BEGIN_ARGS = List.of(NAT64, BLOB, TEXT);
    public static final List<CandidType> UPLOAD_CHUNK_ARGS = List.of(NAT64, BLOB);
    public static final List<CandidType> NO_ARGS = List.of();
    public static final List<CandidType> CONFIG_ARGS = List.of(CONFIG);
    public static final List<CandidType> SESSION_START_ARGS = List.of(TEXT, SESSION_OPTIONS);
    public static final List<CandidType> SESSION_ID_ARGS = List.of(NAT64);
}

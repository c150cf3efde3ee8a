package dev.tealama.cli.canister;

import org.ic4j.candid.parser.IDLType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tealama.cli.canister.Candid.BLOB;
import static dev.tealama.cli.canister.Candid.BOOL;
import static dev.tealama.cli.canister.Candid.FLOAT32;
import static dev.tealama.cli.canister.Candid.NAT32;
import static dev.tealama.cli.canister.Candid.NAT64;
import static dev.tealama.cli.canister.Candid.TEXT;
import static dev.tealama.cli.canister.Candid.opt;
import static dev.tealama.cli.canister.Candid.optional;
import static dev.tealama.cli.canister.Candid.record;
import static dev.tealama.cli.canister.Candid.recordValue;
import static dev.tealama.cli.canister.Candid.vec;

/**
 * The types of the root {@code canister.did}, as Java records, with their Candid types for ic4j-candid (a test checks
 * them against the file). {@code nat32} values are held in {@code long}s: they are unsigned.
 */
public final class CanisterTypes {
    private CanisterTypes() {
    }

    static final IDLType CONFIG = record(
            "step_instructions", opt(NAT64),
            "load_instructions", opt(NAT64),
            "max_sessions", opt(NAT32),
            "max_context", opt(NAT32));
    static final IDLType RANGE = record("offset", NAT64, "length", NAT64);
    static final IDLType UPLOAD_STATUS = record(
            "state", TEXT, "name", TEXT, "size", NAT64, "sha256", BLOB, "received", NAT64,
            "missing", vec(RANGE), "missing_count", NAT64);
    static final IDLType CHUNK_RECEIPT = record("received", NAT64, "size", NAT64, "complete", BOOL);
    static final IDLType LOAD_PROGRESS = record(
            "phase", TEXT, "done", BOOL, "bytes_done", NAT64, "bytes_total", NAT64, "instructions", NAT64);
    static final IDLType MEMORY = record(
            "wasm_memory", NAT64, "java_heap", NAT64, "weight_arena", NAT64, "stable_memory", NAT64,
            "kv_caches", NAT64);
    static final IDLType MODEL_INFO = record(
            "state", TEXT, "name", TEXT, "size", NAT64, "sha256", BLOB, "architecture", TEXT,
            "model_name", opt(TEXT), "layers", NAT32, "dim", NAT32, "heads", NAT32, "kv_heads", NAT32,
            "ffn_dim", NAT32, "vocabulary", NAT32, "context_length", NAT32, "weight_types", vec(TEXT),
            "chat_template", TEXT, "sessions", NAT32, "config", CONFIG, "memory", MEMORY);
    static final IDLType TURN = record("role", TEXT, "content", TEXT);
    static final IDLType SESSION_OPTIONS = record(
            "template", opt(TEXT), "system_prompt", opt(TEXT), "temperature", opt(FLOAT32), "top_k", opt(NAT32),
            "top_p", opt(FLOAT32), "min_p", opt(FLOAT32), "repeat_penalty", opt(FLOAT32),
            "repeat_last_n", opt(NAT32), "seed", opt(NAT64), "max_tokens", opt(NAT32), "stop", opt(vec(TEXT)),
            "context_size", opt(NAT32), "history", opt(vec(TURN)), "continue_from", opt(NAT64));
    static final IDLType SESSION_STARTED = record(
            "id", NAT64, "prompt_tokens", NAT32, "context_size", NAT32, "seed", NAT64, "template", TEXT,
            "prompt_tokens_cached", NAT32);
    static final IDLType COUNTERS = record(
            "prompt_tokens", NAT32, "prompt_tokens_done", NAT32, "generated_tokens", NAT32, "steps", NAT32,
            "work_units", NAT64, "instructions", NAT64);
    static final IDLType STEP_REPLY = record(
            "text", TEXT, "tokens", vec(NAT32), "done", BOOL, "finish_reason", TEXT, "counters", COUNTERS);
    static final IDLType SESSION_STATUS = record(
            "id", NAT64, "done", BOOL, "finish_reason", TEXT, "tokens", vec(NAT32), "counters", COUNTERS);

    /** A byte range of the model file. */
    public record Range(long offset, long length) {
        static Range from(Candid.Fields f) {
            return new Range(f.nat64("offset"), f.nat64("length"));
        }

        public long end() {
            return offset + length;
        }
    }

    /**
     * The upload as the canister sees it.
     *
     * @param state        "none", "uploading" or "complete"
     * @param missing      the gaps still to send, in order (at most 1000 listed)
     * @param missingCount how many gaps there are
     */
    public record UploadStatus(String state, String name, long size, byte[] sha256, long received,
                               List<Range> missing, long missingCount) {
        static UploadStatus from(Candid.Fields f) {
            List<Range> missing = new ArrayList<>();
            for (Candid.Fields r : f.records("missing")) {
                missing.add(Range.from(r));
            }
            return new UploadStatus(f.text("state"), f.text("name"), f.nat64("size"), f.blob("sha256"),
                    f.nat64("received"), List.copyOf(missing), f.nat64("missing_count"));
        }

        public boolean isComplete() {
            return "complete".equals(state);
        }
    }

    /** What the canister holds after a chunk. */
    public record ChunkReceipt(long received, long size, boolean complete) {
        static ChunkReceipt from(Candid.Fields f) {
            return new ChunkReceipt(f.nat64("received"), f.nat64("size"), f.bool("complete"));
        }
    }

    /**
     * A {@code load} call's progress.
     *
     * @param phase        "restoring", "verifying", "parsing" or "loaded"
     * @param instructions Wasm instructions this call used
     */
    public record LoadProgress(String phase, boolean done, long bytesDone, long bytesTotal, long instructions) {
        static LoadProgress from(Candid.Fields f) {
            return new LoadProgress(f.text("phase"), f.bool("done"), f.nat64("bytes_done"), f.nat64("bytes_total"),
                    f.nat64("instructions"));
        }
    }

    /** The canister's configuration; null fields are the canister's defaults (or, sent, "leave as it is"). */
    public record Config(Long stepInstructions, Long loadInstructions, Long maxSessions, Long maxContext) {
        static Config from(Candid.Fields f) {
            return new Config(f.optionalNat64("step_instructions"), f.optionalNat64("load_instructions"),
                    f.optionalNat32("max_sessions"), f.optionalNat32("max_context"));
        }

        Map<?, ?> toCandid() {
            return recordValue("step_instructions", optional(stepInstructions),
                    "load_instructions", optional(loadInstructions),
                    "max_sessions", optional(maxSessions == null ? null : maxSessions.intValue()),
                    "max_context", optional(maxContext == null ? null : maxContext.intValue()));
        }
    }

    /** Where the canister's memory goes, in bytes. */
    public record Memory(long wasmMemory, long javaHeap, long weightArena, long stableMemory, long kvCaches) {
        static Memory from(Candid.Fields f) {
            return new Memory(f.nat64("wasm_memory"), f.nat64("java_heap"), f.nat64("weight_arena"),
                    f.nat64("stable_memory"), f.nat64("kv_caches"));
        }
    }

    /**
     * The model and the canister's state.
     *
     * @param state "none", "uploading", "uploaded" (load it), "loading" or "loaded"
     */
    public record ModelInfo(String state, String name, long size, byte[] sha256, String architecture,
                            String modelName, long layers, long dim, long heads, long kvHeads, long ffnDim,
                            long vocabulary, long contextLength, List<String> weightTypes, String chatTemplate,
                            long sessions, Config config, Memory memory) {
        static ModelInfo from(Candid.Fields f) {
            return new ModelInfo(f.text("state"), f.text("name"), f.nat64("size"), f.blob("sha256"),
                    f.text("architecture"), f.optionalText("model_name"), f.nat32("layers"), f.nat32("dim"),
                    f.nat32("heads"), f.nat32("kv_heads"), f.nat32("ffn_dim"), f.nat32("vocabulary"),
                    f.nat32("context_length"), f.texts("weight_types"), f.text("chat_template"), f.nat32("sessions"),
                    Config.from(f.record("config")), Memory.from(f.record("memory")));
        }

        public boolean isLoaded() {
            return "loaded".equals(state);
        }
    }

    /** An earlier turn of a conversation: role "user" or "assistant". */
    public record Turn(String role, String content) {
        public static Turn user(String content) {
            return new Turn("user", content);
        }

        public static Turn assistant(String content) {
            return new Turn("assistant", content);
        }
    }

    /**
     * How a session generates (canister.did's {@code SessionOptions}); null fields take the canister's defaults.
     * {@code history} and {@code continueFrom} carry a conversation: the turns before the prompt, and the finished
     * session whose KV cache the new one takes over.
     */
    public record SessionOptions(String template, String systemPrompt, Float temperature, Long topK, Float topP,
                                 Float minP, Float repeatPenalty, Long repeatLastN, Long seed, Long maxTokens,
                                 List<String> stop, Long contextSize, List<Turn> history, Long continueFrom) {

        /** Every field at the canister's default. */
        public static SessionOptions defaults() {
            return new SessionOptions(null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null);
        }

        public SessionOptions withHistory(List<Turn> turns, Long previousSession) {
            return new SessionOptions(template, systemPrompt, temperature, topK, topP, minP, repeatPenalty,
                    repeatLastN, seed, maxTokens, stop, contextSize, List.copyOf(turns), previousSession);
        }

        public SessionOptions withSeed(long newSeed) {
            return new SessionOptions(template, systemPrompt, temperature, topK, topP, minP, repeatPenalty,
                    repeatLastN, newSeed, maxTokens, stop, contextSize, history, continueFrom);
        }

        Map<?, ?> toCandid() {
            List<Object> turns = null;
            if (history != null) {
                turns = new ArrayList<>();
                for (Turn t : history) {
                    turns.add(recordValue("role", t.role(), "content", t.content()));
                }
            }
            return recordValue(
                    "template", optional(template),
                    "system_prompt", optional(systemPrompt),
                    "temperature", optional(temperature),
                    "top_k", optional(nat32(topK)),
                    "top_p", optional(topP),
                    "min_p", optional(minP),
                    "repeat_penalty", optional(repeatPenalty),
                    "repeat_last_n", optional(nat32(repeatLastN)),
                    "seed", optional(seed),
                    "max_tokens", optional(nat32(maxTokens)),
                    "stop", optional(stop == null ? null : stop.toArray(String[]::new)),
                    "context_size", optional(nat32(contextSize)),
                    "history", optional(turns == null ? null : turns.toArray(Map[]::new)),
                    "continue_from", optional(continueFrom));
        }

        private static Integer nat32(Long value) {
            if (value == null) {
                return null;
            }
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("not a nat32: " + value);
            }
            return (int) (long) value;
        }
    }

    /** A new session. */
    public record SessionStarted(long id, long promptTokens, long contextSize, long seed, String template,
                                 long promptTokensCached) {
        static SessionStarted from(Candid.Fields f) {
            return new SessionStarted(f.nat64("id"), f.nat32("prompt_tokens"), f.nat32("context_size"),
                    f.nat64("seed"), f.text("template"), f.nat32("prompt_tokens_cached"));
        }
    }

    /**
     * A session's progress.
     *
     * @param instructions of this session_step call (in a step reply), or of all steps so far (in a status)
     */
    public record Counters(long promptTokens, long promptTokensDone, long generatedTokens, long steps, long workUnits,
                           long instructions) {
        static Counters from(Candid.Fields f) {
            return new Counters(f.nat32("prompt_tokens"), f.nat32("prompt_tokens_done"), f.nat32("generated_tokens"),
                    f.nat32("steps"), f.nat64("work_units"), f.nat64("instructions"));
        }
    }

    /**
     * One session_step's outcome.
     *
     * @param finishReason "" while not done; then "end_of_generation", "max_tokens", "stop_string", "context_full"
     *                     or "cancelled"
     */
    public record StepReply(String text, int[] tokens, boolean done, String finishReason, Counters counters) {
        static StepReply from(Candid.Fields f) {
            return new StepReply(f.text("text"), f.nat32s("tokens"), f.bool("done"), f.text("finish_reason"),
                    Counters.from(f.record("counters")));
        }
    }

    /** A session as session_status reports it. */
    public record SessionStatus(long id, boolean done, String finishReason, int[] tokens, Counters counters) {
        static SessionStatus from(Candid.Fields f) {
            return new SessionStatus(f.nat64("id"), f.bool("done"), f.text("finish_reason"), f.nat32s("tokens"),
                    Counters.from(f.record("counters")));
        }
    }
}

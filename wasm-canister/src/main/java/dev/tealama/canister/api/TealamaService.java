package dev.tealama.canister.api;

import dev.tealama.TealamaException;
import dev.tealama.canister.ic.Ic0;
import dev.tealama.canister.ic.Message;
import dev.tealama.canister.ic.candid.CandidDecoder;
import dev.tealama.canister.ic.candid.CandidEncoder;
import dev.tealama.canister.ic.candid.CandidType;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.canister.store.LinearMemory;
import dev.tealama.canister.store.StableStore;
import dev.tealama.canister.store.UploadLedger;
import dev.tealama.canister.store.WeightArena;
import dev.tealama.chat.ChatMessage;
import dev.tealama.chat.ChatPromptEncoder;
import dev.tealama.chat.ChatTemplate;
import dev.tealama.math.Sha256;
import dev.tealama.model.ForwardPass;
import dev.tealama.model.KvCache;
import dev.tealama.model.LayerWeights;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.NumericScheme;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.session.FinishReason;
import dev.tealama.session.GenerationOptions;
import dev.tealama.session.GenerationSession;
import dev.tealama.session.SessionCounters;
import dev.tealama.session.StepResult;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The endpoints of {@code canister.did}: each takes the message's Candid argument and returns the Candid reply.
 * Errors are exceptions with a message for the caller; {@link Canister} turns them into traps, so a failed call
 * changes nothing.
 */
final class TealamaService {
    /** Prompt tokens per batch: a batch reads each weight row once for all its tokens. */
    private static final int MAX_BATCH = 32;
    /** Missing ranges listed by upload_status at most. */
    private static final int MISSING_LISTED = 1000;

    private final ModelSlot slot;
    private final SessionRegistry sessions = new SessionRegistry();
    private Config config;

    private TealamaService(WeightArena arena, Config config) {
        this.slot = new ModelSlot(arena);
        this.config = config;
    }

    /** A fresh install: {@code (opt Config)}. */
    static TealamaService install(byte[] arg) {
        WeightArena arena = new WeightArena();
        StableStore.initialize();
        Config config = Config.defaults().with(initConfig(arg));
        StableStore.writeConfig(config.toStored());
        return new TealamaService(arena, config);
    }

    /** After an upgrade: the configuration and the upload from stable memory; an {@code opt Config} may change it. */
    static TealamaService upgraded(byte[] arg) {
        WeightArena arena = new WeightArena();
        StableStore.initialize();
        Config config = Config.fromStored(StableStore.readConfig()).with(initConfig(arg));
        StableStore.writeConfig(config.toStored());
        TealamaService service = new TealamaService(arena, config);
        service.slot.restoreFromStable();
        return service;
    }

    private static RecordValue initConfig(byte[] arg) {
        if (arg.length == 0) {
            return null; // installed without an argument
        }
        return (RecordValue) CandidDecoder.decode(arg, Interface.INIT_ARGS)[0];
    }

    // ---- upload

    byte[] uploadBegin(byte[] arg) {
        requireController("upload a model");
        Object[] a = CandidDecoder.decode(arg, Interface.UPLOAD_BEGIN_ARGS);
        if (slot.begin((Long) a[0], (byte[]) a[1], (String) a[2])) {
            sessions.clear();
        }
        return reply(Interface.UPLOAD_STATUS, uploadStatus());
    }

    byte[] uploadChunk(byte[] arg) {
        requireController("upload a model");
        Object[] a = CandidDecoder.decode(arg, Interface.UPLOAD_CHUNK_ARGS);
        long offset = (Long) a[0];
        byte[] bytes = (byte[]) a[1];
        slot.chunk(offset, bytes);
        UploadLedger ledger = slot.ledger();
        return reply(Interface.CHUNK_RECEIPT, new RecordValue(Interface.CHUNK_RECEIPT)
                .set("received", ledger.received())
                .set("size", ledger.size())
                .set("complete", ledger.isComplete()));
    }

    byte[] uploadStatus(byte[] arg) {
        CandidDecoder.decode(arg, Interface.NO_ARGS);
        return reply(Interface.UPLOAD_STATUS, uploadStatus());
    }

    private RecordValue uploadStatus() {
        RecordValue status = new RecordValue(Interface.UPLOAD_STATUS);
        UploadLedger ledger = slot.ledger();
        if (ledger == null) {
            return status.set("state", "none").set("name", "").set("size", 0L).set("sha256", new byte[0])
                    .set("received", 0L).set("missing", List.of()).set("missing_count", 0L);
        }
        List<Object> missing = new ArrayList<>();
        for (long[] range : ledger.missing(MISSING_LISTED)) {
            missing.add(new RecordValue(Interface.RANGE).set("offset", range[0]).set("length", range[1]));
        }
        return status.set("state", ledger.isComplete() ? "complete" : "uploading")
                .set("name", slot.name())
                .set("size", ledger.size())
                .set("sha256", slot.sha256())
                .set("received", ledger.received())
                .set("missing", missing)
                .set("missing_count", ledger.missingCount());
    }

    byte[] uploadAbort(byte[] arg) {
        requireController("abort an upload");
        CandidDecoder.decode(arg, Interface.NO_ARGS);
        slot.abort();
        sessions.clear();
        return reply();
    }

    // ---- model

    byte[] load(byte[] arg) {
        requireController("load a model");
        CandidDecoder.decode(arg, Interface.NO_ARGS);
        boolean wasLoaded = slot.isLoaded();
        ModelSlot.Progress p = slot.load(config.loadInstructions());
        if (!wasLoaded && slot.isLoaded()) {
            sessions.learned(slot.instructionsPerUnit());
        }
        String phase;
        switch (p.phase()) {
            case RESTORING: phase = "restoring"; break;
            case VERIFYING: phase = "verifying"; break;
            case PARSING: phase = "parsing"; break;
            case REPACKING: phase = "repacking"; break;
            default: phase = "loaded";
        }
        return reply(Interface.LOAD_PROGRESS, new RecordValue(Interface.LOAD_PROGRESS)
                .set("phase", phase)
                .set("done", p.phase() == ModelSlot.Phase.LOADED)
                .set("bytes_done", p.bytesDone())
                .set("bytes_total", p.bytesTotal())
                .set("instructions", Message.instructions()));
    }

    byte[] modelInfo(byte[] arg) {
        CandidDecoder.decode(arg, Interface.NO_ARGS);
        RecordValue info = new RecordValue(Interface.MODEL_INFO)
                .set("state", slot.state())
                .set("name", slot.name() == null ? "" : slot.name())
                .set("size", slot.ledger() == null ? 0L : slot.ledger().size())
                .set("sha256", slot.sha256() == null ? new byte[0] : slot.sha256())
                .set("sessions", (long) sessions.size())
                .set("config", config.toCandid())
                .set("memory", memory());
        LlamaModel model = slot.model();
        if (model == null) {
            return reply(Interface.MODEL_INFO, info.set("architecture", "").set("model_name", null)
                    .set("layers", 0L).set("dim", 0L).set("heads", 0L).set("kv_heads", 0L).set("ffn_dim", 0L)
                    .set("vocabulary", 0L).set("context_length", 0L).set("weight_types", List.of())
                    .set("chat_template", ""));
        }
        LlamaConfig c = model.config();
        TreeSet<String> types = new TreeSet<>();
        for (LayerWeights l : model.weights().layers()) {
            types.add(l.query().format().type().name());
            types.add(l.ffnDown().format().type().name());
            types.add(l.ffnGate().format().type().name());
        }
        types.add(model.weights().output().format().type().name());
        return reply(Interface.MODEL_INFO, info
                .set("architecture", LlamaConfig.ARCHITECTURE)
                .set("model_name", model.name())
                .set("layers", (long) c.layers())
                .set("dim", (long) c.dim())
                .set("heads", (long) c.heads())
                .set("kv_heads", (long) c.kvHeads())
                .set("ffn_dim", (long) c.ffnDim())
                .set("vocabulary", (long) c.vocabularySize())
                .set("context_length", (long) c.contextLength())
                .set("weight_types", new ArrayList<Object>(types))
                .set("chat_template", ChatTemplate.detect(model.chatTemplateSource()).name()));
    }

    /** Where the canister's memory goes: the Wasm memory (Java heap below the weight arena), stable memory, KV caches. */
    private RecordValue memory() {
        WeightArena arena = slot.arena();
        long kvCaches = 0;
        for (Session s : sessions.all()) {
            LlamaConfig c = s.forward.config();
            kvCaches += KvCache.bytesFor(c.layers(), s.generation.contextSize(), c.kvDim(), s.forward.cache().isF16());
        }
        return new RecordValue(Interface.MEMORY)
                .set("wasm_memory", LinearMemory.size())
                .set("java_heap", arena.base())
                .set("weight_arena", arena.capacity())
                .set("stable_memory", Ic0.stable64Size() * LinearMemory.PAGE)
                .set("kv_caches", kvCaches);
    }

    byte[] configure(byte[] arg) {
        requireController("change the configuration");
        RecordValue c = (RecordValue) CandidDecoder.decode(arg, Interface.CONFIG_ARGS)[0];
        config = config.with(c);
        StableStore.writeConfig(config.toStored());
        return reply(Interface.CONFIG, config.toCandid());
    }

    // ---- sessions

    byte[] sessionStart(byte[] arg) {
        Object[] a = CandidDecoder.decode(arg, Interface.SESSION_START_ARGS);
        String prompt = (String) a[0];
        RecordValue o = (RecordValue) a[1];
        LlamaModel model = slot.model();
        if (model == null) {
            throw new TealamaException("no model is loaded: a controller must upload one and call load");
        }
        String templateName = o.get("template") == null ? "auto" : (String) o.get("template");
        ChatTemplate template = templateName.equals("auto")
                ? ChatTemplate.detect(model.chatTemplateSource())
                : ChatTemplate.named(templateName);
        List<ChatMessage> messages = new ArrayList<>();
        if (o.get("system_prompt") != null) {
            messages.add(ChatMessage.system((String) o.get("system_prompt")));
        }
        if (o.get("history") != null) {
            List<?> history = (List<?>) o.get("history");
            for (int i = 0; i < history.size(); i++) {
                messages.add(turn((RecordValue) history.get(i), i));
            }
        }
        messages.add(ChatMessage.user(prompt));
        int[] tokens = new ChatPromptEncoder(model.tokenizer(), template).encode(messages, true);

        // A conversation's next turn may take over the KV cache of the caller's previous (finished) session: the
        // positions its tokens share with the new prompt are not evaluated again.
        Session previous = null;
        if (o.get("continue_from") != null) {
            long previousId = (Long) o.get("continue_from");
            previous = sessions.get(previousId, Message.caller());
            if (!previous.generation.isDone()) {
                throw new TealamaException("session " + previousId + " is still generating: step it until done (or "
                        + "cancel it) before continuing from it");
            }
        }

        int modelContext = model.config().contextLength();
        int maxContext = Math.min(modelContext, config.maxContext());
        int contextSize = previous != null ? previous.generation.contextSize() : maxContext;
        if (previous != null && o.get("context_size") != null && (Long) o.get("context_size") != contextSize) {
            throw new TealamaException("context_size cannot change when continuing session " + previous.id + " (it holds "
                    + contextSize + " positions), got " + o.get("context_size"));
        }
        if (previous == null && o.get("context_size") != null) {
            long wanted = (Long) o.get("context_size");
            if (wanted < 1 || wanted > maxContext) {
                throw new TealamaException("context_size must be between 1 and " + maxContext + " (the model's "
                        + modelContext + " positions, capped at max_context " + config.maxContext() + "), got " + wanted);
            }
            contextSize = (int) wanted;
        }
        if (tokens.length >= contextSize) {
            throw new TealamaException("the prompt has " + tokens.length + " tokens but the context holds " + contextSize
                    + ", which leaves no room to generate; shorten the prompt"
                    + (contextSize < maxContext ? " or raise context_size (up to " + maxContext + ")" : ""));
        }
        long seed = o.get("seed") != null ? (Long) o.get("seed") : Message.timeNanos();
        SamplingOptions d = SamplingOptions.defaults(seed);
        SamplingOptions sampling = new SamplingOptions(
                floatOr(o, "temperature", d.temperature()),
                intOr(o, "top_k", d.topK()),
                floatOr(o, "top_p", d.topP()),
                floatOr(o, "min_p", d.minP()),
                floatOr(o, "repeat_penalty", d.repeatPenalty()),
                intOr(o, "repeat_last_n", d.repeatLastN()),
                seed);
        @SuppressWarnings("unchecked")
        List<Object> stops = o.get("stop") == null ? List.of() : (List<Object>) o.get("stop");
        List<String> stopStrings = new ArrayList<>();
        for (Object s : stops) {
            stopStrings.add((String) s);
        }
        GenerationOptions options = new GenerationOptions(intOr(o, "max_tokens", contextSize), sampling, stopStrings);

        ForwardPass forward;
        GenerationSession generation;
        if (previous != null) {
            sessions.remove(previous.id);
            forward = previous.forward;
            generation = previous.generation;
        } else {
            sessions.makeRoom(config.maxSessions());
            forward = model.newForwardPass(slot.newKernels(), NumericScheme.LLAMA_CPP, contextSize,
                    Math.min(MAX_BATCH, contextSize));
            generation = new GenerationSession(model, forward);
        }
        generation.start(tokens, options);
        SessionCounters startCounters = generation.counters();
        Session session = new Session(sessions.nextId(), Message.caller(), generation, forward, seed, template.name());
        sessions.add(session);
        return reply(Interface.SESSION_STARTED, new RecordValue(Interface.SESSION_STARTED)
                .set("id", session.id)
                .set("prompt_tokens", (long) tokens.length)
                .set("context_size", (long) contextSize)
                .set("seed", seed)
                .set("template", template.name())
                .set("prompt_tokens_cached",
                        (long) (startCounters.promptTokens() - startCounters.promptTokensEvaluated())));
    }

    /** A turn of {@code history}: a user message or an assistant reply. */
    private static ChatMessage turn(RecordValue turn, int index) {
        String role = (String) turn.get("role");
        String content = (String) turn.get("content");
        switch (role) {
            case "user": return ChatMessage.user(content);
            case "assistant": return ChatMessage.assistant(content);
            default:
                throw new TealamaException("history[" + index + "].role must be \"user\" or \"assistant\", got \""
                        + role + "\" (the system prompt is the system_prompt option)");
        }
    }

    byte[] sessionStep(byte[] arg) {
        long id = (Long) CandidDecoder.decode(arg, Interface.SESSION_ID_ARGS)[0];
        Session session = sessions.get(id, Message.caller());
        InstructionBudget budget = new InstructionBudget(config.stepInstructions(), sessions.ratio());
        StepResult result = session.generation.step(budget);
        sessions.learned(budget.ratio());
        long instructions = Message.instructions();
        session.recordStep(result.tokens(), instructions);
        return reply(Interface.STEP_REPLY, new RecordValue(Interface.STEP_REPLY)
                .set("text", result.text())
                .set("tokens", tokenList(result.tokens()))
                .set("done", result.done())
                .set("finish_reason", finishReason(result.finishReason()))
                .set("counters", counters(result.counters(), instructions)));
    }

    byte[] sessionStatus(byte[] arg) {
        long id = (Long) CandidDecoder.decode(arg, Interface.SESSION_ID_ARGS)[0];
        Session session = sessions.get(id, Message.caller());
        return reply(Interface.SESSION_STATUS, new RecordValue(Interface.SESSION_STATUS)
                .set("id", id)
                .set("done", session.generation.isDone())
                .set("finish_reason", finishReason(session.generation.finishReason()))
                .set("tokens", tokenList(session.tokens()))
                .set("counters", counters(session.generation.counters(), session.instructions())));
    }

    byte[] sessionCancel(byte[] arg) {
        long id = (Long) CandidDecoder.decode(arg, Interface.SESSION_ID_ARGS)[0];
        sessions.get(id, Message.caller());
        sessions.remove(id);
        return reply();
    }

    byte[] sessionLogitsSha256(byte[] arg) {
        long id = (Long) CandidDecoder.decode(arg, Interface.SESSION_ID_ARGS)[0];
        Session session = sessions.get(id, Message.caller());
        float[] logits = session.forward.logits();
        byte[] bytes = new byte[logits.length * 4];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToRawIntBits(logits[i]);
            bytes[4 * i] = (byte) bits;
            bytes[4 * i + 1] = (byte) (bits >>> 8);
            bytes[4 * i + 2] = (byte) (bits >>> 16);
            bytes[4 * i + 3] = (byte) (bits >>> 24);
        }
        return reply(Interface.BLOB, Sha256.hash(bytes));
    }

    // ---- helpers

    private static void requireController(String what) {
        if (!Message.callerIsController()) {
            throw new TealamaException("only a controller of this canister may " + what);
        }
    }

    private static float floatOr(RecordValue o, String field, float otherwise) {
        Object v = o.get(field);
        return v == null ? otherwise : (Float) v;
    }

    private static int intOr(RecordValue o, String field, int otherwise) {
        Object v = o.get(field);
        if (v == null) {
            return otherwise;
        }
        long n = (Long) v;
        if (n > Integer.MAX_VALUE) {
            throw new TealamaException(field + " is too large (" + n + ")");
        }
        return (int) n;
    }

    private static List<Object> tokenList(int[] tokens) {
        List<Object> list = new ArrayList<>(tokens.length);
        for (int t : tokens) {
            list.add((long) t);
        }
        return list;
    }

    private static String finishReason(FinishReason r) {
        if (r == null) {
            return "";
        }
        switch (r) {
            case END_OF_GENERATION: return "end_of_generation";
            case MAX_TOKENS: return "max_tokens";
            case STOP_STRING: return "stop_string";
            case CONTEXT_FULL: return "context_full";
            default: return "cancelled";
        }
    }

    private static RecordValue counters(SessionCounters c, long instructions) {
        return new RecordValue(Interface.COUNTERS)
                .set("prompt_tokens", (long) c.promptTokens())
                .set("prompt_tokens_done", (long) c.promptTokensDone())
                .set("generated_tokens", (long) c.generatedTokens())
                .set("steps", (long) c.steps())
                .set("work_units", c.workUnits())
                .set("instructions", instructions);
    }

    private static byte[] reply(CandidType type, Object value) {
        return CandidEncoder.encode(List.of(type), value);
    }

    private static byte[] reply() {
        return CandidEncoder.encode(List.of());
    }
}

package dev.tealama.ichost;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.ChicoryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One canister, run on the JVM the way a replica runs it: the canister's real {@code .wasm} (checked against the
 * IC's rules), the {@code ic0} System API, instruction limits that trap a message past 40 B (update), 5 B (query) or
 * 300 B (install/upgrade) instructions, atomic messages (a message that traps changes nothing; a query never changes
 * anything), install, reinstall and upgrade with {@code canister_pre_upgrade} / {@code canister_post_upgrade} and
 * stable memory kept.
 *
 * <pre>
 * LocalCanister canister = LocalCanister.builder().build();
 * canister.install(wasm, initArg, Set.of(me)).replyOrThrow();
 * CallResult result = canister.update("greet", candidBytes, me);
 * </pre>
 *
 * <p>Every method is synchronized: the canister runs one message at a time, like a canister on the IC.
 * Install, reinstall and upgrade return a {@link CallResult} too: an empty {@link CallResult.Reply} when they
 * succeed, a {@link CallResult.Reject} saying why when they do not (then the canister is as it was).
 *
 * <p>What this host does not do: inter-canister calls, cycles, timers and heartbeats, composite query calls to other
 * canisters, certified data, and rollback of Wasm tables changed by {@code table.set}/{@code table.grow} (the
 * IC enables these instructions; TeaVM does not emit them).
 */
public final class LocalCanister {

    /** 2025-01-01T00:00:00Z: the default start of the canister's clock, so that runs are reproducible. */
    public static final Instant DEFAULT_START_TIME = Instant.parse("2025-01-01T00:00:00Z");
    private static final int LOG_CAPACITY = 10_000;
    private static final int MODULE_CACHE_SIZE = 4;

    private final Principal canisterId;
    private final CanisterLimits limits;
    private final ExecutionMode mode;
    private final Consumer<String> debugSink;
    private final long timeStepNanos;
    private final SystemApi systemApi;

    private CanisterModule module;
    private Instance instance;
    private TransactionalMemory memory;
    private StableMemory stableMemory;
    private Set<Principal> controllers = Set.of();
    private long timeNanos;
    private Execution current;
    private long lastInstructions;
    private long sequence;
    private final Deque<MessageRecord> log = new ArrayDeque<>();
    /** Recently prepared modules, shared by all canisters: compiling a large module takes seconds. */
    private static final Map<String, CanisterModule> MODULE_CACHE = new LinkedHashMap<>(8, 0.75f, true);

    private LocalCanister(Builder builder) {
        this.canisterId = builder.canisterId;
        this.limits = builder.limits;
        this.mode = builder.mode;
        this.debugSink = builder.debugSink;
        this.timeStepNanos = builder.timeStep.toNanos();
        this.timeNanos = toNanos(builder.startTime);
        this.stableMemory = new StableMemory(limits.stableMemoryMaxBytes());
        this.systemApi = new SystemApi(new SystemApi.Host() {
            @Override
            public Execution current() {
                return current;
            }

            @Override
            public StableMemory stableMemory() {
                return stableMemory;
            }

            @Override
            public boolean isController(Principal principal) {
                return controllers.contains(principal);
            }

            @Override
            public Principal canisterId() {
                return canisterId;
            }

            @Override
            public void debugPrint(String text) {
                debugSink.accept(text);
            }
        });
    }

    /** A builder with the IC's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link LocalCanister}. */
    public static final class Builder {
        private Principal canisterId = Principal.canisterId(1);
        private CanisterLimits limits = CanisterLimits.ic();
        private ExecutionMode mode = ExecutionMode.COMPILED;
        private Consumer<String> debugSink = text -> System.err.println("[canister] " + text);
        private Instant startTime = DEFAULT_START_TIME;
        private Duration timeStep = Duration.ofMillis(1);

        private Builder() {
        }

        /** The canister's own id ({@code ic0.canister_self}); by default {@code rrkah-fqaaa-aaaaa-aaaaq-cai}. */
        public Builder canisterId(Principal id) {
            this.canisterId = Objects.requireNonNull(id);
            return this;
        }

        /** The limits; by default {@link CanisterLimits#ic()}. */
        public Builder limits(CanisterLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** Compiled (default) or interpreted. */
        public Builder executionMode(ExecutionMode mode) {
            this.mode = Objects.requireNonNull(mode);
            return this;
        }

        /** Where {@code ic0.debug_print} goes; by default standard error, prefixed with {@code [canister]}. */
        public Builder debugSink(Consumer<String> sink) {
            this.debugSink = Objects.requireNonNull(sink);
            return this;
        }

        /** The time the first message sees; by default {@link #DEFAULT_START_TIME}. */
        public Builder startTime(Instant time) {
            this.startTime = Objects.requireNonNull(time);
            return this;
        }

        /** How much the clock advances after each message (1 ms by default; zero keeps it still). */
        public Builder timeStep(Duration step) {
            if (step.isNegative()) {
                throw new IllegalArgumentException("The clock cannot go back: " + step);
            }
            this.timeStep = step;
            return this;
        }

        public LocalCanister build() {
            return new LocalCanister(this);
        }
    }

    // ---- install, reinstall, upgrade ----

    /**
     * Installs a module in the empty canister: runs its start function and {@code canister_init} with
     * {@code argument}, called by the smallest of {@code controllers} (or the anonymous principal if there are
     * none). Fails if a module is installed already.
     */
    public synchronized CallResult install(byte[] wasm, byte[] argument, Set<Principal> controllers) {
        return install(wasm, argument, controllers, installer(controllers));
    }

    /** As {@link #install(byte[], byte[], Set)}, with the caller {@code canister_init} sees. */
    public synchronized CallResult install(byte[] wasm, byte[] argument, Set<Principal> controllers,
            Principal caller) {
        if (instance != null) {
            return record(MessageKind.INIT, "canister_init", caller, argument, timeNanos,
                    reject(ErrorCode.CANISTER_NON_EMPTY, "Canister " + canisterId
                            + " cannot be installed because the canister is not empty. Use reinstall or upgrade.",
                            0));
        }
        return installFresh(wasm, argument, Set.copyOf(controllers), caller);
    }

    /**
     * Replaces the module and wipes all state, stable memory included, then runs the start function and
     * {@code canister_init}, like {@code install_code} in mode {@code reinstall}. Controllers stay. If anything
     * fails, the canister stays as it was.
     */
    public synchronized CallResult reinstall(byte[] wasm, byte[] argument) {
        return installFresh(wasm, argument, controllers, installer(controllers));
    }

    private CallResult installFresh(byte[] wasm, byte[] argument, Set<Principal> newControllers, Principal caller) {
        long time = nextTime();
        CanisterModule prepared;
        try {
            prepared = prepare(wasm);
        } catch (InvalidModuleException e) {
            return record(MessageKind.INIT, "canister_init", caller, argument, time, invalidWasm(e));
        }
        long limit = limits.instructions().install();
        StableMemory freshStable = new StableMemory(limits.stableMemoryMaxBytes());
        freshStable.beginMessage(limits.stableAccessedBytes().install(), limits.stableDirtyBytes().install());
        StableMemory previousStable = stableMemory;
        stableMemory = freshStable;
        Instantiated created = null;
        try {
            Execution start = execution(MessageKind.START, "(start)", caller, argument, time, limit, prepared);
            created = instantiate(prepared, start);
            if (created.failure != null) {
                return record(MessageKind.INIT, "canister_init", caller, argument, time, created.failure);
            }
            Execution init = execution(MessageKind.INIT, "canister_init", caller, argument, time, limit, prepared);
            CallResult.Reject failure = run(created.instance, prepared, "canister_init", init);
            long used = init.instructionsSoFar(created.instance);
            lastInstructions = used;
            if (failure != null) {
                return record(MessageKind.INIT, "canister_init", caller, argument, time, failure);
            }
            created.memory.commit();
            freshStable.commit();
            previousStable = freshStable;
            module = prepared;
            instance = created.instance;
            memory = created.memory;
            controllers = newControllers;
            return record(MessageKind.INIT, "canister_init", caller, argument, time, new CallResult.Reply(new byte[0],
                    used));
        } finally {
            stableMemory = previousStable;
            current = null;
        }
    }

    /**
     * Upgrades to a new module: {@code canister_pre_upgrade} on the running instance, then a fresh instance of the
     * new module (start function, {@code canister_post_upgrade} with {@code argument}); stable memory is kept, the
     * Wasm memory and globals start anew. All of it shares the install instruction limit. If any step traps, the
     * canister keeps its old module and state.
     */
    public synchronized CallResult upgrade(byte[] wasm, byte[] argument) {
        Principal caller = installer(controllers);
        long time = nextTime();
        if (instance == null) {
            return record(MessageKind.POST_UPGRADE, "canister_post_upgrade", caller, argument, time, noModule());
        }
        CanisterModule prepared;
        try {
            prepared = prepare(wasm);
        } catch (InvalidModuleException e) {
            return record(MessageKind.POST_UPGRADE, "canister_post_upgrade", caller, argument, time, invalidWasm(e));
        }
        long limit = limits.instructions().install();
        stableMemory.beginMessage(limits.stableAccessedBytes().install(), limits.stableDirtyBytes().install());
        long[] oldGlobals = saveGlobals(instance);
        boolean committed = false;
        try {
            Execution pre = execution(MessageKind.PRE_UPGRADE, "canister_pre_upgrade", caller, new byte[0], time,
                    limit, module);
            setRemaining(instance, module, limit);
            CallResult.Reject failure = run(instance, module, "canister_pre_upgrade", pre);
            long used = pre.instructionsSoFar(instance);
            if (failure != null) {
                lastInstructions = used;
                return record(MessageKind.POST_UPGRADE, "canister_pre_upgrade", caller, argument, time,
                        prefixed("canister_pre_upgrade", failure));
            }
            Execution start = execution(MessageKind.START, "(start)", caller, argument, time, limit, prepared);
            Instantiated created = instantiate(prepared, start);
            if (created.failure != null) {
                return record(MessageKind.POST_UPGRADE, "canister_post_upgrade", caller, argument, time,
                        created.failure);
            }
            long startUsed = prepared.startBudget() - remaining(created.instance, prepared);
            setRemaining(created.instance, prepared, limit - used - startUsed);
            Execution post = execution(MessageKind.POST_UPGRADE, "canister_post_upgrade", caller, argument, time,
                    limit, prepared);
            failure = run(created.instance, prepared, "canister_post_upgrade", post);
            used = post.instructionsSoFar(created.instance);
            lastInstructions = used;
            if (failure != null) {
                return record(MessageKind.POST_UPGRADE, "canister_post_upgrade", caller, argument, time,
                        prefixed("canister_post_upgrade", failure));
            }
            created.memory.commit();
            stableMemory.commit();
            committed = true;
            module = prepared;
            instance = created.instance;
            memory = created.memory;
            return record(MessageKind.POST_UPGRADE, "canister_post_upgrade", caller, argument, time,
                    new CallResult.Reply(new byte[0], used));
        } finally {
            if (!committed) {
                memory.rollback();
                restoreGlobals(instance, oldGlobals);
                stableMemory.rollback();
            }
            current = null;
        }
    }

    /** A new instance of a prepared module, or the reject that says why its start function failed. */
    private static final class Instantiated {
        Instance instance;
        TransactionalMemory memory;
        CallResult.Reject failure;
    }

    private Instantiated instantiate(CanisterModule prepared, Execution start) {
        Instantiated result = new Instantiated();
        current = start;
        try {
            result.instance = prepared.newInstance(builder -> builder
                    .withImportValues(systemApi.importsFor(prepared.instrumented()))
                    .withMemoryFactory(memoryLimits -> {
                        result.memory = new TransactionalMemory(memoryLimits, limits.wasmMemoryLimitBytes());
                        return result.memory;
                    }));
        } catch (RuntimeException e) {
            result.failure = classify(e, 0, start.instructionLimit);
            current = null;
            return result;
        }
        try {
            // Globals (the counter among them), data segments, then the start function.
            result.instance.initialize(true);
            long used = prepared.startBudget() - remaining(result.instance, prepared);
            if (used > start.instructionLimit) {
                result.failure = instructionLimit(start.instructionLimit, used);
            }
        } catch (RuntimeException | StackOverflowError e) {
            long used = prepared.startBudget() - remaining(result.instance, prepared);
            result.failure = classify(e, used, start.instructionLimit);
        } finally {
            current = null;
        }
        if (result.failure == null && result.memory == null) {
            // A module without memory: an empty one keeps commit and rollback uniform.
            result.memory = new TransactionalMemory(new com.dylibso.chicory.wasm.types.MemoryLimits(0, 0),
                    limits.wasmMemoryLimitBytes());
        }
        return result;
    }

    private CanisterModule prepare(byte[] wasm) {
        long budget = limits.instructions().install();
        String key = java.util.HexFormat.of().formatHex(CanisterModule.sha256(wasm)) + "/" + budget + "/" + mode;
        synchronized (MODULE_CACHE) {
            CanisterModule cached = MODULE_CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        CanisterModule prepared = CanisterModule.prepare(wasm, budget, mode);
        synchronized (MODULE_CACHE) {
            MODULE_CACHE.put(key, prepared);
            if (MODULE_CACHE.size() > MODULE_CACHE_SIZE) {
                MODULE_CACHE.remove(MODULE_CACHE.keySet().iterator().next());
            }
        }
        return prepared;
    }

    // ---- messages ----

    /**
     * Sends an update call, as an ingress message: consults {@code canister_inspect_message} if the canister exports
     * it, then runs {@code canister_update <method>}. A trap rolls everything back; a reply, an explicit reject
     * and a missing reply keep the changes, as on the IC.
     */
    public synchronized CallResult update(String method, byte[] argument, Principal caller) {
        long time = nextTime();
        CallResult.Reject refused = refuseIngress(argument);
        if (refused == null && instance == null) {
            refused = noModule();
        }
        String export = "canister_update " + method;
        if (refused == null && !module.exports().contains(export)) {
            refused = reject(ErrorCode.CANISTER_METHOD_NOT_FOUND, "Canister has no update method '" + method + "'.",
                    0);
        }
        if (refused == null && module.exports().contains("canister_inspect_message")) {
            refused = inspect(method, argument, caller, time);
        }
        if (refused != null) {
            return record(MessageKind.UPDATE, method, caller, argument, time, refused);
        }
        return record(MessageKind.UPDATE, method, caller, argument, time,
                execute(MessageKind.UPDATE, export, method, argument, caller, time, true));
    }

    /**
     * Runs a query ({@code canister_query <method>} or {@code canister_composite_query <method>}). Whatever it
     * changes is discarded, whether it replies or not.
     */
    public synchronized CallResult query(String method, byte[] argument, Principal caller) {
        long time = nextTime();
        CallResult.Reject refused = refuseIngress(argument);
        if (refused == null && instance == null) {
            refused = noModule();
        }
        String export = "canister_query " + method;
        if (refused == null && !module.exports().contains(export)) {
            export = "canister_composite_query " + method;
            if (!module.exports().contains(export)) {
                refused = reject(ErrorCode.CANISTER_METHOD_NOT_FOUND, "Canister has no query method '" + method
                        + "'.", 0);
            }
        }
        if (refused != null) {
            return record(MessageKind.QUERY, method, caller, argument, time, refused);
        }
        return record(MessageKind.QUERY, method, caller, argument, time,
                execute(MessageKind.QUERY, export, method, argument, caller, time, false));
    }

    private CallResult.Reject refuseIngress(byte[] argument) {
        if (argument.length > limits.maxIngressBytes()) {
            return reject(ErrorCode.INGRESS_MESSAGE_TOO_LARGE, "The argument has " + argument.length
                    + " bytes; an ingress message may carry at most " + limits.maxIngressBytes()
                    + " (a replica refuses the request with HTTP 413)", 0);
        }
        return null;
    }

    private CallResult.Reject inspect(String method, byte[] argument, Principal caller, long time) {
        CallResult result = execute(MessageKind.INSPECT_MESSAGE, "canister_inspect_message", method, argument,
                caller, time, false);
        if (result instanceof CallResult.Reject) {
            CallResult.Reject failure = (CallResult.Reject) result;
            return reject(ErrorCode.CANISTER_REJECTED_MESSAGE, "Canister " + canisterId
                    + " rejected the message in canister_inspect_message: " + failure.message(),
                    failure.instructions());
        }
        return null;
    }

    private CallResult execute(MessageKind kind, String export, String method, byte[] argument, Principal caller,
            long time, boolean persist) {
        long limit;
        int maxReply;
        switch (kind) {
            case QUERY:
                limit = limits.instructions().query();
                maxReply = limits.maxQueryReplyBytes();
                stableMemory.beginMessage(limits.stableAccessedBytes().query(), limits.stableDirtyBytes().query());
                break;
            case INSPECT_MESSAGE:
                limit = limits.inspectMessageInstructions();
                maxReply = 0;
                stableMemory.beginMessage(limits.stableAccessedBytes().query(), limits.stableDirtyBytes().query());
                break;
            default:
                limit = limits.instructions().update();
                maxReply = limits.maxUpdateReplyBytes();
                stableMemory.beginMessage(limits.stableAccessedBytes().update(), limits.stableDirtyBytes().update());
                break;
        }
        Execution execution = new Execution(kind, method, caller, argument, time, limit, maxReply,
                module);
        long[] globals = saveGlobals(instance);
        setRemaining(instance, module, limit);
        boolean keep = false;
        try {
            CallResult.Reject failure = run(instance, module, export, execution);
            long used = execution.instructionsSoFar(instance);
            lastInstructions = used;
            if (failure != null) {
                return failure;
            }
            keep = persist;
            switch (execution.response) {
                case REPLIED:
                    return new CallResult.Reply(execution.reply.toByteArray(), used);
                case REJECTED:
                    return reject(ErrorCode.CANISTER_REJECTED_MESSAGE, execution.rejectMessage, used);
                default:
                    if (kind == MessageKind.INSPECT_MESSAGE) {
                        return execution.accepted ? new CallResult.Reply(new byte[0], used)
                                : reject(ErrorCode.CANISTER_REJECTED_MESSAGE,
                                        "canister_inspect_message did not accept the message", used);
                    }
                    return reject(ErrorCode.CANISTER_DID_NOT_REPLY, "Canister " + canisterId
                            + " did not produce a response", used);
            }
        } finally {
            if (keep) {
                memory.commit();
                stableMemory.commit();
            } else {
                memory.rollback();
                restoreGlobals(instance, globals);
                stableMemory.rollback();
            }
            current = null;
        }
    }

    /**
     * Calls an export (if it exists) as the given execution; null if it returned normally, else the reject for
     * its trap. Does not commit or roll back.
     */
    private CallResult.Reject run(Instance target, CanisterModule of, String export, Execution execution) {
        if (!of.exports().contains(export)) {
            return null;
        }
        current = execution;
        try {
            ExportFunction function = target.export(export);
            function.apply();
            long used = execution.instructionsSoFar(target);
            if (used > execution.instructionLimit) {
                return instructionLimit(execution.instructionLimit, used);
            }
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            return classify(e, execution.instructionsSoFar(target), execution.instructionLimit);
        } finally {
            current = null;
        }
    }

    /** The reject for something the canister's code threw. */
    private CallResult.Reject classify(Throwable thrown, long used, long limit) {
        if (used > limit) {
            return instructionLimit(limit, used);
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof CanisterTrap) {
                CanisterTrap trap = (CanisterTrap) t;
                return reject(trap.error(), "Error from Canister " + canisterId + ": " + trap.getMessage(), used);
            }
            if (t instanceof StackOverflowError) {
                return trapped("stack overflow", used);
            }
        }
        String message = thrown.getMessage() == null ? thrown.toString() : thrown.getMessage();
        if (thrown instanceof TrapException && message.contains("unreachable")) {
            return trapped("unreachable", used);
        }
        if (message.contains("out of bounds memory access")) {
            return trapped("heap out of bounds (" + message + ")", used);
        }
        if (message.contains("call stack exhausted")) {
            return trapped("stack overflow", used);
        }
        if (thrown instanceof ChicoryException || thrown instanceof ArithmeticException
                || thrown instanceof TrapException) {
            return trapped(message, used);
        }
        return trapped(thrown.getClass().getSimpleName() + ": " + message, used);
    }

    private CallResult.Reject trapped(String what, long used) {
        return reject(ErrorCode.CANISTER_TRAPPED, "Error from Canister " + canisterId + ": Canister trapped: "
                + what, used);
    }

    private CallResult.Reject instructionLimit(long limit, long used) {
        return reject(ErrorCode.CANISTER_INSTRUCTION_LIMIT_EXCEEDED, "Error from Canister " + canisterId
                + ": Canister exceeded the limit of " + limit + " instructions for single message execution"
                + " (instruction limit exceeded)", used);
    }

    private CallResult.Reject invalidWasm(InvalidModuleException e) {
        return reject(ErrorCode.CANISTER_INVALID_WASM, "Wasm module of canister " + canisterId
                + " is not valid: " + e.getMessage(), 0);
    }

    private CallResult.Reject noModule() {
        return reject(ErrorCode.CANISTER_WASM_MODULE_NOT_FOUND, "Canister " + canisterId
                + " has no Wasm module installed", 0);
    }

    private static CallResult.Reject prefixed(String entryPoint, CallResult.Reject failure) {
        return new CallResult.Reject(failure.error(), entryPoint + " failed, the canister is unchanged: "
                + failure.message(), failure.instructions());
    }

    private static CallResult.Reject reject(ErrorCode error, String message, long instructions) {
        return new CallResult.Reject(error, message, instructions);
    }

    private Execution execution(MessageKind kind, String method, Principal caller, byte[] argument, long time,
            long limit, CanisterModule of) {
        return new Execution(kind, method, caller, argument, time, limit, 0, of);
    }

    // ---- the instruction counter and the globals ----

    private static long remaining(Instance target, CanisterModule of) {
        return of.remaining(target);
    }

    private static void setRemaining(Instance target, CanisterModule of, long value) {
        of.setRemaining(target, value);
    }

    /** Low and high halves of every global (the high half matters for v128). */
    private static long[] saveGlobals(Instance target) {
        int count = target.module().globalSection().globalCount();
        long[] values = new long[2 * count];
        for (int i = 0; i < count; i++) {
            GlobalInstance global = target.global(i);
            values[2 * i] = global.getValueLow();
            values[2 * i + 1] = global.getValueHigh();
        }
        return values;
    }

    private static void restoreGlobals(Instance target, long[] values) {
        for (int i = 0; i < values.length / 2; i++) {
            GlobalInstance global = target.global(i);
            global.setValueLow(values[2 * i]);
            global.setValueHigh(values[2 * i + 1]);
        }
    }

    // ---- time, log, state ----

    private long nextTime() {
        long now = timeNanos;
        timeNanos += timeStepNanos;
        return now;
    }

    private CallResult record(MessageKind kind, String method, Principal caller, byte[] argument, long time,
            CallResult result) {
        lastInstructions = result.instructions();
        log.addLast(MessageRecord.of(++sequence, kind, method, caller, time, argument.length, result));
        if (log.size() > LOG_CAPACITY) {
            log.removeFirst();
        }
        return result;
    }

    private static Principal installer(Set<Principal> controllers) {
        return controllers.isEmpty() ? Principal.anonymous() : new TreeSet<>(controllers).first();
    }

    private static long toNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    /** The canister's id. */
    public Principal canisterId() {
        return canisterId;
    }

    /** The limits it runs under. */
    public CanisterLimits limits() {
        return limits;
    }

    /** Whether a module is installed. */
    public synchronized boolean isInstalled() {
        return instance != null;
    }

    /** The installed module (null when empty). */
    public synchronized CanisterModule module() {
        return module;
    }

    /** The controllers ({@code ic0.is_controller} answers from them). */
    public synchronized Set<Principal> controllers() {
        return controllers;
    }

    /** Replaces the controllers, as {@code update_settings} would. */
    public synchronized void setControllers(Set<Principal> newControllers) {
        this.controllers = Set.copyOf(newControllers);
    }

    /** The instructions the last message executed (install and upgrade: all their parts). */
    public synchronized long lastInstructions() {
        return lastInstructions;
    }

    /** The time the next message will see, in nanoseconds since 1970 ({@code ic0.time}). */
    public synchronized long timeNanos() {
        return timeNanos;
    }

    /** Sets the clock; it may not go back. */
    public synchronized void setTime(Instant time) {
        long nanos = toNanos(time);
        if (nanos < timeNanos) {
            throw new IllegalArgumentException("The IC's clock never goes back: " + time + " is before "
                    + Instant.ofEpochSecond(0, timeNanos));
        }
        timeNanos = nanos;
    }

    /** Moves the clock forward. */
    public synchronized void advanceTime(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("The IC's clock never goes back: " + duration);
        }
        timeNanos = Math.addExact(timeNanos, duration.toNanos());
    }

    /** Size of the stable memory in 64 KiB pages ({@code ic0.stable64_size}). */
    public synchronized long stableMemoryPages() {
        return stableMemory.sizePages();
    }

    /** Reads the committed stable memory (for tests and tools; not counted against any limit). */
    public synchronized byte[] readStableMemory(long offset, int length) {
        stableMemory.beginMessage(Long.MAX_VALUE, Long.MAX_VALUE);
        return stableMemory.read(offset, length);
    }

    /** Size of the Wasm memory in bytes (0 when empty). */
    public synchronized long wasmMemoryBytes() {
        return memory == null ? 0 : (long) memory.pages() * StableMemory.WASM_PAGE;
    }

    /** The Wasm memory of the running instance (null when empty), for tests of this package. */
    synchronized TransactionalMemory wasmMemory() {
        return memory;
    }

    /** The update and query methods the installed module exports, with their kind ("update" or "query"). */
    public synchronized Map<String, String> methods() {
        Map<String, String> methods = new LinkedHashMap<>();
        if (module != null) {
            for (String export : module.exports()) {
                if (export.startsWith("canister_update ")) {
                    methods.put(export.substring("canister_update ".length()), "update");
                } else if (export.startsWith("canister_query ")) {
                    methods.put(export.substring("canister_query ".length()), "query");
                } else if (export.startsWith("canister_composite_query ")) {
                    methods.put(export.substring("canister_composite_query ".length()), "composite_query");
                }
            }
        }
        return Collections.unmodifiableMap(methods);
    }

    /** The most recent messages (up to 10,000), oldest first. */
    public synchronized List<MessageRecord> messageLog() {
        return List.copyOf(new ArrayList<>(log));
    }

    @Override
    public String toString() {
        return "LocalCanister[" + canisterId + (module == null ? ", empty" : ", module sha256 "
                + java.util.HexFormat.of().formatHex(module.sha256())) + "]";
    }
}

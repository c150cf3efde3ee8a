package dev.tealama.ichost;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A canister module ready to run: checked against the IC's rules ({@link ModuleValidator}), instrumented to count
 * its instructions ({@link MeteringInstrumenter}) and, in {@link ExecutionMode#COMPILED}, compiled to JVM bytecode.
 * Preparing takes a while for a large module; a prepared module can be installed in any number of canisters whose
 * install instruction limit is the one it was prepared for.
 */
public final class CanisterModule {

    private final byte[] sha256;
    private final int size;
    private final WasmModule instrumented;
    private final int counterGlobal;
    private final long startBudget;
    private final ExecutionMode mode;
    private final Function<Instance, Machine> machineFactory;
    private final Set<String> exports;
    private final Map<String, Metadata> metadata;
    /** Reference mode: each instance's instruction counter, decremented by the interpreter's listener. */
    private final java.util.Map<Instance, long[]> referenceCounters = new java.util.WeakHashMap<>();

    private CanisterModule(byte[] sha256, int size, WasmModule instrumented, int counterGlobal, long startBudget,
            ExecutionMode mode, Function<Instance, Machine> machineFactory, Set<String> exports,
            Map<String, Metadata> metadata) {
        this.sha256 = sha256;
        this.size = size;
        this.instrumented = instrumented;
        this.counterGlobal = counterGlobal;
        this.startBudget = startBudget;
        this.mode = mode;
        this.machineFactory = machineFactory;
        this.exports = exports;
        this.metadata = metadata;
    }

    /**
     * A custom section {@code icp:public <name>} or {@code icp:private <name>}: what the IC serves at
     * {@code /canister/<id>/metadata/<name>} (private ones only to controllers).
     *
     * @param name     the name after {@code icp:public } or {@code icp:private }
     * @param isPublic whether anyone may read it
     * @param content  the section's bytes
     */
    public record Metadata(String name, boolean isPublic, byte[] content) {
        public Metadata {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /**
     * Validates, instruments and (in compiled mode) compiles a module.
     *
     * @param wasm        the module (uncompressed)
     * @param startBudget the instructions its Wasm start function may execute: the install limit of the canisters
     *                    it will be installed in
     * @param mode        compiled or interpreted
     * @throws InvalidModuleException if the IC would not accept the module
     */
    public static CanisterModule prepare(byte[] wasm, long startBudget, ExecutionMode mode) {
        WasmModule original = ModuleValidator.validate(wasm);
        Set<String> exports = new LinkedHashSet<>();
        for (int i = 0; i < original.exportSection().exportCount(); i++) {
            exports.add(original.exportSection().getExport(i).name());
        }
        if (mode == ExecutionMode.REFERENCE) {
            if (SimdLowering.of(original) != null) {
                throw new IllegalArgumentException("REFERENCE mode counts with Chicory's interpreter, which runs no"
                        + " SIMD instruction; this module uses SIMD: run it COMPILED or INTERPRETED");
            }
            return new CanisterModule(sha256(wasm), wasm.length, original, -1, startBudget, mode,
                    InterpreterMachine::new, Set.copyOf(exports), readMetadata(wasm));
        }
        MeteringInstrumenter.Result metered = MeteringInstrumenter.instrument(wasm, original, startBudget);
        WasmModule instrumented = Parser.parse(metered.wasm());
        Function<Instance, Machine> machineFactory = mode == ExecutionMode.COMPILED
                ? MachineFactoryCompiler.builder(instrumented)
                        .withInterpreterFallback(InterpreterFallback.SILENT)
                        .compile()
                : InterpreterMachine::new;
        return new CanisterModule(sha256(wasm), wasm.length, instrumented, metered.counterGlobal(), startBudget,
                mode, machineFactory, Set.copyOf(exports), readMetadata(wasm));
    }

    /** The {@code icp:} custom sections of a validated module, by name. */
    private static Map<String, Metadata> readMetadata(byte[] wasm) {
        Map<String, Metadata> sections = new LinkedHashMap<>();
        for (WasmBinary.Section section : WasmBinary.sections(wasm)) {
            if (section.id() != WasmBinary.CUSTOM) {
                continue;
            }
            String name = WasmBinary.customSectionName(wasm, section);
            boolean isPublic = name.startsWith("icp:public ");
            if (!isPublic && !name.startsWith("icp:private ")) {
                continue;
            }
            String rest = name.substring(isPublic ? "icp:public ".length() : "icp:private ".length());
            int nameBytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            int[] position = {section.contentStart()};
            WasmBinary.readU32(wasm, position);
            int contentStart = position[0] + nameBytes;
            sections.put(rest, new Metadata(rest, isPublic,
                    java.util.Arrays.copyOfRange(wasm, contentStart, section.contentEnd())));
        }
        return Collections.unmodifiableMap(sections);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    /** SHA-256 of the module as given (what the IC reports as the module hash). */
    public byte[] sha256() {
        return sha256.clone();
    }

    /** Size of the module as given, in bytes. */
    public int size() {
        return size;
    }

    /** The names of the module's exports. */
    public Set<String> exports() {
        return exports;
    }

    /** The module's {@code icp:public} and {@code icp:private} custom sections, by name (without the prefix). */
    public Map<String, Metadata> metadata() {
        return metadata;
    }

    /** The compiled or interpreted mode it was prepared for. */
    public ExecutionMode mode() {
        return mode;
    }

    long startBudget() {
        return startBudget;
    }

    WasmModule instrumented() {
        return instrumented;
    }

    /**
     * A new instance of this module, not initialized (its start function has not run), built by a builder that
     * {@code configure} completes; in reference mode with the listener that counts instructions.
     */
    Instance newInstance(java.util.function.UnaryOperator<Instance.Builder> configure) {
        Instance.Builder builder = Instance.builder(instrumented)
                .withMachineFactory(machineFactory)
                .withInitialize(false);
        if (mode != ExecutionMode.REFERENCE) {
            return configure.apply(builder).build();
        }
        long[] counter = {startBudget};
        builder.withUnsafeExecutionListener((instruction, stack) -> {
            if (--counter[0] < 0) {
                throw new com.dylibso.chicory.runtime.TrapException("instruction limit exceeded");
            }
        });
        Instance instance = configure.apply(builder).build();
        synchronized (referenceCounters) {
            referenceCounters.put(instance, counter);
        }
        return instance;
    }

    /** The instructions the current message may still execute in this instance. */
    long remaining(Instance instance) {
        if (mode == ExecutionMode.REFERENCE) {
            synchronized (referenceCounters) {
                return referenceCounters.get(instance)[0];
            }
        }
        return instance.global(counterGlobal).getValue();
    }

    void setRemaining(Instance instance, long value) {
        if (mode == ExecutionMode.REFERENCE) {
            synchronized (referenceCounters) {
                referenceCounters.get(instance)[0] = value;
            }
        } else {
            instance.global(counterGlobal).setValue(value);
        }
    }

}

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
import java.util.LinkedHashSet;
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

    private CanisterModule(byte[] sha256, int size, WasmModule instrumented, int counterGlobal, long startBudget,
            ExecutionMode mode, Function<Instance, Machine> machineFactory, Set<String> exports) {
        this.sha256 = sha256;
        this.size = size;
        this.instrumented = instrumented;
        this.counterGlobal = counterGlobal;
        this.startBudget = startBudget;
        this.mode = mode;
        this.machineFactory = machineFactory;
        this.exports = exports;
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
        MeteringInstrumenter.Result metered = MeteringInstrumenter.instrument(wasm, original, startBudget);
        WasmModule instrumented = Parser.parse(metered.wasm());
        Function<Instance, Machine> machineFactory = mode == ExecutionMode.COMPILED
                ? MachineFactoryCompiler.builder(instrumented)
                        .withInterpreterFallback(InterpreterFallback.SILENT)
                        .compile()
                : InterpreterMachine::new;
        Set<String> exports = new LinkedHashSet<>();
        for (int i = 0; i < original.exportSection().exportCount(); i++) {
            exports.add(original.exportSection().getExport(i).name());
        }
        return new CanisterModule(sha256(wasm), wasm.length, instrumented, metered.counterGlobal(), startBudget,
                mode, machineFactory, Set.copyOf(exports));
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

    int counterGlobal() {
        return counterGlobal;
    }

    Function<Instance, Machine> machineFactory() {
        return machineFactory;
    }
}

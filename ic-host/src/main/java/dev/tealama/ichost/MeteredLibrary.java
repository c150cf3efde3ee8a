package dev.tealama.ichost;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain Wasm module that is not a canister (a shim such as the canister's SIMD kernels, before it is merged), run
 * metered exactly as a canister's code is ({@link MeteringInstrumenter}, SIMD lowered by {@link SimdLowering},
 * compiled by Chicory), so that its functions can be tested and their instructions counted on their own.
 *
 * <p>The module may import one memory (any module and name: this host gives it {@code pages} pages of its own) and
 * no functions; nothing of the IC's rules is checked.
 */
public final class MeteredLibrary {
    private static final long BUDGET = Long.MAX_VALUE / 2;

    private final Instance instance;
    private final int counter;
    private long lastInstructions;

    private MeteredLibrary(Instance instance, int counter) {
        this.instance = instance;
        this.counter = counter;
    }

    /**
     * Instruments and compiles {@code wasm}.
     *
     * @param pages the size of the memory given to a module that imports one
     */
    public static MeteredLibrary load(byte[] wasm, int pages) {
        WasmModule original = Parser.parse(wasm);
        if (original.importSection().count(ExternalType.FUNCTION) > 0) {
            throw new IllegalArgumentException("A library module may import no functions");
        }
        MeteringInstrumenter.Result metered = MeteringInstrumenter.instrument(wasm, original, BUDGET);
        WasmModule module = Parser.parse(metered.wasm());
        List<ImportFunction> functions = new ArrayList<>();
        ImportValues.Builder imports = ImportValues.builder();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            var imported = module.importSection().getImport(i);
            if (imported.importType() == ExternalType.MEMORY) {
                imports.addMemory(new ImportMemory(imported.module(), imported.name(),
                        new ByteArrayMemory(new MemoryLimits(pages, pages))));
            }
        }
        if (SimdLowering.of(original) != null) {
            functions.addAll(SimdOps.hostFunctions());
        }
        imports.withFunctions(functions);
        Instance instance = Instance.builder(module)
                .withImportValues(imports.build())
                .withMachineFactory(MachineFactoryCompiler.builder(module)
                        .withInterpreterFallback(InterpreterFallback.SILENT)
                        .compile())
                .build();
        return new MeteredLibrary(instance, metered.counterGlobal());
    }

    /** Calls the exported function {@code name}; its instructions are then {@link #lastInstructions()}. */
    public long[] call(String name, long... args) {
        var global = instance.global(counter);
        global.setValue(BUDGET);
        long[] result = instance.export(name).apply(args);
        lastInstructions = BUDGET - global.getValue();
        return result;
    }

    /** Wasm instructions of the last call, each counted as 1 (as a canister's are). */
    public long lastInstructions() {
        return lastInstructions;
    }

    /** Writes {@code bytes} at {@code address} of the module's memory. */
    public void write(int address, byte[] bytes) {
        instance.memory().write(address, bytes);
    }

    /** Reads {@code length} bytes at {@code address} of the module's memory. */
    public byte[] read(int address, int length) {
        return instance.memory().readBytes(address, length);
    }
}

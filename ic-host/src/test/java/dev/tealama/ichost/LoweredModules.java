package dev.tealama.ichost;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;

/**
 * A test module in WAT, lowered as this host prepares a canister ({@link MeteringInstrumenter}: SIMD instructions
 * become calls to {@link SimdOps}' host functions) and instantiated, compiled or interpreted.
 */
final class LoweredModules {
    private LoweredModules() {
    }

    static Instance instance(String wat, boolean compiled) {
        byte[] wasm = Wat.compile(wat);
        byte[] lowered = MeteringInstrumenter.instrument(wasm, Parser.parse(wasm), 1_000_000_000L).wasm();
        WasmModule module = Parser.parse(lowered);
        return Instance.builder(module)
                .withImportValues(ImportValues.builder().withFunctions(SimdOps.hostFunctions()).build())
                .withMachineFactory(compiled ? MachineFactoryCompiler.compile(module) : InterpreterMachine::new)
                .build();
    }
}

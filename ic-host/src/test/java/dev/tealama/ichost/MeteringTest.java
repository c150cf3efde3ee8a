package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The instrumented count against Chicory's interpreter, which reports each instruction it executes to an execution
 * listener: an independent count of the same execution.
 */
class MeteringTest {

    static final long BUDGET = 1_000_000_000_000L;
    static byte[] wasm;
    static WasmModule original;
    static MeteringInstrumenter.Result instrumented;

    @BeforeAll
    static void prepare() {
        wasm = Wat.resource("metering");
        original = Parser.parse(wasm);
        instrumented = MeteringInstrumenter.instrument(wasm, original, BUDGET);
    }

    /** Instructions the interpreter executes for one call, counted by its listener. */
    static long interpreterCount(String function, long... args) {
        long[] count = {0};
        Instance instance = Instance.builder(original)
                .withUnsafeExecutionListener((instruction, stack) -> count[0]++)
                .build();
        instance.export(function).apply(args);
        return count[0];
    }

    /** Instructions the instrumented module counts for one call, run by Chicory's compiler. */
    static long instrumentedCount(String function, long... args) {
        WasmModule module = Parser.parse(instrumented.wasm());
        Instance instance = Instance.builder(module)
                .withMachineFactory(MachineFactoryCompiler.compile(module))
                .build();
        var counter = instance.global(instrumented.counterGlobal());
        long before = counter.getValue();
        instance.export(function).apply(args);
        return before - counter.getValue();
    }

    @Test
    void straightLineCodeCountsExactlyAsTheInterpreter() {
        assertEquals(19, interpreterCount("straight"), "the 19 instructions of the function, its end included");
        assertEquals(interpreterCount("straight"), instrumentedCount("straight"));
    }

    @Test
    void loopsBranchesCallsAndReturnsCountExactlyAsTheInterpreter() {
        for (String function : List.of("sum", "fib", "dispatch")) {
            for (int argument : new int[] {0, 1, 2, 3, 7, 20}) {
                assertEquals(interpreterCount(function, argument), instrumentedCount(function, argument),
                        function + "(" + argument + ")");
            }
        }
    }
}

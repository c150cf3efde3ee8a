package dev.tealama.canister;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.model.LayerWeights;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.Matrix;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Measures what docs/benchmarks.md reports for the canister, in the metered local IC host: Wasm instructions per
 * prompt token and per generated token for each test model, per weight (a prompt token multiplies the layers'
 * matrices, a generated token the output projection too), and tokens per 40 B-instruction call
 * ({@link CanisterLargeModelReport} does the same on the Llama-3.2-1B-shaped files). Prints a
 * Markdown table. Run: {@code mvn -pl wasm-canister -am test -Dtest=CanisterCostReport -Dtealama.excludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("extended")
class CanisterCostReport {
    private static final long LIMIT = 40_000_000_000L;

    @Test
    void report() {
        StringBuilder table = new StringBuilder();
        table.append("| model | weights | load (instructions, calls) | per prompt token | per weight"
                + " | per generated token | per weight | instructions per work unit | tokens per 40 B call |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (String file : List.of("stories260K.gguf", "tiny-llama3-Q8_0.gguf", "tiny-llama3-Q4_0.gguf",
                "tinyk-llama3-Q4_K.gguf")) {
            table.append(measure(file, TestData.readModel(file))).append('\n');
        }
        for (String file : List.of("tinyk-llama3-Q6_K.gguf")) { // not committed: from ../shared/models
            table.append(measure(file, TestData.readAll(TestData.shared().resolve("models").resolve(file))))
                    .append('\n');
        }
        System.out.println("canister module: " + TestCanister.wasm().length + " bytes");
        System.out.println(table);
    }

    private static String measure(String file, byte[] model) {
        // weights a prompt token multiplies (the layers' matrices) and a generated token (and the output projection)
        long layerWeights = 0;
        LlamaModel jvm = LlamaModel.load(new ArrayByteSource(model));
        for (LayerWeights w : jvm.weights().layers()) {
            for (Matrix m : w.matrices()) {
                layerWeights += (long) m.rows() * m.cols();
            }
        }
        long generatedWeights = layerWeights + (long) jvm.weights().output().rows() * jvm.weights().output().cols();
        TestCanister canister = new TestCanister();
        canister.upload(model, file);
        List<RecordValue> loads = canister.load();
        long loadInstructions = 0;
        for (RecordValue p : loads) {
            loadInstructions += (Long) p.get("instructions");
        }
        String shortPrompt = "Once upon a time, there was a little girl.";
        String longPrompt = shortPrompt + " She loved to play outside in the park. One day, she saw a big red ball"
                + " in the tree. She wanted to play with it, but it was too high for her to reach.";
        RecordValue a = ingest(canister, shortPrompt, 1);
        RecordValue b = ingest(canister, longPrompt, 1);
        int generated = 16;
        RecordValue c = ingest(canister, shortPrompt, 1 + generated);
        long perPrompt = ((Long) b.get("instructions") - (Long) a.get("instructions"))
                / ((Long) b.get("prompt_tokens") - (Long) a.get("prompt_tokens"));
        long perToken = ((Long) c.get("instructions") - (Long) a.get("instructions")) / generated;
        double perUnit = (double) (Long) c.get("instructions") / (Long) c.get("work_units");
        RecordValue info = canister.modelInfo();
        assertTrue(canister.maxInstructions < LIMIT);
        return "| " + file + " | " + info.get("weight_types") + " | " + loadInstructions + " in " + loads.size()
                + " | " + perPrompt + " | " + String.format("%.2f", (double) perPrompt / layerWeights) + " | "
                + perToken + " | " + String.format("%.2f", (double) perToken / generatedWeights) + " | "
                + String.format("%.1f", perUnit) + " | " + LIMIT / perToken + " |";
    }

    /**
     * A greedy generation of {@code tokens} tokens (the default 30 B budget per step); its last counters, with the
     * instructions of all its steps.
     */
    private static RecordValue ingest(TestCanister canister, String prompt, int tokens) {
        RecordValue options = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", (long) tokens);
        TestCanister.Generation g = canister.generate(TestCanister.USER, prompt, options);
        long instructions = g.instructions();
        RecordValue counters = (RecordValue) g.last().get("counters");
        System.out.println(prompt.length() + " chars, " + tokens + " tokens: " + g.steps().size() + " step(s), "
                + instructions + " instructions, " + counters.get("work_units") + " work units");
        return counters.set("instructions", instructions);
    }
}

package dev.tealama.canister;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.model.LayerWeights;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.Matrix;
import dev.tealama.testing.GeneratedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Instructions per weight of the canister on the Llama-3.2-1B-shaped files (issue 6's measure), in the metered local
 * IC host: per prompt token and per generated token, and tokens per 40 B call. The local host holds at most 2 GiB of
 * Wasm memory: the Q4_0 file (0.7 GB) fits above the default 1 GiB heap; the Q8_0 file (1.3 GB) needs a module built
 * with a smaller heap ({@code -Dcanister.heap.mb=640}), given with {@code -Dtealama.report.wasm=FILE}.
 * Run: {@code mvn -pl wasm-canister -am test -Dtest=CanisterLargeModelReport -Dtealama.excludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dtealama.report.models=llama3.2-1b-shape-Q8_0.gguf]} (names are looked up
 * by {@code GeneratedModels}: {@code -Dtealama.models.cache=DIR} points it at ready-made copies; an absolute path is
 * read as it is, e.g. a one-layer model of the same shapes for per-layer figures).
 */
@Tag("extended")
class CanisterLargeModelReport {
    private static final long LIMIT = 40_000_000_000L;

    @Test
    void report() throws IOException {
        String models = System.getProperty("tealama.report.models", "llama3.2-1b-shape-Q4_0.gguf");
        String wasm = System.getProperty("tealama.report.wasm");
        StringBuilder table = new StringBuilder("| model | weights per prompt token | per prompt token | per weight"
                + " | weights per generated token | per generated token | per weight | tokens per 40 B call |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (String file : models.split(",")) {
            table.append(measure(file.trim(), wasm)).append('\n');
            System.out.println(table);
        }
    }

    private static String measure(String file, String wasm) throws IOException {
        // a generated model's name (verified against the references' SHA-256), or any file by its absolute path
        Path path = file.startsWith("/") ? Path.of(file) : GeneratedModels.get(file);
        byte[] model = Files.readAllBytes(path);
        long layerWeights = 0;
        long outputWeights;
        {
            LlamaModel jvm = LlamaModel.load(new ArrayByteSource(model));
            for (LayerWeights w : jvm.weights().layers()) {
                for (Matrix m : w.matrices()) {
                    layerWeights += (long) m.rows() * m.cols();
                }
            }
            Matrix out = jvm.weights().output();
            outputWeights = (long) out.rows() * out.cols();
        }
        TestCanister canister = wasm == null ? new TestCanister() : new TestCanister(readWasm(wasm));
        long t0 = System.nanoTime();
        canister.begin(model, file);
        for (int off = 0; off < model.length; off += 1_900_000) {
            canister.chunk(model, off, Math.min(1_900_000, model.length - off));
        }
        model = null;
        List<RecordValue> loads = canister.load();
        long loadInstructions = 0;
        for (RecordValue p : loads) {
            loadInstructions += (Long) p.get("instructions");
        }
        System.out.println(file + ": uploaded and loaded in " + (System.nanoTime() - t0) / 1_000_000_000 + " s, "
                + loads.size() + " load calls, " + loadInstructions + " load instructions");
        String shortPrompt = "Once upon a time";
        String longPrompt = "Once upon a time, there was a little girl who loved to play outside in the park.";
        RecordValue a = run(canister, shortPrompt, 1);
        RecordValue b = run(canister, longPrompt, 1);
        int generated = 2;
        RecordValue c = run(canister, shortPrompt, 1 + generated);
        long promptTokens = (Long) b.get("prompt_tokens") - (Long) a.get("prompt_tokens");
        long perPrompt = ((Long) b.get("instructions") - (Long) a.get("instructions")) / promptTokens;
        long perToken = ((Long) c.get("instructions") - (Long) a.get("instructions")) / generated;
        System.out.println(file + ": the largest message took " + canister.maxInstructions + " instructions");
        assertTrue(canister.maxInstructions < LIMIT);
        return String.format("| %s | %,d | %,d | %.3f | %,d | %,d | %.3f | %.1f |", file, layerWeights, perPrompt,
                (double) perPrompt / layerWeights, layerWeights + outputWeights, perToken,
                (double) perToken / (layerWeights + outputWeights), (double) LIMIT / perToken);
    }

    private static byte[] readWasm(String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A greedy generation of {@code tokens} tokens; its last counters, with the instructions of all its steps. */
    private static RecordValue run(TestCanister canister, String prompt, int tokens) {
        RecordValue options = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", (long) tokens).set("context_size", 256L);
        long t0 = System.nanoTime();
        TestCanister.Generation g = canister.generate(TestCanister.USER, prompt, options);
        long instructions = g.instructions();
        RecordValue counters = (RecordValue) g.last().get("counters");
        System.out.println(prompt.length() + " chars, " + tokens + " tokens: " + g.steps().size() + " step(s), "
                + instructions + " instructions, " + counters.get("prompt_tokens") + " prompt tokens, "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return counters.set("instructions", instructions);
    }
}

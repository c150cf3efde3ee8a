package dev.tealama.cli;

import dev.tealama.testing.Json;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tealama bench}: the table and the JSON carry every test and the run's facts; llama-bench's JSON (here
 * from a stand-in script printing llama-bench's output format) is read and set beside ours with the ratios; bad
 * options are usage errors. Speeds themselves are not asserted (the machine decides them).
 */
class BenchCommandTest {
    private static final String MODEL = TestData.model("stories260K.gguf").toString();

    @Test
    void tableNamesTestsAndFacts() {
        Tealama run = Tealama.run("bench", "-m", MODEL, "-p", "8", "-n", "4", "-r", "2", "-t", "2").assertSuccess();
        String out = run.out();
        // the default --weights auto: huge pages where Linux gives them, else the mapping
        assertTrue(out.contains("stories260K.gguf (hugepages") || out.contains("stories260K.gguf (mmap"), out);
        assertTrue(out.contains("kernels:  vector x2") || out.contains("kernels:  scalar x2"), out);
        assertTrue(out.matches("(?s).*\\| pp8 +\\| +[0-9.]+ ± [0-9.]+ \\|.*"), out);
        assertTrue(out.matches("(?s).*\\| tg4 +\\| +[0-9.]+ ± [0-9.]+ \\|.*"), out);
        assertTrue(out.contains("peak RSS: "), out);
        assertTrue(run.err().contains("running pp8 x 2"), run.err());
    }

    @Test
    void json() {
        Tealama run = Tealama.run("bench", "-m", MODEL, "-p", "8", "-n", "0", "-r", "3", "--weights", "heap",
                "--json").assertSuccess();
        Map<String, Object> o = Json.object(run.out());
        assertEquals("heap", o.get("weights"));
        assertEquals(Runtime.getRuntime().availableProcessors(), ((Number) o.get("threads")).intValue());
        assertTrue(((Number) o.get("peak_rss_bytes")).longValue() > 0);
        List<?> results = (List<?>) o.get("results");
        assertEquals(1, results.size());
        Map<?, ?> pp = (Map<?, ?>) results.get(0);
        assertEquals("pp8", pp.get("test"));
        assertEquals(3, ((List<?>) pp.get("samples_ts")).size());
        assertTrue(((Number) pp.get("avg_ts")).doubleValue() > 0);
    }

    @Test
    void comparesWithLlamaBench(@TempDir Path dir) throws IOException {
        // llama-bench's -o json format (fields abridged), as a stand-in script prints it
        Path json = dir.resolve("llama-bench.json");
        Files.writeString(json, """
                [
                  {"build_commit": "de3ff81", "build_number": 1, "model_filename": "x", "n_threads": 2,
                   "n_prompt": 8, "n_gen": 0, "avg_ts": 2.000000, "stddev_ts": 0.100000, "samples_ts": [1.9, 2.1]},
                  {"build_commit": "de3ff81", "build_number": 1, "model_filename": "x", "n_threads": 2,
                   "n_prompt": 0, "n_gen": 4, "avg_ts": 1.000000, "stddev_ts": 0.000000, "samples_ts": [1.0, 1.0]}
                ]
                """);
        Path script = dir.resolve("llama-bench");
        Path args = dir.resolve("args.txt");
        Files.writeString(script, "#!/bin/sh\necho \"$@\" > '" + args + "'\ncat '" + json + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        Tealama run = Tealama.run("bench", "-m", MODEL, "-p", "8", "-n", "4", "-r", "2", "-t", "2",
                "--compare-llama-bench", script.toString(), "--json").assertSuccess();
        assertEquals("-m " + MODEL + " -t 2 -p 8 -n 4 -r 2 -o json", Files.readString(args).strip());
        Map<String, Object> o = Json.object(run.out());
        Map<?, ?> llama = (Map<?, ?>) o.get("llama_bench");
        assertEquals("de3ff81 (1)", llama.get("build"));
        Map<?, ?> ratios = (Map<?, ?>) llama.get("ratios");
        double ours = ((Number) ((Map<?, ?>) ((List<?>) o.get("results")).get(0)).get("avg_ts")).doubleValue();
        assertEquals(ours / 2.0, ((Number) ratios.get("pp8")).doubleValue(), 1e-3);

        Tealama text = Tealama.run("bench", "-m", MODEL, "-p", "8", "-n", "4", "-r", "2",
                "--compare-llama-bench", script.toString()).assertSuccess();
        assertTrue(text.out().matches("(?s).*\\| test +\\| +tealama t/s \\| llama.cpp t/s \\| tealama / llama.cpp \\|.*"),
                text.out());
        assertTrue(text.out().matches("(?s).*\\| pp8 +\\| +[0-9.]+ ± [0-9.]+ \\| +2\\.00 ± 0\\.10 \\| +[0-9.]+ \\|.*"),
                text.out());
    }

    @Test
    void llamaBenchFailureIsNamed(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("llama-bench");
        Files.writeString(script, "#!/bin/sh\necho 'error: failed to load model' >&2\nexit 1\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Tealama.run("bench", "-m", MODEL, "-p", "8", "-n", "0", "-r", "1", "--compare-llama-bench", script.toString())
                .assertFailure(Main.EXIT_ERROR, "llama-bench failed", "failed to load model");
        Tealama.run("bench", "-m", MODEL, "-p", "8", "-n", "0", "-r", "1", "--compare-llama-bench",
                dir.resolve("missing").toString()).assertFailure(Main.EXIT_ERROR, "not an executable file");
    }

    @Test
    void badOptionsAreUsageErrors() {
        Tealama.run("bench", "-m", MODEL, "-p", "0", "-n", "0").assertFailure(Main.EXIT_USAGE, "nothing to measure");
        Tealama.run("bench", "-m", MODEL, "-r", "0").assertFailure(Main.EXIT_USAGE, "--repetitions");
        Tealama.run("bench", "-m", MODEL, "-p", "-3").assertFailure(Main.EXIT_USAGE, "negative");
        Tealama.run("bench", "-m", MODEL, "-p", "64", "-c", "32").assertFailure(Main.EXIT_USAGE, "--ctx-size");
        Tealama.run("bench", "--compare-llama-bench", "/bin/true").assertFailure(Main.EXIT_USAGE, "-m FILE");
    }
}

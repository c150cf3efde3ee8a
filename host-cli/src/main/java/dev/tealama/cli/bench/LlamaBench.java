package dev.tealama.cli.bench;

import dev.tealama.TealamaException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs llama.cpp's {@code llama-bench} on the same file with the same tests and threads, and reads its JSON
 * ({@code -o json}): one result per test, with llama-bench's own mean and standard deviation of tokens per second.
 */
public final class LlamaBench {
    /** A run of llama-bench should not hang the benchmark forever. */
    private static final long TIMEOUT_MINUTES = 60;

    private LlamaBench() {
    }

    /** What llama-bench reported: its build and one throughput per test. */
    public record Report(String build, List<Throughput> results) {
        /** The result of {@code test}, or null. */
        public Throughput result(String test) {
            for (Throughput t : results) {
                if (t.test().equals(test)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * Runs {@code llama-bench -m model -t threads -p promptTokens -n generatedTokens -r repetitions -o json}.
     *
     * @throws TealamaException when llama-bench cannot be run, fails, or prints something that is not its JSON
     */
    public static Report run(Path executable, Path model, int threads, int promptTokens, int generatedTokens,
                             int repetitions) {
        if (!Files.isExecutable(executable)) {
            throw new TealamaException("llama-bench " + executable + " is not an executable file");
        }
        List<String> command = List.of(executable.toString(), "-m", model.toString(), "-t", Integer.toString(threads),
                "-p", Integer.toString(promptTokens), "-n", Integer.toString(generatedTokens),
                "-r", Integer.toString(repetitions), "-o", "json");
        String output;
        String errors;
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            output = readAll(p.getInputStream());
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new TealamaException("llama-bench did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            errors = err.join();
            if (p.exitValue() != 0) {
                throw new TealamaException("llama-bench failed (exit code " + p.exitValue() + "): "
                        + lastLine(errors));
            }
        } catch (IOException e) {
            throw new TealamaException("cannot run llama-bench " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TealamaException("interrupted while llama-bench ran", e);
        }
        return parse(output);
    }

    /** llama-bench's {@code -o json} output. */
    static Report parse(String json) {
        Object parsed;
        try {
            parsed = JsonReader.parse(json.trim());
        } catch (IllegalArgumentException e) {
            throw new TealamaException("llama-bench printed something other than its JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof List<?> list) || list.isEmpty()) {
            throw new TealamaException("llama-bench reported no results");
        }
        List<Throughput> results = new ArrayList<>();
        String build = null;
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> r)) {
                throw new TealamaException("llama-bench's JSON holds a result that is not an object");
            }
            int prompt = integer(r, "n_prompt");
            int generated = integer(r, "n_gen");
            double mean = number(r, "avg_ts");
            double stddev = number(r, "stddev_ts");
            double[] samples = new double[0];
            if (r.get("samples_ts") instanceof List<?> s) {
                samples = s.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            }
            results.add(new Throughput(Throughput.name(prompt, generated), prompt, generated, mean, stddev, samples));
            if (build == null && r.get("build_commit") instanceof String commit) {
                build = commit + (r.get("build_number") instanceof Number n ? " (" + n.intValue() + ")" : "");
            }
        }
        return new Report(build == null ? "unknown build" : build, results);
    }

    private static int integer(Map<?, ?> r, String key) {
        return (int) number(r, key);
    }

    private static double number(Map<?, ?> r, String key) {
        if (!(r.get(key) instanceof Number n)) {
            throw new TealamaException("llama-bench's JSON result lacks \"" + key + "\"");
        }
        return n.doubleValue();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        String t = text.strip();
        int nl = t.lastIndexOf('\n');
        return t.isEmpty() ? "(no message)" : t.substring(nl + 1);
    }
}

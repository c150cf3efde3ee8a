package dev.tealama.ichost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Compiles WebAssembly text with wabt's {@code wat2wasm} (Debian package {@code wabt}; Chicory's own wabt artifact
 * stops at version 1.0.0 on Maven Central). Fails with a message naming the tool when it is missing.
 */
final class Wat {

    private Wat() {
    }

    static byte[] compile(String wat, String... flags) {
        try {
            Path dir = Files.createTempDirectory("tealama-wat");
            Path source = dir.resolve("module.wat");
            Path output = dir.resolve("module.wasm");
            Files.writeString(source, wat, StandardCharsets.UTF_8);
            Process process;
            try {
                java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(flags));
                command.add(0, "wat2wasm");
                command.addAll(java.util.List.of(source.toString(), "-o", output.toString()));
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("wat2wasm (from wabt) is needed to compile the test canisters and"
                        + " was not found on the PATH; install it with `apt-get install -y wabt`", e);
            }
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalArgumentException("wat2wasm failed:\n" + log + "\n" + wat);
            }
            byte[] wasm = Files.readAllBytes(output);
            Files.delete(output);
            Files.delete(source);
            Files.delete(dir);
            return wasm;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Compiles a test canister from {@code src/test/resources/dev/tealama/ichost/<name>.wat}. */
    static byte[] resource(String name) {
        try (var in = Wat.class.getResourceAsStream(name + ".wat")) {
            if (in == null) {
                throw new IllegalArgumentException("No test canister " + name + ".wat");
            }
            return compile(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

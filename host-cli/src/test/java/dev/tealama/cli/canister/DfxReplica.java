package dev.tealama.cli.canister;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real local replica started by dfx: a throw-away dfx project with its own local network on a free port (so a
 * user's shared local network is never touched), the built module deployed as a custom canister, controlled by dfx's
 * current identity (exported as a PEM file, as a user would). Only when {@code dfx} is on the PATH.
 */
final class DfxReplica implements ReplicaUnderTest {
    private final Path project;
    private final String url;
    private final String canisterId;
    private final Path controllerPem;

    private DfxReplica(Path project, String url, String canisterId, Path controllerPem) {
        this.project = project;
        this.url = url;
        this.canisterId = canisterId;
        this.controllerPem = controllerPem;
    }

    /** Whether {@code dfx --version} runs. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("dfx", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static DfxReplica start(Path dir) {
        int port = freePort();
        Path did = CanisterModule.project().resolve("canister.did");
        String dfxJson = "{\n"
                + "  \"version\": 1,\n"
                + "  \"canisters\": {\n"
                + "    \"tealama\": {\"type\": \"custom\", \"candid\": \"" + json(did) + "\", \"wasm\": \""
                + json(CanisterModule.path().toAbsolutePath()) + "\"}\n"
                + "  },\n"
                + "  \"networks\": {\"local\": {\"bind\": \"127.0.0.1:" + port + "\", \"type\": \"ephemeral\"}}\n"
                + "}\n";
        try {
            Files.writeString(dir.resolve("dfx.json"), dfxJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(dir, 180, "dfx", "start", "--background", "--clean");
        try {
            run(dir, 600, "dfx", "deploy", "tealama", "--argument", "(null)");
            String id = CanisterIds.read(dir.resolve(".dfx/local/canister_ids.json"), "tealama", "local")
                    .orElseThrow(() -> new IllegalStateException("dfx deploy wrote no canister id"));
            String identity = run(dir, 60, "dfx", "identity", "whoami").strip();
            Path pem = dir.resolve("controller.pem");
            Files.writeString(pem, run(dir, 60, "dfx", "identity", "export", identity));
            return new DfxReplica(dir, "http://127.0.0.1:" + port, id, pem);
        } catch (IOException | RuntimeException e) {
            run(dir, 120, "dfx", "stop");
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String canisterId() {
        return canisterId;
    }

    @Override
    public Path controllerPem() {
        return controllerPem;
    }

    @Override
    public String describe() {
        return "a dfx replica at " + url;
    }

    @Override
    public void close() {
        run(project, 120, "dfx", "stop");
    }

    /** Runs a command in {@code dir}; its standard output (fails with everything it printed). */
    private static String run(Path dir, int timeoutSeconds, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        try {
            ProcessBuilder builder = new ProcessBuilder(args).directory(dir.toFile());
            builder.environment().put("DFX_WARNING", "-mainnet_plaintext_identity");
            Path err = Files.createTempFile(dir, "dfx", ".err");
            Process p = builder.redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", args) + " did not finish in " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", args) + " failed (" + p.exitValue() + "):\n"
                        + new String(out, StandardCharsets.UTF_8) + Files.readString(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Path path) {
        return path.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

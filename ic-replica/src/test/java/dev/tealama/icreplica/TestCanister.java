package dev.tealama.icreplica;

import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The replica tests' canister ({@code test_canister.wat}): compiled with wabt's {@code wat2wasm} (Debian package
 * {@code wabt}), given a public {@code candid:service} and a private {@code secret} custom section, installed in a
 * {@link LocalCanister}.
 */
final class TestCanister {

    static final String CANDID_SERVICE = "service : { echo : (text) -> (text) }";
    static final String SECRET = "only for controllers";

    private static byte[] wasm;

    private TestCanister() {
    }

    /** The module, compiled once. */
    static synchronized byte[] wasm() {
        if (wasm == null) {
            byte[] compiled = wat2wasm(resource("test_canister.wat"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(compiled);
            out.writeBytes(customSection("icp:public candid:service", CANDID_SERVICE.getBytes(StandardCharsets.UTF_8)));
            out.writeBytes(customSection("icp:private secret", SECRET.getBytes(StandardCharsets.UTF_8)));
            wasm = out.toByteArray();
        }
        return wasm.clone();
    }

    /** A canister with this id and these controllers, the test module installed. */
    static LocalCanister installed(Principal id, Set<Principal> controllers) {
        LocalCanister canister = LocalCanister.builder().canisterId(id).debugSink(text -> { }).build();
        canister.install(wasm(), new byte[0], controllers).replyOrThrow();
        return canister;
    }

    /** A Wasm custom section (id 0): the LEB128 size, the LEB128 name length, the name, the content. */
    static byte[] customSection(String name, byte[] content) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        leb128(body, nameBytes.length);
        body.writeBytes(nameBytes);
        body.writeBytes(content);
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        section.write(0);
        leb128(section, body.size());
        section.writeBytes(body.toByteArray());
        return section.toByteArray();
    }

    private static void leb128(ByteArrayOutputStream out, int value) {
        int rest = value;
        do {
            int low = rest & 0x7F;
            rest >>>= 7;
            out.write(rest == 0 ? low : low | 0x80);
        } while (rest != 0);
    }

    private static String resource(String name) {
        try (InputStream in = TestCanister.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compiles WebAssembly text; fails with a message naming the tool when wat2wasm is missing. */
    static byte[] wat2wasm(String wat) {
        try {
            Path dir = Files.createTempDirectory("tealama-replica-wat");
            Path source = dir.resolve("module.wat");
            Path output = dir.resolve("module.wasm");
            Files.writeString(source, wat, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of("wat2wasm", source.toString(), "-o", output.toString()));
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("wat2wasm (from wabt) is needed to compile the test canister and was"
                        + " not found on the PATH; install it with `apt-get install -y wabt`", e);
            }
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("wat2wasm failed:\n" + log);
            }
            byte[] compiled = Files.readAllBytes(output);
            Files.delete(output);
            Files.delete(source);
            Files.delete(dir);
            return compiled;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

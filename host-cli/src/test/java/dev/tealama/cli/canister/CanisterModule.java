package dev.tealama.cli.canister;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The canister module the tests install: the one wasm-canister built (host-cli's POM passes its path). */
final class CanisterModule {
    private static byte[] bytes;

    private CanisterModule() {
    }

    static Path path() {
        String property = System.getProperty("tealama.canister.wasm");
        Path path = property != null ? Path.of(property) : CanisterWasm.candidates().get(0);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("the canister module " + path + " is missing: build it first with `mvn -pl "
                    + "wasm-canister -am install -DskipTests` (the canister tests of host-cli run the real module)");
        }
        return path;
    }

    static synchronized byte[] bytes() {
        if (bytes == null) {
            try {
                bytes = Files.readAllBytes(path());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes.clone();
    }

    /** The project's root (where canister.did is). */
    static Path project() {
        return path().toAbsolutePath().getParent().getParent().getParent();
    }
}

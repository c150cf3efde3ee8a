package dev.tealama.canister;

import dev.tealama.ichost.MeteredLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The hand-written Wasm modules as the build assembled them ({@code target/wasm-build}), for tests to run alone. */
public final class BuiltShims {
    private BuiltShims() {
    }

    /**
     * {@code src/main/wat/NAME.wat} as wat2wasm assembled it, instrumented and compiled by the metered local IC host
     * with a memory of {@code pages} 64 KiB pages.
     */
    public static MeteredLibrary load(String name, int pages) {
        Path path = Path.of("target/wasm-build/" + name + ".wasm");
        try {
            return MeteredLibrary.load(Files.readAllBytes(path), pages);
        } catch (IOException e) {
            throw new UncheckedIOException("the module " + path + " is missing: build the module first", e);
        }
    }
}

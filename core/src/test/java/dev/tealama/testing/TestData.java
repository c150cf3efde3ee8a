package dev.tealama.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the test models and llama.cpp's reference outputs are.
 *
 * <p>The default test run uses only what is committed under {@code testdata/} (models in {@code testdata/models},
 * llama.cpp outputs in {@code testdata/reference}). Tests tagged {@code extended} may also use {@code ../shared}
 * (the team's shared models and references) and models generated from it into {@code target/generated-models}.
 */
public final class TestData {
    private TestData() {
    }

    /** The project's {@code testdata/} directory. */
    public static Path root() {
        String configured = System.getProperty("tealama.testdata");
        if (configured != null && Files.isDirectory(Paths.get(configured))) {
            return Paths.get(configured);
        }
        // Running from an IDE or from a module directory: walk up until testdata/ appears.
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("testdata/models"))) {
                return dir.resolve("testdata");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("testdata/ not found from " + Paths.get("").toAbsolutePath());
    }

    /** A committed model, e.g. {@code model("stories260K.gguf")}. */
    public static Path model(String fileName) {
        return existing(root().resolve("models").resolve(fileName));
    }

    /** A committed llama.cpp reference file, e.g. {@code reference("greedy.jsonl")}. */
    public static Path reference(String fileName) {
        return existing(root().resolve("reference").resolve(fileName));
    }

    public static byte[] readModel(String fileName) {
        return readAll(model(fileName));
    }

    /** The shared folder beside the project ({@code ../shared}); only extended tests use it. */
    public static Path shared() {
        String configured = System.getProperty("tealama.shared");
        Path p = configured != null ? Paths.get(configured) : root().getParent().resolveSibling("shared");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("the extended tests need ../shared beside the project; not found at "
                    + p.toAbsolutePath());
        }
        return p;
    }

    public static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing test file " + p.toAbsolutePath());
        }
        return p;
    }
}

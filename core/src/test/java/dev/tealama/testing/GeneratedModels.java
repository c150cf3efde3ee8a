package dev.tealama.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Models the extended tests need but the project does not commit: taken from {@code ../shared/models} when there,
 * otherwise generated with {@code ../shared/tools/gen_llama_gguf.py} (deterministic) into a cache directory, and in
 * every case checked against the sha256 that {@code ../shared/reference/README.md} lists for the file its
 * references were made from.
 *
 * <p>The cache is {@code -Dtealama.models.cache} if set, else {@code target/generated-models} at the project root;
 * the generator runs with {@code -Dtealama.python} (default {@code python3}), which needs numpy.
 */
public final class GeneratedModels {
    private static final Map<String, List<String>> RECIPES = Map.of(
            "tiny-llama3-F16.gguf", List.of("--preset", "tiny", "--type", "F16"),
            "tiny-llama3-BF16.gguf", List.of("--preset", "tiny", "--type", "BF16"),
            "tiny-llama3-Q4_1.gguf", List.of("--preset", "tiny", "--type", "Q4_1"),
            "tinyk-llama3-F32.gguf", List.of("--preset", "tinyk", "--type", "F32"),
            "tinyk-llama3-Q8_0.gguf", List.of("--preset", "tinyk", "--type", "Q8_0"),
            "llama3.2-1b-shape-Q8_0.gguf", List.of("--preset", "1b", "--type", "Q8_0"),
            "llama3.2-1b-shape-Q4_0.gguf", List.of("--preset", "1b", "--type", "Q4_0"),
            "llama3-8b-shape-Q4_0.gguf", List.of("--preset", "8b", "--type", "Q4_0"));

    private static final Map<String, Path> VERIFIED = new HashMap<>();

    private GeneratedModels() {
    }

    /** The model file, from ../shared/models, the cache, or freshly generated; verified by sha256. */
    public static synchronized Path get(String fileName) {
        Path done = VERIFIED.get(fileName);
        if (done != null) {
            return done;
        }
        Path shared = TestData.shared().resolve("models").resolve(fileName);
        Path file;
        if (Files.isRegularFile(shared)) {
            file = shared;
        } else {
            file = cache().resolve(fileName);
            String expected = expectedSha256(fileName);
            if (!Files.isRegularFile(file) || !expected.equals(sha256(file))) {
                generate(fileName, file);
            }
        }
        String expected = expectedSha256(fileName);
        String actual = sha256(file);
        if (!expected.equals(actual)) {
            throw new IllegalStateException(file + " has sha256 " + actual + ", but the references were made from "
                    + expected);
        }
        VERIFIED.put(fileName, file);
        return file;
    }

    private static Path cache() {
        String configured = System.getProperty("tealama.models.cache");
        Path dir = configured != null && !configured.isBlank() ? Paths.get(configured)
                : TestData.root().getParent().resolve("target").resolve("generated-models");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static void generate(String fileName, Path out) {
        List<String> recipe = RECIPES.get(fileName);
        if (recipe == null) {
            throw new IllegalArgumentException("no recipe for " + fileName);
        }
        String python = System.getProperty("tealama.python", "python3");
        List<String> command = new java.util.ArrayList<>(List.of(python,
                TestData.shared().resolve("tools").resolve("gen_llama_gguf.py").toString()));
        command.addAll(recipe);
        command.add("-o");
        command.add(out.toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("generating " + fileName + " failed: " + String.join(" ", command)
                        + " (needs python3 with numpy)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sha256 listed for {@code fileName} in ../shared/reference/README.md or ../shared/models/SHA256SUMS. */
    static String expectedSha256(String fileName) {
        for (Path list : new Path[]{TestData.shared().resolve("reference").resolve("README.md"),
                TestData.shared().resolve("models").resolve("SHA256SUMS")}) {
            try {
                for (String line : Files.readAllLines(list)) {
                    String[] parts = line.trim().split("\\s+");
                    if (parts.length == 2 && parts[1].equals(fileName) && parts[0].length() == 64) {
                        return parts[0];
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no sha256 for " + fileName + " in ../shared");
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

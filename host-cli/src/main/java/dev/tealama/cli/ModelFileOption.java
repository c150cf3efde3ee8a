package dev.tealama.cli;

import dev.tealama.TealamaException;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code -m/--model FILE}: which GGUF file a command reads; without it, the model embedded in the jar
 * ({@value #EMBEDDED_NAME}, a 260K-parameter story writer), so that {@code tealama run} works anywhere.
 */
public final class ModelFileOption {
    /** The file name of the embedded model. */
    public static final String EMBEDDED_NAME = "stories260K.gguf";
    /** Where the build puts it (see host-cli/pom.xml), relative to this class's package. */
    private static final String EMBEDDED_RESOURCE = "model/" + EMBEDDED_NAME;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE",
            description = "The GGUF model file (default: the embedded " + EMBEDDED_NAME + ").")
    private Path model;

    /** Whether no file was given, so the embedded model is used. */
    public boolean isEmbedded() {
        return model == null;
    }

    /** The file given with {@code -m}, or null for the embedded model. */
    public Path path() {
        return model;
    }

    /** How messages name the model: the path given, or "the embedded stories260K.gguf". */
    public String displayName() {
        return model == null ? "the embedded " + EMBEDDED_NAME : model.toString();
    }

    /** The bytes of the embedded model. */
    public static byte[] embeddedModel() {
        try (InputStream in = ModelFileOption.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new TealamaException("this build has no embedded model (" + EMBEDDED_RESOURCE
                        + " is missing from the jar); pass one with -m FILE");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new TealamaException("cannot read the embedded model: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code file} is something a GGUF reader can open: it exists, is a readable regular file and is
     * not empty. Each failure names the problem ({@code "x.gguf does not exist"}).
     *
     * @param role what the file is for, as messages should call it ("model file", "input file")
     */
    public static Path requireReadableFile(Path file, String role) {
        if (!Files.exists(file)) {
            throw new TealamaException(role + " " + file + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new TealamaException(role + " " + file + " is a directory, not a GGUF file");
        }
        if (!Files.isRegularFile(file)) {
            throw new TealamaException(role + " " + file + " is not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new TealamaException("cannot read " + role + " " + file + ": permission denied");
        }
        try {
            if (Files.size(file) == 0) {
                throw new TealamaException(role + " " + file + " is empty (0 bytes), not a GGUF file");
            }
        } catch (IOException e) {
            throw new TealamaException("cannot read " + role + " " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}

package dev.tealama.cli;

import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar as a user runs it: a separate JVM, the jar copied away from the build (the embedded model must
 * come from inside the jar), standard output redirected to a file. Runs in the integration-test phase, after
 * package ({@code mvn verify}).
 */
class PackagedJarIT {
    @TempDir
    static Path dir;
    private static Path jar;

    @BeforeAll
    static void copyTheJarAway() throws IOException {
        Path built = Path.of(System.getProperty("tealama.jar", "target/tealama.jar"));
        assertTrue(Files.isRegularFile(built), "the shaded jar " + built + " is built by 'package'");
        jar = Files.copy(built, dir.resolve("tealama-copy.jar"));
    }

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome tealama(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "tealama did not finish");
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void embeddedModelFromACopiedJarWritesLlamaCppsTextToAFile() throws Exception {
        Reference.Greedy ref = Reference.greedy(TestData.root().resolve("reference"), "stories260K.gguf");
        Outcome o = tealama("run", "--template", "plain", "--temp", "0", "-n", Integer.toString(ref.genIds().length),
                ref.prompt());
        assertEquals(0, o.exitCode(), o.err());
        assertEquals(ref.text(), o.out(), "the redirected standard output holds only the generated text");
        assertTrue(o.err().contains("embedded, in memory"), o.err());
    }

    @Test
    void aBadFileExitsWithOneMessage() throws Exception {
        Outcome o = tealama("run", "-m", "no-such-model.gguf");
        assertEquals(1, o.exitCode());
        assertTrue(o.err().contains("tealama: model file no-such-model.gguf does not exist"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        assertEquals("", o.out());
    }

    @Test
    void usageErrorAndVersion() throws Exception {
        Outcome usage = tealama("run", "--top-p", "2");
        assertEquals(2, usage.exitCode());
        assertTrue(usage.err().contains("--top-p must be in (0, 1]"), usage.err());
        Outcome version = tealama("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("(?s)tealama \\d+\\.\\d+.*"), version.out());
    }
}

package dev.tealama.cli;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code tealama} in-process, as {@link Main#main} would, with captured standard streams. */
final class Tealama {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CommandLine commandLine;
    private final Terminal terminal;
    private int exitCode = -1;

    private Tealama(String stdin) {
        terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, false, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        commandLine = Main.commandLine(terminal);
    }

    /** {@code tealama args...} with empty standard input. */
    static Tealama run(String... args) {
        return withInput("").execute(args);
    }

    /** A run that will read {@code stdin}; call {@link #execute}. */
    static Tealama withInput(String stdin) {
        return new Tealama(stdin);
    }

    Tealama execute(String... args) {
        exitCode = Main.execute(commandLine, terminal, args);
        return this;
    }

    int exitCode() {
        return exitCode;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Exit code 0; on failure the message shows standard error. */
    Tealama assertSuccess() {
        assertEquals(Main.EXIT_OK, exitCode, () -> "exit code; stderr:\n" + err());
        return this;
    }

    /**
     * Failed with {@code expectedExit}, saying "tealama: ..." with every {@code fragment} in it (case-insensitive),
     * nothing on standard output and no stack trace.
     */
    Tealama assertFailure(int expectedExit, String... fragments) {
        String e = err();
        assertEquals(expectedExit, exitCode, () -> "exit code; stderr:\n" + e);
        assertTrue(e.startsWith("tealama: ") || e.contains("\ntealama: "), () -> "no 'tealama: ' message in:\n" + e);
        for (String fragment : fragments) {
            assertTrue(e.toLowerCase().contains(fragment.toLowerCase()),
                    () -> "stderr does not mention '" + fragment + "':\n" + e);
        }
        assertNoStackTrace();
        assertEquals("", out(), "standard output of a failed run");
        return this;
    }

    Tealama assertNoStackTrace() {
        String e = err();
        assertFalse(e.contains("\tat ") || e.contains("Exception in thread") || e.contains("Caused by:"),
                () -> "stack trace on stderr:\n" + e);
        return this;
    }
}

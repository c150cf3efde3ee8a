package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import dev.tealama.cli.Terminal;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code tealama} in-process, as {@link Main#main} would, with captured standard streams. */
final class Cli {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final CommandLine commandLine;
    private final Terminal terminal;
    private int exitCode = -1;

    private Cli(String stdin) {
        terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, false, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        commandLine = Main.commandLine(terminal);
    }

    /** {@code tealama args...} with empty standard input. */
    static Cli run(String... args) {
        return withInput("").execute(args);
    }

    /** A run that reads {@code stdin}; call {@link #execute}. */
    static Cli withInput(String stdin) {
        return new Cli(stdin);
    }

    Cli execute(String... args) {
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

    /** The object of subcommand {@code canister NAME}, after a run. */
    <T> T canisterSubcommand(String name) {
        return commandLine.getSubcommands().get("canister").getSubcommands().get(name).getCommand();
    }

    Cli assertSuccess() {
        assertEquals(Main.EXIT_OK, exitCode, () -> "exit code; stderr:\n" + err());
        assertNoStackTrace();
        return this;
    }

    /** Failed with {@code expectedExit}, saying "tealama: ..." with each fragment (any case), and no stack trace. */
    Cli assertFailure(int expectedExit, String... fragments) {
        String e = err();
        assertEquals(expectedExit, exitCode, () -> "exit code; stderr:\n" + e);
        assertTrue(e.startsWith("tealama: ") || e.contains("\ntealama: "), () -> "no 'tealama: ' message in:\n" + e);
        for (String fragment : fragments) {
            assertTrue(e.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)),
                    () -> "stderr does not mention '" + fragment + "':\n" + e);
        }
        assertNoStackTrace();
        return this;
    }

    Cli assertNoStackTrace() {
        String e = err();
        assertFalse(e.contains("\tat ") || e.contains("Exception in thread") || e.contains("Caused by:"),
                () -> "stack trace on stderr:\n" + e);
        return this;
    }
}

package dev.tealama.cli;

import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a command reads and writes: standard input, standard output (generated text and requested data only, so
 * that {@code tealama run ... > out.txt} is clean) and standard error (progress, statistics, warnings, errors).
 * Tests pass their own streams to run commands in-process.
 *
 * @param in  what {@code chat} reads its lines from
 * @param out the command's product, UTF-8
 * @param err everything else, UTF-8
 * @param interactive whether a person is typing at a terminal (then {@code chat} shows a prompt)
 */
public record Terminal(InputStream in, PrintStream out, PrintStream err, boolean interactive) {

    /** The process's own streams, UTF-8 whatever the platform's default, with a buffered standard output. */
    public static Terminal system() {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Console console = System.console(); // since Java 22 not null when redirected: ask isTerminal()
        return new Terminal(System.in, out, err, console != null && console.isTerminal());
    }
}

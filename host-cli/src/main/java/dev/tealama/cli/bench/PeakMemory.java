package dev.tealama.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set size, from Linux's {@code /proc/self/status} ({@code VmHWM}). */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** Peak RSS in bytes, or -1 where {@code /proc} does not say (not Linux). */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a format we do not know: no figure
        }
        return -1;
    }
}

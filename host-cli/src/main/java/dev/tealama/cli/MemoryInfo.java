package dev.tealama.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The memory the system can give a new allocation without swapping: Linux's {@code MemAvailable}. */
final class MemoryInfo {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private MemoryInfo() {
    }

    /** {@code MemAvailable} in bytes, or -1 where it cannot be read (not Linux, or a kernel before 3.14). */
    static long availableBytes() {
        try {
            return Files.exists(MEMINFO) ? availableBytes(Files.readString(MEMINFO)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code MemAvailable} from the text of {@code /proc/meminfo} (a line {@code "MemAvailable:  123 kB"}), or -1. */
    static long availableBytes(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith("MemAvailable:")) {
                String[] fields = line.substring("MemAvailable:".length()).trim().split("\\s+");
                try {
                    long value = Long.parseLong(fields[0]);
                    return fields.length > 1 && fields[1].equals("kB") ? value * 1024 : value;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}

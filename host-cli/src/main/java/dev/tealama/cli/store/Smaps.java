package dev.tealama.cli.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kernel's account of this process's memory areas ({@code /proc/self/smaps}), read to see how much of a region
 * really sits in huge pages: {@code madvise} is only advice, the page-fault path decides.
 */
final class Smaps {
    private static final Path SMAPS = Path.of("/proc/self/smaps");

    private Smaps() {
    }

    /**
     * One memory area (a VMA): {@code [start, end)}, its resident bytes, the bytes of it in anonymous huge pages,
     * and its {@code VmFlags} ({@code hg}: advised {@code MADV_HUGEPAGE}).
     */
    record Area(long start, long end, long rss, long anonHugePages, Set<String> flags) {
    }

    /** The areas overlapping {@code [start, end)}; empty where smaps cannot be read (not Linux). */
    static List<Area> overlapping(long start, long end) {
        List<Area> out = new ArrayList<>();
        if (!Files.isReadable(SMAPS)) {
            return out;
        }
        try (BufferedReader in = Files.newBufferedReader(SMAPS)) {
            long areaStart = 0;
            long areaEnd = 0;
            long rss = 0;
            long huge = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.indexOf(' ');
                String first = space < 0 ? line : line.substring(0, space);
                if (!first.endsWith(":")) {
                    // "7f3a00000000-7f3a40000000 rw-p 00000000 00:00 0": a new area begins
                    int dash = first.indexOf('-');
                    areaStart = Long.parseUnsignedLong(first.substring(0, dash), 16);
                    areaEnd = Long.parseUnsignedLong(first.substring(dash + 1), 16);
                    rss = 0;
                    huge = 0;
                } else if (first.equals("Rss:")) {
                    rss = kilobytes(line);
                } else if (first.equals("AnonHugePages:")) {
                    huge = kilobytes(line);
                } else if (first.equals("VmFlags:")) {
                    // the last line of each area
                    if (areaStart < end && areaEnd > start) {
                        Set<String> flags = Set.of(line.substring(space).trim().split("\\s+"));
                        out.add(new Area(areaStart, areaEnd, rss, huge, flags));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    /** Bytes in anonymous huge pages within the areas overlapping {@code [start, end)}. */
    static long anonHugePages(long start, long end) {
        return overlapping(start, end).stream().mapToLong(Area::anonHugePages).sum();
    }

    /** "AnonHugePages:    2048 kB" in bytes. */
    private static long kilobytes(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }
}

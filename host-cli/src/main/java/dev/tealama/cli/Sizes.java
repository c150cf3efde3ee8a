package dev.tealama.cli;

import java.util.Locale;

/** Numbers for people: byte sizes, rates, counts. */
public final class Sizes {
    private Sizes() {
    }

    /** {@code 1.13 MiB}, {@code 4.37 GiB}, {@code 812 B}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s", value,
                units[unit]);
    }

    /** A count with thousands separators: {@code 128,256}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A parameter count: {@code 292.0 K}, {@code 1.24 B}. */
    public static String parameters(long n) {
        if (n < 1_000) {
            return Long.toString(n);
        }
        String[] units = {"K", "M", "B", "T"};
        double value = n;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f %s" : "%.2f %s", value, units[unit]);
    }

    /** Milliseconds with sensible precision: {@code 0.42 ms}, {@code 12.3 ms}, {@code 1534 ms}. */
    public static String millis(long nanos) {
        double ms = nanos / 1e6;
        return String.format(Locale.ROOT, ms >= 100 ? "%.0f ms" : ms >= 10 ? "%.1f ms" : "%.2f ms", ms);
    }

    /** Tokens per second, or {@code -} when nothing was timed. */
    public static String rate(long tokens, long nanos) {
        if (tokens <= 0 || nanos <= 0) {
            return "-";
        }
        double perSecond = tokens * 1e9 / nanos;
        return String.format(Locale.ROOT, perSecond >= 100 ? "%.0f tok/s" : "%.2f tok/s", perSecond);
    }
}

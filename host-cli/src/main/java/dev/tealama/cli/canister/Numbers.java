package dev.tealama.cli.canister;

import java.util.Locale;

/** Large counts for people: {@code 52.3 M}, {@code 1.24 B}, {@code 3.10 T}. */
final class Numbers {
    private Numbers() {
    }

    static String big(double n) {
        String[] units = {"", " K", " M", " B", " T"};
        double value = n;
        int unit = 0;
        // 999.6 M is shown as 1.00 B, not 1000 M: the unit is chosen after rounding to three digits
        while (Math.abs(value) >= 999.5 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        if (unit == 0) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, value >= 100 ? "%.0f%s" : value >= 10 ? "%.1f%s" : "%.2f%s", value,
                units[unit]);
    }
}

package dev.tealama.cli.canister;

import dev.tealama.cli.Sizes;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a transfer on standard error: bytes done of the total, the rate of this run and the time left, e.g.
 * {@code upload [##########..........]  52%  612 KiB / 1.13 MiB  204 KiB/s  ETA 3 s}. On a terminal one line is
 * redrawn in place (at most every 100 ms); otherwise a line is printed at each tenth and at the end, so that logs
 * stay short.
 */
final class ProgressBar {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long startDone;
    private final long startNanos;
    private long lastDrawNanos;
    private boolean drawn;
    private int lastTenth = -1;
    private boolean finished;

    /**
     * @param startDone   bytes already done before this run (a resumed upload): shown, but not counted in the rate
     * @param interactive whether {@code out} is a terminal
     * @param clock       nanoseconds (System::nanoTime; tests pass their own)
     */
    ProgressBar(PrintStream out, String label, long total, long startDone, boolean interactive, LongSupplier clock) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.startDone = startDone;
        this.interactive = interactive;
        this.clock = clock;
        this.startNanos = clock.getAsLong();
    }

    /** Shows that {@code done} bytes of the total are done. */
    void update(long done) {
        long now = clock.getAsLong();
        if (interactive) {
            if (drawn && done < total && now - lastDrawNanos < REDRAW_NANOS) {
                return;
            }
            drawn = true;
            lastDrawNanos = now;
            out.print("\r" + line(done, now) + "   ");
            if (done >= total) {
                out.println();
                finished = true;
            }
            out.flush();
        } else {
            int tenth = total == 0 ? 10 : (int) Math.min(10, done * 10 / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println(line(done, now));
                finished = done >= total;
            }
        }
    }

    /** Ends the bar's line if it is left open (an interrupted transfer). */
    void close() {
        if (interactive && !finished && drawn) {
            out.println();
            out.flush();
        }
        finished = true;
    }

    /** The text of the bar at {@code done} bytes, {@code now} nanoseconds. */
    String line(long done, long now) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder b = new StringBuilder(label).append(" [");
        b.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        b.append(String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)));
        b.append("  ").append(Sizes.bytes(done)).append(" / ").append(Sizes.bytes(total));
        long elapsed = now - startNanos;
        long moved = done - startDone;
        if (elapsed > 0 && moved > 0) {
            double perSecond = moved * 1e9 / elapsed;
            b.append("  ").append(Sizes.bytes((long) perSecond)).append("/s");
            if (done < total) {
                b.append("  ETA ").append(duration((total - done) / perSecond));
            }
        }
        return b.toString();
    }

    /** {@code 42 s}, {@code 3 min 5 s}, {@code 1 h 2 min}. */
    static String duration(double seconds) {
        long s = (long) Math.ceil(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        return s / 3600 + " h " + s % 3600 / 60 + " min";
    }
}

package dev.tealama.cli.canister;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The progress bar's text, with a clock the test moves (no timing). */
class ProgressBarTest {
    private static final long MIB = 1 << 20;
    private static final long SECOND = 1_000_000_000L;

    @Test
    void rateAndTimeLeft() {
        AtomicLong now = new AtomicLong(0);
        ProgressBar bar = new ProgressBar(System.err, "upload", 2 * MIB, 0, false, now::get);
        now.set(SECOND);
        assertEquals("upload [############............]  50%  1.00 MiB / 2.00 MiB  1.00 MiB/s  ETA 1 s",
                bar.line(MIB, now.get()));
        assertEquals("upload [########################] 100%  2.00 MiB / 2.00 MiB  2.00 MiB/s",
                bar.line(2 * MIB, now.get()));
    }

    @Test
    void aResumedTransferCountsOnlyThisRunsBytesInTheRate() {
        AtomicLong now = new AtomicLong(0);
        ProgressBar bar = new ProgressBar(System.err, "upload", 4 * MIB, 2 * MIB, false, now::get);
        now.set(2 * SECOND);
        assertEquals("upload [##################......]  75%  3.00 MiB / 4.00 MiB  512 KiB/s  ETA 2 s",
                bar.line(3 * MIB, now.get()));
        assertEquals("upload [############............]  50%  2.00 MiB / 4.00 MiB", bar.line(2 * MIB, now.get()),
                "no rate before a byte moved");
    }

    @Test
    void withoutATerminalALineAtEachTenth() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), "upload", 1000, 0, false,
                now::get);
        for (long done : new long[] {50, 70, 150, 190, 999, 1000}) {
            now.addAndGet(SECOND);
            bar.update(done);
        }
        bar.close();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals(true, lines[3].contains("100%"));
    }

    @Test
    void onATerminalOneLineRedrawnInPlace() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong(0);
        ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), "upload", 1000, 0, true,
                now::get);
        now.set(SECOND);
        bar.update(500);
        now.addAndGet(SECOND / 100); // 10 ms later: not redrawn
        bar.update(600);
        now.addAndGet(SECOND);
        bar.update(1000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(2, text.chars().filter(c -> c == '\r').count(), text);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
    }

    @Test
    void durations() {
        assertEquals("42 s", ProgressBar.duration(41.2));
        assertEquals("3 min 5 s", ProgressBar.duration(185));
        assertEquals("1 h 2 min", ProgressBar.duration(3720));
    }
}

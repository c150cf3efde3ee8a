package dev.tealama.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;

/** {@code --weights auto}, the default: huge pages when the file fits in the available memory, else the mapping. */
class WeightsStrategyAutoTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Test
    void copiesTheFileOnlyWhenItAndTheHeadroomFit() {
        // an 8,000 MiB file: headroom 800 MiB (a tenth)
        long file = 8_000 * MIB;
        assertTrue(WeightsStrategy.chooseHugePages(true, file, file + 800 * MIB));
        assertFalse(WeightsStrategy.chooseHugePages(true, file, file + 800 * MIB - 1));
        // a small file keeps at least 512 MiB for everything else
        assertTrue(WeightsStrategy.chooseHugePages(true, 100 * MIB, 612 * MIB));
        assertFalse(WeightsStrategy.chooseHugePages(true, 100 * MIB, 611 * MIB));
        // no huge pages, or memory unknown: the mapping
        assertFalse(WeightsStrategy.chooseHugePages(false, MIB, 64 * GIB));
        assertFalse(WeightsStrategy.chooseHugePages(true, MIB, -1));
    }

    @Test
    void readsMemAvailableFromProcMeminfo() {
        String meminfo = "MemTotal:       24036080 kB\nMemFree:        11592396 kB\nMemAvailable:   12345678 kB\n"
                + "Buffers:           12345 kB\n";
        assertEquals(12345678L * 1024, MemoryInfo.availableBytes(meminfo));
        assertEquals(-1, MemoryInfo.availableBytes("MemTotal:       24036080 kB\n"));
        assertEquals(-1, MemoryInfo.availableBytes("MemAvailable:   lots kB\n"));
    }

    @Test
    void isTheDefaultAndSaysWhatItChose() throws java.io.IOException {
        java.nio.file.Path model = TestData.model("stories260K.gguf");
        Tealama run = Tealama.run("run", "-m", model.toString(), "-n", "3", "--temp", "0", "-p", "Once").assertSuccess();
        boolean huge = WeightsStrategy.chooseHugePages(dev.tealama.cli.store.HugePageSource.unavailableReason() == null,
                java.nio.file.Files.size(model), MemoryInfo.availableBytes());
        // the log names the strategy actually used: hugepages on a Linux machine with memory to spare, else mmap
        assertTrue(run.err().contains(huge ? "(hugepages, " : "(mmap, "), run.err());
    }
}

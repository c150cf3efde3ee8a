package dev.tealama.cli.store;

import dev.tealama.TealamaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file read into huge-page memory: the bytes are the file's (the reference is the file itself, read with
 * {@link Files#readAllBytes}), the memory is 2 MiB-aligned, advised and really in huge pages on this machine
 * (Linux with transparent huge pages in {@code madvise} mode), and handed back on close.
 */
class HugePageSourceTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path randomFile(String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void thisMachineOffersHugePages() {
        // The other tests rely on it; the CI machine is Linux with THP in madvise mode.
        assertNull(HugePageSource.unavailableReason());
    }

    @Test
    void smallFileGivesTheFilesBytes() throws IOException {
        checkSameBytes(randomFile("small.bin", 1000));
    }

    @Test
    void fileNotAMultipleOfTwoMebibytesGivesTheFilesBytes() throws IOException {
        checkSameBytes(randomFile("odd.bin", (int) (5 * MIB + 12345)));
    }

    private static void checkSameBytes(Path file) throws IOException {
        byte[] expected = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        try (HugePageSource source = HugePageSource.load(file)) {
            assertEquals(expected.length, source.size());
            assertEquals("hugepages", source.strategy());
            assertEquals(0, source.address() % HugePageSource.HUGE_PAGE, "2 MiB-aligned");

            byte[] all = new byte[expected.length];
            source.read(0, all, 0, all.length);
            assertArrayEquals(expected, all);
            assertArrayEquals(expected, source.segment(0, expected.length).toArray(ValueLayout.JAVA_BYTE));

            int last = expected.length - 8;
            for (int offset : new int[] {0, 1, 7, expected.length / 2 + 3, last}) {
                assertEquals(expected[offset], source.getByte(offset), "byte at " + offset);
                assertEquals(le.getShort(offset), source.getShort(offset), "short at " + offset);
                assertEquals(le.getInt(offset), source.getInt(offset), "int at " + offset);
                assertEquals(le.getLong(offset), source.getLong(offset), "long at " + offset);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> source.segment(expected.length - 4, 8));
        }
    }

    @Test
    void theMemoryIsAdvisedAndInHugePages() throws IOException {
        Path file = randomFile("eight.bin", (int) (8 * MIB + 1));
        try (HugePageSource source = HugePageSource.load(file)) {
            long start = source.address();
            List<Smaps.Area> areas = Smaps.overlapping(start, start + 10 * MIB);
            assertTrue(!areas.isEmpty() && areas.stream().allMatch(a -> a.flags().contains("hg")),
                    "MADV_HUGEPAGE on every area of the region: " + areas);
            // 8 MiB + 1 byte spans five 2 MiB pages, all touched by the read. The kernel may fall back to 4 KiB pages
            // where it finds no free 2 MiB block, so ask for at least one huge page, not all five: without the
            // alignment or the advice there would be none.
            assertTrue(source.hugePageBytes() >= HugePageSource.HUGE_PAGE,
                    "in huge pages: " + source.hugePageBytes() + " bytes");
        }
    }

    @Test
    void closeGivesTheMemoryBackAndMayBeRepeated() throws IOException {
        Path file = randomFile("close.bin", (int) (4 * MIB));
        HugePageSource source = HugePageSource.load(file);
        long start = source.address();
        MemorySegment tensor = source.segment(MIB, 16);
        assertTrue(Smaps.overlapping(start, start + 4 * MIB).stream().anyMatch(a -> a.flags().contains("hg")));

        source.close();
        // No advised area is left where the memory was (the range may already hold some other, unadvised mapping).
        assertTrue(Smaps.overlapping(start, start + 4 * MIB).stream().noneMatch(a -> a.flags().contains("hg")),
                "still mapped after close");
        // A segment handed out before is invalid, not a dangling pointer.
        assertThrows(IllegalStateException.class, () -> tensor.get(ValueLayout.JAVA_BYTE, 0));
        source.close();
    }

    @Test
    void missingFileIsAClearError() {
        Path missing = dir.resolve("missing.gguf");
        TealamaException e = assertThrows(TealamaException.class, () -> HugePageSource.load(missing));
        assertTrue(e.getMessage().contains("cannot read " + missing), e.getMessage());
    }

    @Test
    void unreadableFileIsAClearError() throws IOException {
        // A directory opens but cannot be read (EISDIR), as root too.
        Path directory = Files.createDirectory(dir.resolve("model.gguf"));
        TealamaException e = assertThrows(TealamaException.class, () -> HugePageSource.load(directory));
        assertTrue(e.getMessage().contains(directory.toString()), e.getMessage());
    }

    @Test
    void emptyFileIsAClearError() throws IOException {
        Path empty = Files.write(dir.resolve("empty.gguf"), new byte[0]);
        TealamaException e = assertThrows(TealamaException.class, () -> HugePageSource.load(empty));
        assertTrue(e.getMessage().contains(empty + " is empty"), e.getMessage());
    }

    @Test
    void reasonsHugePagesAreUnavailable() {
        assertNull(HugePageSource.unavailableReason(true, "always [madvise] never"));
        assertNull(HugePageSource.unavailableReason(true, "[always] madvise never"));
        String off = HugePageSource.unavailableReason(true, "always madvise [never]");
        assertNotNull(off);
        assertTrue(off.contains("switched off") && off.contains("[never]"), off);
        String none = HugePageSource.unavailableReason(true, null);
        assertTrue(none != null && none.contains("no transparent huge pages"), none);
        String other = HugePageSource.unavailableReason(false, "always [madvise] never");
        assertTrue(other != null && other.contains("Linux"), other);
    }

    @Test
    void aFailedCallSaysWhichAndWhy() {
        // 1 EiB of address space: more than x86-64 or AArch64 user space holds, so mmap fails with ENOMEM
        Libc.NativeCallException e = assertThrows(Libc.NativeCallException.class,
                () -> Libc.mmapAnonymous(1L << 60));
        assertEquals("mmap of " + (1L << 60) + " bytes failed: Cannot allocate memory (errno 12)", e.getMessage());
    }

    @Test
    void onlyLinuxOnKnownProcessorsIsSupported() {
        assertTrue(Libc.supported("Linux", "amd64"));
        assertTrue(Libc.supported("Linux", "aarch64"));
        assertTrue(!Libc.supported("Mac OS X", "aarch64"));
        assertTrue(!Libc.supported("Linux", "ppc64le"));
        assertTrue(!Libc.supported("Windows 11", "amd64"));
    }
}

package dev.tealama.cli.store;

import dev.tealama.TealamaException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The model file read into anonymous memory outside the Java heap, advised into 2 MiB transparent huge pages.
 *
 * <p>Why: generation streams every weight once per token. Through a file mapping the kernel maps the weights with
 * 4 KiB page-table entries (even for a page cache held in 2 MiB folios, and even with {@code madvise}), so an 8B
 * model's 4.5 GB cross a million pages per token and the loop waits on page walks; in 2 MiB pages it crosses
 * about two thousand (docs/benchmarks.md: +38% generation on the 8B Q4_0 file for weights in huge pages). Unlike
 * the heap strategy this needs no {@code -Xmx}: the memory is the process's own, obtained with {@code mmap}.
 *
 * <p>How: {@code mmap} an anonymous private region 2 MiB larger than needed, unmap the slack so that the region
 * starts on a 2 MiB boundary and spans whole huge pages, {@code madvise(MADV_HUGEPAGE)} it before anything touches
 * it (the first touch of each 2 MiB then faults in one huge page), and read the file into it in large chunks.
 * {@link #close()} unmaps it. Linux only, with transparent huge pages enabled ({@code always} or {@code madvise}):
 * {@link #unavailableReason()} says why not elsewhere.
 */
public final class HugePageSource extends ContiguousSource {
    /** The size and alignment of a transparent huge page on x86-64 and AArch64 (with 4 KiB base pages). */
    public static final long HUGE_PAGE = 2L << 20;
    /** Bytes per read call: large, so reading costs about what the copy costs. */
    private static final int CHUNK = 64 << 20;
    private static final Path THP_ENABLED = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    private final Arena arena;
    private final long address;
    private final long mappedLength;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HugePageSource(Arena arena, MemorySegment segment, long mappedLength) {
        super(segment);
        this.arena = arena;
        this.address = segment.address();
        this.mappedLength = mappedLength;
    }

    /**
     * Why huge pages for anonymous memory cannot be had in this process, or null if they can: not Linux on x86-64
     * or AArch64, a kernel without transparent huge pages, or transparent huge pages switched off.
     */
    public static String unavailableReason() {
        String setting;
        try {
            setting = Files.exists(THP_ENABLED) ? Files.readString(THP_ENABLED).trim() : null;
        } catch (IOException e) {
            setting = null;
        }
        return unavailableReason(Libc.supported(), setting);
    }

    /**
     * The decision behind {@link #unavailableReason()}: {@code thpEnabled} is the content of
     * {@code /sys/kernel/mm/transparent_hugepage/enabled} (the choice in brackets, e.g. {@code always [madvise]
     * never}), or null where that file does not exist.
     */
    static String unavailableReason(boolean linux, String thpEnabled) {
        if (!linux) {
            return "huge-page weights need Linux on x86-64 or AArch64 (this is " + System.getProperty("os.name")
                    + " on " + System.getProperty("os.arch") + ")";
        }
        if (thpEnabled == null) {
            return "this kernel has no transparent huge pages (no " + THP_ENABLED + ")";
        }
        if (!thpEnabled.contains("[always]") && !thpEnabled.contains("[madvise]")) {
            return "transparent huge pages are switched off (" + THP_ENABLED + ": " + thpEnabled + ")";
        }
        return null;
    }

    /**
     * Reads {@code file} into fresh 2 MiB-aligned anonymous memory advised {@code MADV_HUGEPAGE}. Call only where
     * {@link #unavailableReason()} is null.
     *
     * @throws TealamaException naming the file and what failed (the memory, or the read)
     */
    public static HugePageSource load(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new TealamaException(file + " is empty (0 bytes)");
            }
            long mappedLength = roundUp(size, HUGE_PAGE);
            long address;
            try {
                address = mapAligned(mappedLength);
            } catch (Libc.NativeCallException e) {
                throw new TealamaException("cannot get " + mappedLength + " bytes of memory for " + file
                        + " (" + e.getMessage() + "); try --weights mmap", e);
            }
            Arena arena = Arena.ofShared();
            try {
                Libc.madvise(address, mappedLength, Libc.MADV_HUGEPAGE);
                MemorySegment segment = MemorySegment.ofAddress(address).reinterpret(size, arena, null);
                readFully(channel, file, segment);
                return new HugePageSource(arena, segment, mappedLength);
            } catch (RuntimeException | IOException e) {
                arena.close();
                Libc.munmap(address, mappedLength);
                throw e;
            }
        } catch (Libc.NativeCallException e) {
            throw new TealamaException("cannot put " + file + " in huge pages: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TealamaException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Anonymous memory of {@code length} bytes (a multiple of {@link #HUGE_PAGE}) starting on a huge-page boundary:
     * {@code mmap} only promises base-page alignment, so map one huge page more and give back what lies before
     * the first boundary and after the region.
     */
    private static long mapAligned(long length) {
        long raw = Libc.mmapAnonymous(length + HUGE_PAGE);
        long start = roundUp(raw, HUGE_PAGE);
        long head = start - raw;
        long tail = HUGE_PAGE - head;
        if (head > 0) {
            Libc.munmap(raw, head);
        }
        if (tail > 0) {
            Libc.munmap(start + length, tail);
        }
        return start;
    }

    private static void readFully(FileChannel channel, Path file, MemorySegment target) throws IOException {
        long size = target.byteSize();
        for (long position = 0; position < size; ) {
            int length = (int) Math.min(CHUNK, size - position);
            ByteBuffer buffer = target.asSlice(position, length).asByteBuffer();
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new TealamaException(file + " ended after " + (position + buffer.position()) + " of its "
                            + size + " bytes while it was read (was it changed meanwhile?)");
                }
            }
            position += length;
        }
    }

    private static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /** Bytes of this source that the kernel currently holds in huge pages (from {@code /proc/self/smaps}). */
    public long hugePageBytes() {
        return Smaps.anonHugePages(address, address + mappedLength);
    }

    /** Where the memory starts (a multiple of {@link #HUGE_PAGE}). */
    long address() {
        return address;
    }

    @Override
    public boolean ownCopy() {
        return true;
    }

    @Override
    public String strategy() {
        return "hugepages";
    }

    /**
     * Invalidates every segment handed out (a late use throws instead of reading freed memory), then gives the
     * memory back. A second call does nothing.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
            Libc.munmap(address, mappedLength);
        }
    }
}

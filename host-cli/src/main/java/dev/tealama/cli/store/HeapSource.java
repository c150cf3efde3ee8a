package dev.tealama.cli.store;

import dev.tealama.TealamaException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The model file copied into Java arrays on the heap: one array per region, where regions are cut at the given
 * boundaries (the start of each tensor), so every tensor lies in a single array the kernels can view as one
 * {@link MemorySegment}. Java arrays stop short of 2 GiB, so no single tensor may be larger.
 */
public final class HeapSource implements SegmentSource {
    private static final int MAX_REGION = Integer.MAX_VALUE - 16;
    private static final ValueLayout.OfInt INT_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private final long size;
    private final long[] starts;
    private final byte[][] regions;
    private final MemorySegment[] segments;

    /** False for bytes the caller handed over ({@link #of}), which may be shared. */
    private final boolean ownCopy;

    private HeapSource(long size, long[] starts, byte[][] regions, boolean ownCopy) {
        this.ownCopy = ownCopy;
        this.size = size;
        this.starts = starts;
        this.regions = regions;
        this.segments = new MemorySegment[regions.length];
        for (int i = 0; i < regions.length; i++) {
            segments[i] = MemorySegment.ofArray(regions[i]);
        }
    }

    /**
     * Bytes already in memory (the embedded model) as a source, not copied: a single region, so any range of it is
     * one segment.
     */
    public static HeapSource of(byte[] bytes) {
        return new HeapSource(bytes.length, new long[] {0}, new byte[][] {bytes}, false);
    }

    /** A copy of {@code bytes} as a source of its own, whose bytes the kernels may rearrange ({@link #ownCopy}). */
    public static HeapSource copyOf(byte[] bytes) {
        return new HeapSource(bytes.length, new long[] {0}, new byte[][] {bytes.clone()}, true);
    }

    /** Bytes the heap must have free to hold {@code file}. */
    public static long bytesNeeded(long fileSize) {
        return fileSize;
    }

    /**
     * Copies {@code file} into the heap, cutting regions at {@code boundaries} (offsets, any order). Fails before
     * reading anything if the JVM's heap cannot hold the file.
     */
    public static HeapSource load(Path file, long[] boundaries) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            Runtime rt = Runtime.getRuntime();
            long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
            if (bytesNeeded(size) > available) {
                throw new TealamaException("heap weights need " + gib(size) + " but the JVM can allocate only about "
                        + gib(available) + "; raise the heap (TEALAMA_JVM_OPTS=-Xmx" + ((size >> 30) + 2)
                        + "g) or use --weights mmap");
            }
            long[] cuts = regionStarts(size, boundaries);
            byte[][] regions = new byte[cuts.length][];
            for (int i = 0; i < cuts.length; i++) {
                long end = i + 1 < cuts.length ? cuts[i + 1] : size;
                long length = end - cuts[i];
                if (length > MAX_REGION) {
                    throw new TealamaException("a tensor of " + gib(length) + " at offset " + cuts[i]
                            + " does not fit one Java array (2 GiB); use --weights mmap");
                }
                byte[] region = new byte[(int) length];
                ByteBuffer buffer = ByteBuffer.wrap(region);
                long position = cuts[i];
                while (buffer.hasRemaining()) {
                    int n = channel.read(buffer, position);
                    if (n < 0) {
                        throw new TealamaException(file + " ended early while loading it");
                    }
                    position += n;
                }
                regions[i] = region;
            }
            return new HeapSource(size, cuts, regions, true);
        } catch (IOException e) {
            throw new TealamaException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static long[] regionStarts(long size, long[] boundaries) {
        long[] b = Arrays.stream(boundaries).filter(x -> x > 0 && x < size).sorted().distinct().toArray();
        long[] cuts = new long[b.length + 1];
        System.arraycopy(b, 0, cuts, 1, b.length);
        return cuts;
    }

    private static String gib(long bytes) {
        return String.valueOf(Math.round(bytes / (double) (1L << 30) * 100) / 100.0) + " GiB";
    }

    private int regionOf(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public MemorySegment segment(long offset, long length) {
        int r = regionOf(offset);
        long local = offset - starts[r];
        if (r < 0 || local + length > regions[r].length) {
            throw new IllegalArgumentException("range [" + offset + ", +" + length + ") crosses heap regions");
        }
        return segments[r].asSlice(local, length);
    }

    @Override
    public boolean ownCopy() {
        return ownCopy;
    }

    @Override
    public String strategy() {
        return "heap";
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte getByte(long offset) {
        int r = regionOf(offset);
        return regions[r][(int) (offset - starts[r])];
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("read [" + offset + ", +" + length + ") outside " + size + " bytes");
        }
        while (length > 0) {
            int r = regionOf(offset);
            int local = (int) (offset - starts[r]);
            int n = Math.min(length, regions[r].length - local);
            System.arraycopy(regions[r], local, dst, dstOffset, n);
            offset += n;
            dstOffset += n;
            length -= n;
        }
    }

    @Override
    public int getInt(long offset) {
        int r = regionOf(offset);
        int local = (int) (offset - starts[r]);
        if (local + 4 <= regions[r].length) {
            return segments[r].get(INT_LE, local);
        }
        return SegmentSource.super.getInt(offset);
    }

    @Override
    public void close() {
        // arrays are garbage-collected
    }
}

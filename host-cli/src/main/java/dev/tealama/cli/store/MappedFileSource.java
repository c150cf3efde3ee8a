package dev.tealama.cli.store;

import dev.tealama.TealamaException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The model file mapped into memory, read-only: nothing is copied, the OS pages weights in on first use and shares
 * them between processes. Works for files over 2 GiB (one {@link MemorySegment}, long offsets).
 */
public final class MappedFileSource implements SegmentSource {
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena;
    private final MemorySegment segment;

    private MappedFileSource(Arena arena, MemorySegment segment) {
        this.arena = arena;
        this.segment = segment;
    }

    public static MappedFileSource open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new MappedFileSource(arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw new TealamaException("cannot map " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public MemorySegment segment(long offset, long length) {
        return segment.asSlice(offset, length);
    }

    @Override
    public String strategy() {
        return "mmap";
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public byte getByte(long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset);
    }

    @Override
    public short getShort(long offset) {
        return segment.get(SHORT_LE, offset);
    }

    @Override
    public int getInt(long offset) {
        return segment.get(INT_LE, offset);
    }

    @Override
    public long getLong(long offset) {
        return segment.get(LONG_LE, offset);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
    }

    @Override
    public void close() {
        arena.close();
    }
}

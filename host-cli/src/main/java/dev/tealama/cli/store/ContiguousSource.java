package dev.tealama.cli.store;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A source whose bytes are one {@link MemorySegment} covering the whole file, however it came to be in memory
 * (a mapping of the file, or a copy in anonymous memory): any range is a slice of it, with long offsets, so files
 * over 2 GiB work. Subclasses say where the segment comes from and how to give it back.
 */
public abstract sealed class ContiguousSource implements SegmentSource permits MappedFileSource, HugePageSource {
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;

    ContiguousSource(MemorySegment segment) {
        this.segment = segment;
    }

    @Override
    public MemorySegment segment(long offset, long length) {
        return segment.asSlice(offset, length);
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
}

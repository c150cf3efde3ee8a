package dev.tealama.cli.store;

import dev.tealama.bytes.ByteSource;

import java.lang.foreign.MemorySegment;

/**
 * A byte source whose bytes the fast kernels can read directly as {@link MemorySegment}s, without copying.
 * Both weight strategies implement it: {@link MappedFileSource} (one mapping of the whole file) and
 * {@link HeapSource} (Java arrays, one per tensor).
 */
public sealed interface SegmentSource extends ByteSource, AutoCloseable permits MappedFileSource, HeapSource {

    /**
     * The bytes {@code [offset, offset + length)} as one segment. For {@link HeapSource} the range must lie within
     * one stored region (a tensor, or the header); model tensors always do.
     */
    MemorySegment segment(long offset, long length);

    /** "mmap" or "heap". */
    String strategy();

    @Override
    void close();
}

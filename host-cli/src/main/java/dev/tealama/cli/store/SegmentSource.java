package dev.tealama.cli.store;

import dev.tealama.bytes.ByteSource;

import java.lang.foreign.MemorySegment;

/**
 * A byte source whose bytes the fast kernels can read directly as {@link MemorySegment}s, without copying.
 * Every weight strategy implements it: {@link MappedFileSource} (one mapping of the whole file),
 * {@link HugePageSource} (the file copied into anonymous memory in huge pages), both {@link ContiguousSource}s, and
 * {@link HeapSource} (Java arrays, one per tensor).
 */
public sealed interface SegmentSource extends ByteSource, AutoCloseable permits ContiguousSource, HeapSource {

    /**
     * The bytes {@code [offset, offset + length)} as one segment. For {@link HeapSource} the range must lie within
     * one stored region (a tensor, or the header); model tensors always do.
     */
    MemorySegment segment(long offset, long length);

    /**
     * Whether the bytes are this process's own copy of the file, which the host's kernels may rearrange in place
     * (see {@code HostKernels#interleave}); false for the file's read-only mapping.
     */
    boolean ownCopy();

    /** "mmap", "hugepages" or "heap": where the bytes are held. */
    String strategy();

    @Override
    void close();
}

package dev.tealama.canister.store;

import dev.tealama.TealamaException;
import dev.tealama.bytes.ByteSource;

/**
 * The model file's bytes, in the Wasm memory above TeaVM's heap (outside the Java heap, which stops near 1.8 GB),
 * read by {@code core} as a {@link ByteSource}. The arena starts at the memory's size when the canister starts
 * (TeaVM's heap has its final size then: min heap = max heap) and grows with {@code memory.grow} as an upload
 * needs; Wasm memory never shrinks, so a later, smaller model reuses it.
 */
public final class WeightArena implements ByteSource {
    private final long base;
    private long capacity;
    private long size;

    /** An empty arena starting at the current end of the Wasm memory. Create it before anything grows the memory. */
    public WeightArena() {
        this.base = LinearMemory.size();
        this.capacity = 0;
    }

    /**
     * Makes room for a model of {@code bytes} bytes and sets the arena's size to it.
     *
     * @throws TealamaException if the Wasm memory cannot grow that far
     */
    public void resize(long bytes) {
        if (bytes < 0 || bytes > LinearMemory.MAX_BYTES - base) {
            throw new TealamaException("a model of " + bytes + " bytes does not fit the 4 GiB Wasm memory (the arena starts at "
                    + base + ")");
        }
        if (bytes > capacity) {
            long end = base + bytes;
            long pages = (end + LinearMemory.PAGE - 1) / LinearMemory.PAGE - LinearMemory.size() / LinearMemory.PAGE;
            if (pages > 0 && !LinearMemory.grow(pages)) {
                throw new TealamaException("cannot grow the canister's Wasm memory to " + end + " bytes for a model of "
                        + bytes + " bytes (the canister's wasm_memory_limit, 3 GiB by default, or the 4 GiB Wasm limit)");
            }
            capacity = LinearMemory.size() - base;
        }
        size = bytes;
    }

    /** Where the arena starts: the Wasm memory below it holds TeaVM's data and the Java heap. */
    public long base() {
        return base;
    }

    /** Bytes of Wasm memory the arena has grown to (at least the model's size; it never shrinks). */
    public long capacity() {
        return capacity;
    }

    /** The absolute memory address of arena offset {@code offset}. */
    public long address(long offset) {
        return base + offset;
    }

    /** Copies {@code src[from, from + length)} to arena offset {@code offset}. */
    public void write(long offset, byte[] src, int from, int length) {
        check(offset, length);
        if (from < 0 || length < 0 || from > src.length - length) {
            throw new IndexOutOfBoundsException("source [" + from + ", +" + length + ") outside " + src.length + " bytes");
        }
        LinearMemory.copy(base + offset, LinearMemory.addressOf(src, from), length);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte getByte(long offset) {
        check(offset, 1);
        return LinearMemory.getByte(base + offset);
    }

    @Override
    public short getShort(long offset) {
        check(offset, 2);
        return LinearMemory.getShort(base + offset);
    }

    @Override
    public int getInt(long offset) {
        check(offset, 4);
        return LinearMemory.getInt(base + offset);
    }

    @Override
    public long getLong(long offset) {
        check(offset, 8);
        return LinearMemory.getLong(base + offset);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        check(offset, length);
        if (dstOffset < 0 || length < 0 || dstOffset > dst.length - length) {
            throw new IndexOutOfBoundsException("destination [" + dstOffset + ", +" + length + ") outside " + dst.length
                    + " bytes");
        }
        LinearMemory.copy(LinearMemory.addressOf(dst, dstOffset), base + offset, length);
    }

    private void check(long offset, long count) {
        if (offset < 0 || count < 0 || offset > size - count) {
            throw new IndexOutOfBoundsException("read [" + offset + ", +" + count + ") outside the " + size + "-byte model");
        }
    }
}

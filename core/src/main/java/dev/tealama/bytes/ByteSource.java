package dev.tealama.bytes;

/**
 * Random access to the bytes of a model file, wherever they live.
 *
 * <p>{@code core} never opens files: the JVM host implements this over a memory-mapped file or Java arrays, the
 * canister over its linear-memory weight arena, tests over a {@code byte[]}. Multi-byte values are little-endian,
 * as GGUF stores them. Offsets are {@code long} because model files pass 2 GiB.
 *
 * <p>Callers check ranges against {@link #size()} before reading (the GGUF reader validates every offset it is
 * given); an implementation may throw {@link IndexOutOfBoundsException} on a read outside {@code [0, size)}.
 */
public interface ByteSource {

    /** Number of readable bytes. */
    long size();

    byte getByte(long offset);

    /**
     * Copies {@code length} bytes starting at {@code offset} into {@code dst[dstOffset..]}. Kernels read weight
     * blocks in bulk through this method, so implementations make it fast (a single memory copy).
     */
    void read(long offset, byte[] dst, int dstOffset, int length);

    default short getShort(long offset) {
        return (short) ((getByte(offset) & 0xFF) | (getByte(offset + 1) & 0xFF) << 8);
    }

    default int getInt(long offset) {
        return (getByte(offset) & 0xFF)
                | (getByte(offset + 1) & 0xFF) << 8
                | (getByte(offset + 2) & 0xFF) << 16
                | (getByte(offset + 3) & 0xFF) << 24;
    }

    default long getLong(long offset) {
        return (getInt(offset) & 0xFFFFFFFFL) | ((long) getInt(offset + 4)) << 32;
    }

    default float getFloat(long offset) {
        return Float.intBitsToFloat(getInt(offset));
    }

    default double getDouble(long offset) {
        return Double.longBitsToDouble(getLong(offset));
    }

    /** A view of {@code [offset, offset + length)} of this source, addressed from 0. */
    default ByteSource slice(long offset, long length) {
        return new SlicedByteSource(this, offset, length);
    }
}

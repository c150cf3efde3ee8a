package dev.tealama.bytes;

/** A {@link ByteSource} over one Java array: tests, small models, and bytes built in memory. */
public final class ArrayByteSource implements ByteSource {
    private final byte[] bytes;

    public ArrayByteSource(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The backing array (not a copy). */
    public byte[] array() {
        return bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public byte getByte(long offset) {
        return bytes[index(offset, 1)];
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        System.arraycopy(bytes, index(offset, length), dst, dstOffset, length);
    }

    @Override
    public int getInt(long offset) {
        int i = index(offset, 4);
        return (bytes[i] & 0xFF) | (bytes[i + 1] & 0xFF) << 8 | (bytes[i + 2] & 0xFF) << 16 | (bytes[i + 3] & 0xFF) << 24;
    }

    private int index(long offset, int count) {
        if (offset < 0 || count < 0 || offset > bytes.length - (long) count) {
            throw new IndexOutOfBoundsException("read [" + offset + ", +" + count + ") outside " + bytes.length + " bytes");
        }
        return (int) offset;
    }
}

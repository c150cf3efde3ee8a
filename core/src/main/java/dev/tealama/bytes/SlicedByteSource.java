package dev.tealama.bytes;

/** A window onto another {@link ByteSource}; see {@link ByteSource#slice(long, long)}. */
final class SlicedByteSource implements ByteSource {
    private final ByteSource base;
    private final long start;
    private final long length;

    SlicedByteSource(ByteSource base, long start, long length) {
        if (start < 0 || length < 0 || start > base.size() - length) {
            throw new IndexOutOfBoundsException(
                    "slice [" + start + ", +" + length + ") outside a source of " + base.size() + " bytes");
        }
        this.base = base;
        this.start = start;
        this.length = length;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public byte getByte(long offset) {
        check(offset, 1);
        return base.getByte(start + offset);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int count) {
        check(offset, count);
        base.read(start + offset, dst, dstOffset, count);
    }

    @Override
    public int getInt(long offset) {
        check(offset, 4);
        return base.getInt(start + offset);
    }

    private void check(long offset, long count) {
        if (offset < 0 || count < 0 || offset > length - count) {
            throw new IndexOutOfBoundsException("read [" + offset + ", +" + count + ") outside " + length + " bytes");
        }
    }
}

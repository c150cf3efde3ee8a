package dev.tealama.model;

import dev.tealama.bytes.ByteSource;
import dev.tealama.tensor.WeightFormat;

/**
 * A weight matrix as it lies in the model file: {@code rows} rows of {@code cols} elements, each row encoded in
 * {@code format}, row {@code r} starting at {@code offset + r * rowBytes()} of {@code source}. Nothing is copied;
 * kernels read rows straight from the source (memory-mapped file, heap arrays or the canister's arena).
 *
 * <p>In GGUF terms {@code cols} is {@code ne0} (the input width) and {@code rows} is {@code ne1} (the output width).
 */
public record Matrix(String name, WeightFormat format, int rows, int cols, ByteSource source, long offset) {

    /** Bytes of one encoded row. */
    public int rowBytes() {
        return cols / format.type().blockSize() * format.type().blockBytes();
    }

    /** Absolute offset of row {@code row} in the source. */
    public long rowOffset(int row) {
        return offset + (long) row * rowBytes();
    }

    /** Total bytes of the matrix. */
    public long byteSize() {
        return (long) rows * rowBytes();
    }

    /** Decodes row {@code row} into {@code dst[dstOffset..dstOffset+cols)}, using {@code scratch} for the bytes. */
    public void dequantizeRow(int row, byte[] scratch, float[] dst, int dstOffset) {
        int n = rowBytes();
        source.read(rowOffset(row), scratch, 0, n);
        format.dequantize(scratch, 0, dst, dstOffset, cols);
    }
}

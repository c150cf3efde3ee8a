package dev.tealama.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A buffered stream that writes GGUF's little-endian fields and counts the bytes written (to place padding and to
 * check that tensor data is as long as announced). {@link #close()} only flushes: the caller owns the target.
 */
final class LittleEndianOutput extends OutputStream {
    private final OutputStream target;
    private final byte[] buffer = new byte[1 << 16];
    private int buffered;
    private long written;

    LittleEndianOutput(OutputStream target) {
        this.target = target;
    }

    /** Bytes written so far (buffered or not). */
    long position() {
        return written;
    }

    @Override
    public void write(int b) throws IOException {
        if (buffered == buffer.length) {
            drain();
        }
        buffer[buffered++] = (byte) b;
        written++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.length - buffered) {
            drain();
            if (length > buffer.length) {
                target.write(bytes, offset, length); // large tensor chunks skip the copy
                written += length;
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, buffered, length);
        buffered += length;
        written += length;
    }

    void u32(int value) throws IOException {
        littleEndian(value, 4);
    }

    void u64(long value) throws IOException {
        littleEndian(value, 8);
    }

    void littleEndian(long value, int bytes) throws IOException {
        for (int i = 0; i < bytes; i++) {
            write((int) (value >>> (8 * i)));
        }
    }

    /** A GGUF string: u64 byte length, then UTF-8. */
    void string(String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        u64(utf8.length);
        write(utf8, 0, utf8.length);
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    void padTo(int alignment) throws IOException {
        while (written % alignment != 0) {
            write(0);
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        target.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void drain() throws IOException {
        if (buffered > 0) {
            target.write(buffer, 0, buffered);
            buffered = 0;
        }
    }
}

package dev.tealama.gguf;

import dev.tealama.bytes.ByteSource;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The bytes of one tensor for {@link GgufWriter}, produced when the file is written, so that a multi-gigabyte model
 * can be quantized tensor by tensor without holding it all in memory.
 */
public interface TensorData {

    /** Exact number of bytes {@link #writeTo(OutputStream)} writes. */
    long size();

    /** Writes exactly {@link #size()} bytes to {@code out} (and does not close it). */
    void writeTo(OutputStream out) throws IOException;

    /** Data held in an array (not copied). */
    static TensorData of(byte[] bytes) {
        return new TensorData() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }

    /** {@code length} bytes of {@code source} from {@code offset}: a tensor copied unchanged from another file. */
    static TensorData copyOf(ByteSource source, long offset, long length) {
        if (offset < 0 || length < 0 || offset > source.size() - length) {
            throw new IllegalArgumentException("[" + offset + ", +" + length + ") is outside a source of "
                    + source.size() + " bytes");
        }
        return new TensorData() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                byte[] chunk = new byte[(int) Math.min(length, 1 << 20)];
                for (long done = 0; done < length; ) {
                    int n = (int) Math.min(chunk.length, length - done);
                    source.read(offset + done, chunk, 0, n);
                    out.write(chunk, 0, n);
                    done += n;
                }
            }
        };
    }
}

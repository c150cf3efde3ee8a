package dev.tealama.gguf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes GGUF fields one by one, so tests can build the malformed files {@link GgufWriter} refuses to make. */
final class RawGguf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Magic, version and the two counts. */
    static RawGguf header(int version, long tensorCount, long kvCount) {
        return new RawGguf().bytes('G', 'G', 'U', 'F').u32(version).u64(tensorCount).u64(kvCount);
    }

    RawGguf bytes(int... values) {
        for (int v : values) {
            out.write(v);
        }
        return this;
    }

    RawGguf u32(long value) {
        return littleEndian(value, 4);
    }

    RawGguf u64(long value) {
        return littleEndian(value, 8);
    }

    RawGguf littleEndian(long value, int size) {
        for (int i = 0; i < size; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** A GGUF string: u64 length and the UTF-8 bytes. */
    RawGguf string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        u64(utf8.length);
        out.write(utf8, 0, utf8.length);
        return this;
    }

    /** A GGUF string of raw bytes (maybe not UTF-8). */
    RawGguf rawString(int... bytes) {
        u64(bytes.length);
        return bytes(bytes);
    }

    /** A key with a u32 value. */
    RawGguf kvU32(String key, long value) {
        return string(key).u32(ValueType.UINT32.id()).u32(value);
    }

    /** A tensor info: name, n_dims, dims (ne0 first), ggml type id, offset relative to the data section. */
    RawGguf tensor(String name, int typeId, long offset, long... dims) {
        string(name).u32(dims.length);
        for (long d : dims) {
            u64(d);
        }
        return u32(typeId).u64(offset);
    }

    /** Zero bytes to the next multiple of {@code alignment}. */
    RawGguf padTo(int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        return this;
    }

    RawGguf zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}

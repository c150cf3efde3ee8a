package dev.tealama.gguf;

import dev.tealama.bytes.ByteSource;
import java.nio.charset.StandardCharsets;

/**
 * Reads GGUF's little-endian fields in order from a {@link ByteSource}, through a small buffer (so that parsing
 * hundreds of thousands of short vocabulary strings costs a few bulk reads, not one call per byte).
 *
 * <p>Every read checks that its bytes exist before touching the source, and failures become
 * {@link GgufFormatException}s that name the current {@linkplain #context(String) context} (which key or tensor is
 * being read) and the byte offset.
 */
final class GgufCursor {
    /** Longest string GGUF allows (llama.cpp's limit too). */
    static final long MAX_STRING_BYTES = 1L << 30;

    private static final int BUFFER_SIZE = 1 << 16;

    private final ByteSource source;
    private final long size;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private long bufferStart;
    private int bufferLength;
    private long position;
    private String context = "header";

    GgufCursor(ByteSource source) {
        this.source = source;
        this.size = source.size();
    }

    long position() {
        return position;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - position;
    }

    /** What is being read, for error messages: {@code "header"}, {@code "key 'general.name'"}... */
    void context(String what) {
        context = what;
    }

    /** An error about the current context: {@code "GGUF: key 'x': <problem>"}. */
    GgufFormatException error(String problem) {
        return new GgufFormatException("GGUF: " + context + ": " + problem);
    }

    int u8(String what) {
        return buffer[take(1, what)] & 0xFF;
    }

    /** A 16-bit field (callers pick signed or unsigned). */
    short u16(String what) {
        int at = take(2, what);
        return (short) ((buffer[at] & 0xFF) | (buffer[at + 1] & 0xFF) << 8);
    }

    /** A 32-bit field (callers pick signed or unsigned). */
    int u32(String what) {
        return intAt(take(4, what));
    }

    /** A 64-bit field (callers pick signed or unsigned). */
    long u64(String what) {
        return longAt(take(8, what));
    }

    /**
     * A GGUF string: a u64 byte length, then that many bytes of UTF-8. With {@code strict}, bytes that are not
     * well-formed UTF-8 are an error (keys and names must be exact); otherwise they decode to U+FFFD.
     */
    String string(String what, boolean strict) {
        long start = position;
        int n = stringLength(what);
        if (n == 0) {
            return "";
        }
        byte[] bytes;
        int offset;
        if (n <= BUFFER_SIZE) {
            offset = take(n, what);
            bytes = buffer;
        } else {
            bytes = new byte[n];
            offset = 0;
            source.read(position, bytes, 0, n);
            position += n;
        }
        if (strict && !Utf8.isValid(bytes, offset, n)) {
            throw error(what + " at byte " + start + " is not valid UTF-8");
        }
        return new String(bytes, offset, n, StandardCharsets.UTF_8);
    }

    /** A GGUF string whose bytes are added to {@code out} as they are (see {@link MetadataValue.StringArray}). */
    void string(String what, MetadataValue.StringArray.Builder out) {
        long start = position;
        int n = stringLength(what);
        if (n > Integer.MAX_VALUE - 8 - out.byteCount()) {
            throw error(what + " at byte " + start + " takes its string array over 2 GiB of text");
        }
        if (n <= BUFFER_SIZE) {
            out.add(buffer, take(n, what), n);
        } else {
            byte[] bytes = new byte[n];
            source.read(position, bytes, 0, n);
            position += n;
            out.add(bytes, 0, n);
        }
    }

    /** A string's u64 length, checked against the limit and the bytes left. */
    private int stringLength(String what) {
        long start = position;
        long length = u64(what);
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw error(what + " at byte " + start + " claims " + Long.toUnsignedString(length)
                    + " bytes (strings are limited to " + MAX_STRING_BYTES + ")");
        }
        if (length > remaining()) {
            throw error(what + " at byte " + start + " claims " + length + " bytes, but the file ends "
                    + remaining() + " bytes later");
        }
        return (int) length;
    }

    void readBytes(byte[] dst, String what) {
        int done = 0;
        while (done < dst.length) {
            int chunk = Math.min(dst.length - done, BUFFER_SIZE);
            System.arraycopy(buffer, take(chunk, what), dst, done, chunk);
            done += chunk;
        }
    }

    void readBools(boolean[] dst, String what) {
        int done = 0;
        while (done < dst.length) {
            int chunk = Math.min(dst.length - done, BUFFER_SIZE);
            int at = take(chunk, what);
            for (int i = 0; i < chunk; i++) {
                dst[done + i] = buffer[at + i] != 0;
            }
            done += chunk;
        }
    }

    void readShorts(short[] dst, String what) {
        int done = 0;
        while (done < dst.length) {
            int chunk = Math.min(dst.length - done, BUFFER_SIZE / 2);
            int at = take(chunk * 2, what);
            for (int i = 0; i < chunk; i++, at += 2) {
                dst[done + i] = (short) ((buffer[at] & 0xFF) | (buffer[at + 1] & 0xFF) << 8);
            }
            done += chunk;
        }
    }

    void readInts(int[] dst, String what) {
        int done = 0;
        while (done < dst.length) {
            int chunk = Math.min(dst.length - done, BUFFER_SIZE / 4);
            int at = take(chunk * 4, what);
            for (int i = 0; i < chunk; i++, at += 4) {
                dst[done + i] = intAt(at);
            }
            done += chunk;
        }
    }

    void readFloats(float[] dst, String what) {
        int done = 0;
        while (done < dst.length) {
            int chunk = Math.min(dst.length - done, BUFFER_SIZE / 4);
            int at = take(chunk * 4, what);
            for (int i = 0; i < chunk; i++, at += 4) {
                dst[done + i] = Float.intBitsToFloat(intAt(at));
            }
            done += chunk;
        }
    }

    void readLongs(long[] dst, String what) {
        int done = 0;
        while (done < dst.length) {
            int chunk = Math.min(dst.length - done, BUFFER_SIZE / 8);
            int at = take(chunk * 8, what);
            for (int i = 0; i < chunk; i++, at += 8) {
                dst[done + i] = longAt(at);
            }
            done += chunk;
        }
    }

    void readDoubles(double[] dst, String what) {
        int done = 0;
        while (done < dst.length) {
            int chunk = Math.min(dst.length - done, BUFFER_SIZE / 8);
            int at = take(chunk * 8, what);
            for (int i = 0; i < chunk; i++, at += 8) {
                dst[done + i] = Double.longBitsToDouble(longAt(at));
            }
            done += chunk;
        }
    }

    /**
     * Consumes {@code count} (at most {@link #BUFFER_SIZE}) bytes and returns the index in {@link #buffer} where
     * they start, refilling the buffer from the source if they are not all in it.
     */
    private int take(int count, String what) {
        if (count > size - position) {
            throw error("the file ends at byte " + size + ", inside " + what + " at byte " + position);
        }
        if (position < bufferStart || position + count > bufferStart + bufferLength) {
            int length = (int) Math.min(BUFFER_SIZE, size - position);
            source.read(position, buffer, 0, length);
            bufferStart = position;
            bufferLength = length;
        }
        int at = (int) (position - bufferStart);
        position += count;
        return at;
    }

    private int intAt(int at) {
        return (buffer[at] & 0xFF) | (buffer[at + 1] & 0xFF) << 8 | (buffer[at + 2] & 0xFF) << 16
                | (buffer[at + 3] & 0xFF) << 24;
    }

    private long longAt(int at) {
        return (intAt(at) & 0xFFFFFFFFL) | ((long) intAt(at + 4)) << 32;
    }
}

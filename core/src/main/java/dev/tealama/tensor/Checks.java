package dev.tealama.tensor;

/** Argument checks shared by the formats: done once per call, so the loops run on known-good ranges. */
final class Checks {
    private Checks() {
    }

    /** {@code count} elements of {@code type} at {@code bytes[offset..]} lie within the array. */
    static void encoded(GgmlType type, byte[] bytes, int offset, int count) {
        if (count < 0 || count % type.blockSize() != 0) {
            throw new IllegalArgumentException(count + " elements is not a whole number of " + type + " blocks of "
                    + type.blockSize());
        }
        long size = (long) (count / type.blockSize()) * type.blockBytes();
        if (offset < 0 || offset + size > bytes.length) {
            throw new IllegalArgumentException(count + " " + type + " elements (" + size + " bytes) at offset "
                    + offset + " run past the end of a " + bytes.length + "-byte array");
        }
    }

    /** {@code count} floats at {@code floats[offset..]} lie within the array. */
    static void floats(float[] floats, int offset, int count) {
        if (offset < 0 || (long) offset + count > floats.length) {
            throw new IllegalArgumentException(count + " floats at offset " + offset + " run past the end of a "
                    + floats.length + "-element array");
        }
    }

    /** {@code x} has the expected type and holds whole blocks {@code [offset, offset + count)}. */
    static void activations(ActivationType expected, QuantizedVector x, int offset, int count) {
        if (x.type() != expected) {
            throw new IllegalArgumentException("activations are " + x.type() + ", the weights need " + expected);
        }
        if (offset < 0 || offset % expected.blockSize() != 0 || (long) offset + count > x.length()) {
            throw new IllegalArgumentException("activation elements [" + offset + ", " + ((long) offset + count)
                    + ") are not whole " + expected + " blocks within the " + x.length() + " quantized");
        }
    }

    /** The little-endian int at {@code b[p..p+3]}. */
    static int int32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | b[p + 3] << 24;
    }
}

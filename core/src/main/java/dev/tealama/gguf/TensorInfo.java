package dev.tealama.gguf;

import dev.tealama.tensor.GgmlType;
import java.util.Arrays;

/**
 * One entry of a GGUF file's tensor table.
 *
 * @param name   the tensor's name, e.g. {@code blk.0.attn_q.weight}
 * @param type   its element type
 * @param dims   its shape in ggml order: {@code dims[0]} (ne0) is the row length, the fastest-varying dimension;
 *               1 to 4 entries, each at least 1. The accessor returns a copy; {@link #dim(int)} does not copy.
 * @param offset absolute byte offset of its data in the file (the data section's offset plus the tensor's)
 */
public record TensorInfo(String name, GgmlType type, long[] dims, long offset) {

    /** Validates the arguments; the reader checks files before building these, so a failure here is a bug. */
    public TensorInfo {
        if (name == null || type == null || dims == null) {
            throw new IllegalArgumentException("null tensor name, type or dims");
        }
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + dims.length + " dimensions");
        }
        dims = dims.clone();
        for (long d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("tensor '" + name + "' has dimensions " + Arrays.toString(dims));
            }
        }
        if (offset < 0) {
            throw new IllegalArgumentException("tensor '" + name + "' has offset " + offset);
        }
    }

    /** The shape, ne0 first (a copy). */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Number of dimensions stored in the file (1 to 4). */
    public int nDims() {
        return dims.length;
    }

    /** Dimension {@code i} (ne{@code i}); 1 for {@code i} at or beyond {@link #nDims()}, as in ggml. */
    public long dim(int i) {
        return i < dims.length ? dims[i] : 1;
    }

    /** Product of the dimensions, or -1 if it overflows a {@code long} (never for a tensor the reader returned). */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            if (n > Long.MAX_VALUE / d) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    /**
     * Bytes the data takes: whole blocks of {@link GgmlType#blockBytes()}; -1 on overflow (never for a tensor the
     * reader returned, which checked that it fits in the file).
     */
    public long byteSize() {
        long n = elementCount();
        return n < 0 ? -1 : type.bytesFor(n);
    }

    /** Absolute offset one past the data's last byte. */
    public long end() {
        return offset + byteSize();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.type == type && Arrays.equals(t.dims, dims)
                && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + type.hashCode()) * 31 + Arrays.hashCode(dims)) * 31
                + (int) (offset ^ (offset >>> 32));
    }

    @Override
    public String toString() {
        return "TensorInfo[" + name + " " + type + " " + Arrays.toString(dims) + " @" + offset + "]";
    }
}

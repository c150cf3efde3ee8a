package dev.tealama.gguf;

import dev.tealama.gguf.MetadataValue.ArrayValue;
import dev.tealama.gguf.MetadataValue.BoolArray;
import dev.tealama.gguf.MetadataValue.BoolValue;
import dev.tealama.gguf.MetadataValue.Float32Array;
import dev.tealama.gguf.MetadataValue.Float32Value;
import dev.tealama.gguf.MetadataValue.Float64Array;
import dev.tealama.gguf.MetadataValue.Float64Value;
import dev.tealama.gguf.MetadataValue.Int16Array;
import dev.tealama.gguf.MetadataValue.Int32Array;
import dev.tealama.gguf.MetadataValue.Int64Array;
import dev.tealama.gguf.MetadataValue.Int8Array;
import dev.tealama.gguf.MetadataValue.IntegerValue;
import dev.tealama.gguf.MetadataValue.NestedArray;
import dev.tealama.gguf.MetadataValue.StringArray;
import dev.tealama.gguf.MetadataValue.StringValue;
import dev.tealama.tensor.GgmlType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a GGUF file: collect metadata and tensors, then {@link #writeTo(OutputStream)} writes the header, the tensor
 * infos with their offsets, and each tensor's data padded to the alignment (the last one too, as llama.cpp and
 * gguf-py do). Given the same keys and tensors in the same order, the bytes equal gguf-py's {@code GGUFWriter}'s.
 *
 * <p>Tensor data is pulled from each {@link TensorData} while writing, so a file of several gigabytes streams
 * through. The alignment is {@code general.alignment} if put (a {@code u32} power of two), else 32.
 *
 * <p>Misuse (a duplicate tensor name, a shape that does not fit the type, data of the wrong length) throws
 * {@link IllegalArgumentException} or, for data, {@link IllegalStateException}.
 */
public final class GgufWriter {
    private final int version;
    private final Map<String, MetadataValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    private record PendingTensor(String name, GgmlType type, long[] dims, long byteSize, TensorData data) {
    }

    /** A writer of GGUF version 3 files. */
    public GgufWriter() {
        this(3);
    }

    /** A writer of GGUF {@code version} (2 or 3; they are laid out alike) files. */
    public GgufWriter(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("GGUF version " + version + " (2 and 3 can be written)");
        }
        this.version = version;
    }

    /**
     * Sets {@code key} to {@code value}. A key set again keeps its first position and takes the new value (so a
     * quantizer can copy a file's metadata and then change {@code general.file_type}).
     */
    public GgufWriter put(String key, MetadataValue value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty metadata key");
        }
        if (value == null) {
            throw new IllegalArgumentException("null value for metadata key '" + key + "'");
        }
        if (key.equals(GgufParser.ALIGNMENT_KEY)) {
            checkAlignment(value);
        }
        metadata.put(key, value);
        return this;
    }

    /** Copies every key/value of {@code source} (in its order), e.g. from the file being quantized. */
    public GgufWriter putAll(GgufMetadata source) {
        for (String key : source.keys()) {
            put(key, source.get(key));
        }
        return this;
    }

    /** Removes {@code key} if present. */
    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, MetadataValue.string(value));
    }

    public GgufWriter putUInt8(String key, int value) {
        return put(key, MetadataValue.uint8(value));
    }

    public GgufWriter putInt8(String key, int value) {
        return put(key, MetadataValue.int8(value));
    }

    public GgufWriter putUInt16(String key, int value) {
        return put(key, MetadataValue.uint16(value));
    }

    public GgufWriter putInt16(String key, int value) {
        return put(key, MetadataValue.int16(value));
    }

    public GgufWriter putUInt32(String key, long value) {
        return put(key, MetadataValue.uint32(value));
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, MetadataValue.int32(value));
    }

    /** A {@code u64}; {@code bits} is read as unsigned. */
    public GgufWriter putUInt64(String key, long bits) {
        return put(key, MetadataValue.uint64(bits));
    }

    public GgufWriter putInt64(String key, long value) {
        return put(key, MetadataValue.int64(value));
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, MetadataValue.float32(value));
    }

    public GgufWriter putFloat64(String key, double value) {
        return put(key, MetadataValue.float64(value));
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, MetadataValue.bool(value));
    }

    /** A string array (the array is kept, not copied, until the file is written). */
    public GgufWriter putStringArray(String key, String... values) {
        return put(key, MetadataValue.stringArray(values));
    }

    public GgufWriter putFloat32Array(String key, float... values) {
        return put(key, MetadataValue.float32Array(values));
    }

    public GgufWriter putInt32Array(String key, int... values) {
        return put(key, MetadataValue.int32Array(values));
    }

    /** Sets {@code general.alignment} (a power of two), the padding of the data section and of each tensor. */
    public GgufWriter alignment(int alignment) {
        return put(GgufParser.ALIGNMENT_KEY, MetadataValue.uint32(alignment));
    }

    /** The alignment the file will have. */
    public int alignment() {
        MetadataValue value = metadata.get(GgufParser.ALIGNMENT_KEY);
        return value == null ? GgufParser.DEFAULT_ALIGNMENT : (int) ((IntegerValue) value).value();
    }

    /**
     * Adds a tensor; tensors are written in the order added.
     *
     * @param dims shape in ggml order (ne0, the row length, first): 1 to 4 dimensions, each at least 1, ne0 a
     *             multiple of the type's block size
     * @param data exactly as many bytes as the shape takes in {@code type}
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorData data) {
        if (name == null || type == null || dims == null || data == null) {
            throw new IllegalArgumentException("null tensor name, type, dims or data");
        }
        if (!tensorNames.add(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        // TensorInfo checks the dimension count and that each is at least 1.
        TensorInfo shape = new TensorInfo(name, type, dims, 0);
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': row length " + dims[0]
                    + " is not a multiple of the " + type + " block size " + type.blockSize());
        }
        long byteSize = shape.byteSize();
        if (byteSize < 0) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(dims)
                    + " is too large");
        }
        if (data.size() != byteSize) {
            throw new IllegalArgumentException("tensor '" + name + "': " + type + " " + Arrays.toString(dims)
                    + " takes " + byteSize + " bytes, but the data has " + data.size());
        }
        tensors.add(new PendingTensor(name, type, dims.clone(), byteSize, data));
        return this;
    }

    /** Adds a tensor whose bytes are in {@code data} (not copied). */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, byte[] data) {
        return addTensor(name, type, dims, TensorData.of(data));
    }

    /** Writes the file to {@code out} (flushed, not closed). The writer can write it again. */
    public void writeTo(OutputStream out) throws IOException {
        int alignment = alignment();
        LittleEndianOutput le = new LittleEndianOutput(out);
        writeHeader(le, alignment);
        for (PendingTensor t : tensors) {
            long start = le.position();
            t.data().writeTo(le);
            long written = le.position() - start;
            if (written != t.byteSize()) {
                throw new IllegalStateException("tensor '" + t.name() + "': its data wrote " + written
                        + " bytes, " + t.byteSize() + " were announced");
            }
            le.padTo(alignment);
        }
        le.flush();
    }

    /** The whole file in memory, as {@link #writeTo(OutputStream)} writes it (for files small enough for an array). */
    public byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // from a tensor's data source: the array itself does not fail
        }
        return out.toByteArray();
    }

    /** The number of bytes {@link #writeTo(OutputStream)} will write. */
    public long fileSize() {
        int alignment = alignment();
        LittleEndianOutput counter = new LittleEndianOutput(new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] b, int off, int len) {
            }
        });
        try {
            writeHeader(counter, alignment);
        } catch (IOException e) {
            throw new IllegalStateException(e); // the null stream does not fail
        }
        long size = counter.position();
        for (PendingTensor t : tensors) {
            size += padded(t.byteSize(), alignment);
        }
        return size;
    }

    /** Magic, version, counts, key/values, tensor infos and the padding before the data section. */
    private void writeHeader(LittleEndianOutput le, int alignment) throws IOException {
        le.u32(GgufParser.MAGIC);
        le.u32(version);
        le.u64(tensors.size());
        le.u64(metadata.size());
        for (Map.Entry<String, MetadataValue> e : metadata.entrySet()) {
            le.string(e.getKey());
            le.u32(e.getValue().type().id());
            writeValue(le, e.getValue());
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            le.string(t.name());
            le.u32(t.dims().length);
            for (long d : t.dims()) {
                le.u64(d);
            }
            le.u32(t.type().id());
            le.u64(offset);
            offset += padded(t.byteSize(), alignment);
        }
        le.padTo(alignment);
    }

    /** Writes a value's payload (its type id is written by the caller: for array elements it is not repeated). */
    private static void writeValue(LittleEndianOutput le, MetadataValue value) throws IOException {
        if (value instanceof IntegerValue v) {
            le.littleEndian(v.value(), v.type().fixedSize());
        } else if (value instanceof Float32Value v) {
            le.u32(Float.floatToRawIntBits(v.value()));
        } else if (value instanceof Float64Value v) {
            le.u64(Double.doubleToRawLongBits(v.value()));
        } else if (value instanceof BoolValue v) {
            le.write(v.value() ? 1 : 0);
        } else if (value instanceof StringValue v) {
            le.string(v.value());
        } else {
            writeArray(le, (ArrayValue) value, 1);
        }
    }

    /** Writes {@code array}, nested {@code depth} arrays deep (the reader refuses more than 8). */
    private static void writeArray(LittleEndianOutput le, ArrayValue array, int depth) throws IOException {
        if (depth > GgufParser.MAX_ARRAY_NESTING) {
            throw new IllegalArgumentException("arrays nested more than " + GgufParser.MAX_ARRAY_NESTING
                    + " deep");
        }
        le.u32(array.elementType().id());
        le.u64(array.size());
        if (array instanceof Int8Array a) {
            le.write(a.values(), 0, a.values().length);
        } else if (array instanceof Int16Array a) {
            for (short v : a.values()) {
                le.littleEndian(v, 2);
            }
        } else if (array instanceof Int32Array a) {
            for (int v : a.values()) {
                le.u32(v);
            }
        } else if (array instanceof Int64Array a) {
            for (long v : a.values()) {
                le.u64(v);
            }
        } else if (array instanceof Float32Array a) {
            for (float v : a.values()) {
                le.u32(Float.floatToRawIntBits(v));
            }
        } else if (array instanceof Float64Array a) {
            for (double v : a.values()) {
                le.u64(Double.doubleToRawLongBits(v));
            }
        } else if (array instanceof BoolArray a) {
            for (boolean v : a.values()) {
                le.write(v ? 1 : 0);
            }
        } else if (array instanceof StringArray a) {
            for (int i = 0; i < a.size(); i++) {
                int start = a.start(i);
                le.u64(a.ends()[i] - start);
                le.write(a.utf8(), start, a.ends()[i] - start);
            }
        } else {
            for (ArrayValue inner : ((NestedArray) array).values()) {
                if (inner == null) {
                    throw new IllegalArgumentException("null element in an array of arrays");
                }
                writeArray(le, inner, depth + 1);
            }
        }
    }

    private static void checkAlignment(MetadataValue value) {
        long alignment = value instanceof IntegerValue v && v.type() == ValueType.UINT32 ? v.value() : -1;
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > GgufParser.MAX_ALIGNMENT) {
            throw new IllegalArgumentException(GgufParser.ALIGNMENT_KEY + " must be a u32 power of two up to "
                    + GgufParser.MAX_ALIGNMENT + ", not " + value);
        }
    }

    private static long padded(long size, int alignment) {
        long remainder = size % alignment;
        return remainder == 0 ? size : size + (alignment - remainder);
    }
}

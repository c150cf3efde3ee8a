package dev.tealama.gguf;

import dev.tealama.bytes.ByteSource;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a GGUF header (magic, version, counts, key/values, tensor table) and checks it against the file.
 *
 * <p>The file may be hostile. Before anything is allocated or looped over, every count and length is checked
 * against the bytes that remain, assuming the smallest possible encoding of each item; so no allocation is larger
 * than the rest of the file and every loop consumes bytes as it goes. Then the tensor table is checked as a whole:
 * each tensor's data aligned and inside the file, no two overlapping.
 */
final class GgufParser {
    /** "GGUF" read as a little-endian u32. */
    static final int MAGIC = 0x46554747;
    static final int DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";

    /** Most elements one metadata array may have (llama.cpp's limit too). */
    static final long MAX_ARRAY_ELEMENTS = 1L << 30;
    /** Deepest nesting of arrays in arrays; GGUF files in the wild use 1. */
    static final int MAX_ARRAY_NESTING = 8;
    /** Largest alignment accepted; real files use 32. */
    static final long MAX_ALIGNMENT = 1L << 30;

    /** Smallest encoding of a key/value: key length, a 1-byte key, value type, a 1-byte value. */
    private static final int MIN_KV_BYTES = 8 + 1 + 4 + 1;
    /** Smallest encoding of a tensor info: name length, empty name, n_dims, one dimension, type, offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;
    /** Smallest encoding of an array inside an array: element type and length. */
    private static final int MIN_NESTED_ARRAY_BYTES = 4 + 8;

    private final ByteSource source;
    private final GgufCursor in;

    private GgufParser(ByteSource source) {
        this.source = source;
        this.in = new GgufCursor(source);
    }

    static GgufFile parse(ByteSource source) {
        return new GgufParser(source).parse();
    }

    private GgufFile parse() {
        readMagic();
        int version = readVersion();
        long tensorCount = in.u64("the tensor count");
        long kvCount = in.u64("the key/value count");
        checkCounts(tensorCount, kvCount);

        GgufMetadata metadata = new GgufMetadata(readMetadata(kvCount));
        int alignment = alignmentOf(metadata);
        PendingTensor[] pending = readTensorInfos((int) tensorCount);

        long headerEnd = in.position();
        long dataOffset = alignUp(headerEnd, alignment);
        if (dataOffset > in.size()) {
            if (tensorCount > 0) {
                throw new GgufFormatException("GGUF: the tensor data section would start at byte " + dataOffset
                        + " (the header ends at byte " + headerEnd + ", padded to a multiple of " + alignment
                        + "), past the end of the file (" + in.size() + " bytes)");
            }
            // Without tensors the data section is empty, and writers may leave the padding out.
            dataOffset = in.size();
        }
        List<TensorInfo> tensors = placeTensors(pending, dataOffset, alignment);
        return new GgufFile(source, version, alignment, dataOffset, metadata, tensors);
    }

    private void readMagic() {
        if (in.size() < 4) {
            throw new GgufFormatException("GGUF: not a GGUF file: it is only " + in.size() + " bytes long");
        }
        int magic = in.u32("the magic");
        if (magic != MAGIC) {
            StringBuilder shown = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                int c = (magic >>> (8 * i)) & 0xFF;
                shown.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
            }
            throw new GgufFormatException("GGUF: not a GGUF file: it starts with '" + shown + "', not 'GGUF'");
        }
    }

    private int readVersion() {
        int version = in.u32("the version");
        if (version != 0 && (version & 0xFFFF) == 0) {
            // A big-endian file's version 3 reads as 0x03000000 here.
            throw new GgufFormatException("GGUF: the version field reads " + Integer.toUnsignedString(version)
                    + " (0x" + Integer.toHexString(version) + "): this looks like a big-endian GGUF file, and only"
                    + " little-endian files are supported");
        }
        if (version == 1) {
            throw new GgufFormatException("GGUF: version 1 files are not supported (versions 2 and 3 are);"
                    + " convert the model again with a current llama.cpp");
        }
        if (version != 2 && version != 3) {
            throw new GgufFormatException("GGUF: unsupported version " + Integer.toUnsignedString(version)
                    + " (versions 2 and 3 are supported)");
        }
        return version;
    }

    private void checkCounts(long tensorCount, long kvCount) {
        long remaining = in.remaining();
        if (kvCount < 0 || kvCount > remaining / MIN_KV_BYTES) {
            throw new GgufFormatException("GGUF: the header claims " + Long.toUnsignedString(kvCount)
                    + " key/value pairs, but the " + remaining + " bytes after it hold at most "
                    + remaining / MIN_KV_BYTES);
        }
        if (tensorCount < 0 || tensorCount > remaining / MIN_TENSOR_INFO_BYTES
                || tensorCount > Integer.MAX_VALUE - 8 || kvCount * MIN_KV_BYTES + tensorCount * MIN_TENSOR_INFO_BYTES > remaining) {
            throw new GgufFormatException("GGUF: the header claims " + Long.toUnsignedString(tensorCount)
                    + " tensors and " + kvCount + " key/value pairs, but the " + remaining
                    + " bytes after it cannot hold that many");
        }
    }

    private Map<String, MetadataValue> readMetadata(long kvCount) {
        Map<String, MetadataValue> entries = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long start = in.position();
            in.context("key/value #" + i);
            String key = in.string("the key", true);
            if (key.isEmpty()) {
                throw in.error("the key is empty");
            }
            if (entries.containsKey(key)) {
                throw new GgufFormatException("GGUF: duplicate key '" + key + "' at byte " + start);
            }
            in.context("key '" + key + "'");
            entries.put(key, readValue(readValueType("the value type"), 0));
        }
        in.context("header");
        return entries;
    }

    private ValueType readValueType(String what) {
        long at = in.position();
        int id = in.u32(what);
        ValueType type = ValueType.ofId(id);
        if (type == null) {
            throw in.error("unknown value type " + Integer.toUnsignedString(id) + " at byte " + at
                    + " (GGUF defines 0 to 12)");
        }
        return type;
    }

    /** A value of {@code type}; {@code depth} is how many arrays enclose it. */
    private MetadataValue readValue(ValueType type, int depth) {
        switch (type) {
            case UINT8:
                return new IntegerValue(type, in.u8("the value"));
            case INT8:
                return new IntegerValue(type, (byte) in.u8("the value"));
            case UINT16:
                return new IntegerValue(type, in.u16("the value") & 0xFFFF);
            case INT16:
                return new IntegerValue(type, in.u16("the value"));
            case UINT32:
                return new IntegerValue(type, in.u32("the value") & 0xFFFFFFFFL);
            case INT32:
                return new IntegerValue(type, in.u32("the value"));
            case UINT64:
            case INT64:
                return new IntegerValue(type, in.u64("the value"));
            case FLOAT32:
                return new Float32Value(Float.intBitsToFloat(in.u32("the value")));
            case FLOAT64:
                return new Float64Value(Double.longBitsToDouble(in.u64("the value")));
            case BOOL:
                return new BoolValue(in.u8("the value") != 0);
            case STRING:
                return new StringValue(in.string("the value", false));
            case ARRAY:
                return readArray(depth + 1);
            default:
                throw new IllegalStateException("unhandled value type " + type);
        }
    }

    /** An array (element type, length, elements) nested {@code depth} arrays deep (1 for a key's own array). */
    private ArrayValue readArray(int depth) {
        long start = in.position();
        if (depth > MAX_ARRAY_NESTING) {
            throw in.error("arrays are nested more than " + MAX_ARRAY_NESTING + " deep at byte " + start);
        }
        ValueType elementType = readValueType("the array element type");
        long count = in.u64("the array length");
        if (count < 0 || count > MAX_ARRAY_ELEMENTS) {
            throw in.error("the array at byte " + start + " claims " + Long.toUnsignedString(count)
                    + " elements (arrays are limited to " + MAX_ARRAY_ELEMENTS + ")");
        }
        int minBytes = elementType.fixedSize() != 0 ? elementType.fixedSize()
                : elementType == ValueType.STRING ? 8 : MIN_NESTED_ARRAY_BYTES;
        if (count > in.remaining() / minBytes) {
            throw in.error("the array of " + count + " " + elementType.shortName() + " at byte " + start
                    + " needs at least " + count * minBytes + " bytes, but the file ends " + in.remaining()
                    + " bytes later");
        }
        int n = (int) count;
        String what = "an array element";
        switch (elementType) {
            case UINT8:
            case INT8: {
                byte[] values = new byte[n];
                in.readBytes(values, what);
                return new Int8Array(elementType, values);
            }
            case UINT16:
            case INT16: {
                short[] values = new short[n];
                in.readShorts(values, what);
                return new Int16Array(elementType, values);
            }
            case UINT32:
            case INT32: {
                int[] values = new int[n];
                in.readInts(values, what);
                return new Int32Array(elementType, values);
            }
            case UINT64:
            case INT64: {
                long[] values = new long[n];
                in.readLongs(values, what);
                return new Int64Array(elementType, values);
            }
            case FLOAT32: {
                float[] values = new float[n];
                in.readFloats(values, what);
                return new Float32Array(values);
            }
            case FLOAT64: {
                double[] values = new double[n];
                in.readDoubles(values, what);
                return new Float64Array(values);
            }
            case BOOL: {
                boolean[] values = new boolean[n];
                in.readBools(values, what);
                return new BoolArray(values);
            }
            case STRING: {
                StringArray.Builder values = new StringArray.Builder(n);
                for (int i = 0; i < n; i++) {
                    in.string(what, values);
                }
                return values.build();
            }
            case ARRAY: {
                ArrayValue[] values = new ArrayValue[n];
                for (int i = 0; i < n; i++) {
                    values[i] = readArray(depth + 1);
                }
                return new NestedArray(values);
            }
            default:
                throw new IllegalStateException("unhandled value type " + elementType);
        }
    }

    private static int alignmentOf(GgufMetadata metadata) {
        MetadataValue value = metadata.get(ALIGNMENT_KEY);
        if (value == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (!(value instanceof IntegerValue iv) || iv.type() != ValueType.UINT32) {
            throw new GgufFormatException("GGUF: key '" + ALIGNMENT_KEY + "' must be a u32, but it is "
                    + (value instanceof ArrayValue ? "an array" : "a " + value.type().shortName()));
        }
        long alignment = iv.value();
        if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
            throw new GgufFormatException("GGUF: key '" + ALIGNMENT_KEY + "' is " + alignment
                    + ", which is not a power of two");
        }
        if (alignment > MAX_ALIGNMENT) {
            throw new GgufFormatException("GGUF: key '" + ALIGNMENT_KEY + "' is " + alignment
                    + ", larger than the " + MAX_ALIGNMENT + " supported");
        }
        return (int) alignment;
    }

    /** A tensor info as stored: its offset is still relative to the data section, and unchecked. */
    private record PendingTensor(String name, GgmlType type, long[] dims, long byteSize, long relativeOffset) {
    }

    private PendingTensor[] readTensorInfos(int count) {
        PendingTensor[] tensors = new PendingTensor[count];
        Map<String, Long> seen = new HashMap<>();
        for (int i = 0; i < count; i++) {
            long start = in.position();
            in.context("tensor #" + i);
            String name = in.string("the tensor name", true);
            Long previous = seen.put(name, start);
            if (previous != null) {
                throw new GgufFormatException("GGUF: duplicate tensor name '" + name + "' at bytes " + previous
                        + " and " + start);
            }
            in.context("tensor '" + name + "'");
            tensors[i] = readTensorInfo(name);
        }
        in.context("header");
        return tensors;
    }

    private PendingTensor readTensorInfo(String name) {
        int nDims = in.u32("the dimension count");
        if (nDims < 1 || nDims > 4) {
            throw in.error("it has " + Integer.toUnsignedString(nDims) + " dimensions (1 to 4 are allowed)");
        }
        long[] dims = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            dims[d] = in.u64("a dimension");
            if (dims[d] < 1) {
                throw in.error("dimension " + d + " is " + Long.toUnsignedString(dims[d])
                        + " (dimensions must be at least 1)");
            }
            if (elements > Long.MAX_VALUE / dims[d]) {
                throw in.error("its shape " + shape(dims, d + 1) + " has more than 2^63 elements");
            }
            elements *= dims[d];
        }
        long typeAt = in.position();
        int typeId = in.u32("the tensor type");
        GgmlType type = GgmlType.ofId(typeId);
        if (type == null) {
            throw in.error("unknown ggml type id " + Integer.toUnsignedString(typeId) + " at byte " + typeAt);
        }
        if (dims[0] % type.blockSize() != 0) {
            throw in.error("its rows have " + dims[0] + " elements, not a multiple of the " + type
                    + " block size " + type.blockSize());
        }
        long byteSize = type.bytesFor(elements);
        if (byteSize < 0) {
            throw in.error("its shape " + shape(dims, nDims) + " of " + type + " takes more than 2^63 bytes");
        }
        long relativeOffset = in.u64("the data offset");
        return new PendingTensor(name, type, dims, byteSize, relativeOffset);
    }

    /** Checks where each tensor's data lies and returns the tensors with absolute offsets, in file order. */
    private List<TensorInfo> placeTensors(PendingTensor[] pending, long dataOffset, int alignment) {
        long fileSize = in.size();
        long dataSize = fileSize - dataOffset;
        TensorInfo[] tensors = new TensorInfo[pending.length];
        for (int i = 0; i < pending.length; i++) {
            PendingTensor t = pending[i];
            long relative = t.relativeOffset();
            if (relative < 0 || relative > dataSize) {
                throw new GgufFormatException("GGUF: tensor '" + t.name() + "' data offset "
                        + Long.toUnsignedString(relative) + " (from byte " + dataOffset
                        + ") lies outside the file (" + fileSize + " bytes)");
            }
            if (t.byteSize() > dataSize - relative) {
                throw new GgufFormatException("GGUF: tensor '" + t.name() + "' data [" + (dataOffset + relative)
                        + ", +" + t.byteSize() + ") lies outside the file (" + fileSize + " bytes)");
            }
            if (relative % alignment != 0) {
                throw new GgufFormatException("GGUF: tensor '" + t.name() + "' data offset " + relative
                        + " is not a multiple of the alignment " + alignment);
            }
            tensors[i] = new TensorInfo(t.name(), t.type(), t.dims(), dataOffset + relative);
        }
        checkNoOverlap(tensors);
        return List.of(tensors);
    }

    private static void checkNoOverlap(TensorInfo[] tensors) {
        TensorInfo[] byOffset = tensors.clone();
        Arrays.sort(byOffset, Comparator.comparingLong(TensorInfo::offset));
        for (int i = 1; i < byOffset.length; i++) {
            TensorInfo a = byOffset[i - 1];
            TensorInfo b = byOffset[i];
            if (b.offset() < a.end()) {
                throw new GgufFormatException("GGUF: tensors '" + a.name() + "' [" + a.offset() + ", +"
                        + a.byteSize() + ") and '" + b.name() + "' [" + b.offset() + ", +" + b.byteSize()
                        + ") overlap");
            }
        }
    }

    private static long alignUp(long offset, int alignment) {
        long remainder = offset % alignment;
        return remainder == 0 ? offset : offset + (alignment - remainder);
    }

    private static String shape(long[] dims, int count) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(Long.toUnsignedString(dims[i]));
        }
        return out.append(']').toString();
    }
}

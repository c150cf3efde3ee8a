package dev.tealama.gguf;

import dev.tealama.bytes.ByteSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed GGUF file (versions 2 and 3, little-endian): its metadata and its tensor table, over the
 * {@link ByteSource} that holds the bytes. Tensor data is not read or copied; callers view it through
 * {@link #tensorData(TensorInfo)}.
 *
 * <p>Layout: magic {@code "GGUF"}, version (u32), tensor count (u64), key/value count (u64), the key/values, the
 * tensor infos, padding to the alignment ({@code general.alignment}, default 32), then the data section. Reading
 * checks the whole header against the file (see {@link #read(ByteSource)}), so everything here can be trusted:
 * each tensor's data lies inside the file, aligned, and overlaps no other.
 */
public final class GgufFile {
    private final ByteSource source;
    private final int version;
    private final int alignment;
    private final long dataOffset;
    private final GgufMetadata metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> tensorsByName;

    GgufFile(ByteSource source, int version, int alignment, long dataOffset, GgufMetadata metadata,
             List<TensorInfo> tensors) {
        this.source = source;
        this.version = version;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.metadata = metadata;
        this.tensors = tensors;
        this.tensorsByName = new HashMap<>();
        for (TensorInfo t : tensors) {
            tensorsByName.put(t.name(), t);
        }
    }

    /**
     * Parses the header of the GGUF file in {@code source}.
     *
     * <p>Malformed or hostile input fails fast with a {@link GgufFormatException} naming the problem and where it is
     * (key, tensor name, byte offset): bad magic, versions other than 2 and 3, big-endian files, counts and lengths
     * larger than the bytes that remain, unknown value or tensor types, arrays nested deeper than 8, duplicate keys
     * or tensor names, keys and tensor names that are not valid UTF-8, a {@code general.alignment} that is not a
     * {@code u32} power of two, tensors with other than 1 to 4 dimensions, a dimension below 1, a row length that is
     * not a multiple of the type's block size, sizes that overflow, data that is misaligned, outside the file or
     * overlapping another tensor's. Types ggml defines but Tealama cannot compute with are accepted here (the model
     * loader reports them). String values that are not valid UTF-8 decode with U+FFFD replacements.
     *
     * <p>No allocation is larger than the bytes remaining in the file, and the work is proportional to the header's
     * size.
     */
    public static GgufFile read(ByteSource source) {
        return GgufParser.parse(source);
    }

    /** The GGUF version: 2 or 3. */
    public int version() {
        return version;
    }

    /** The data section's alignment in bytes: {@code general.alignment}, or 32. */
    public int alignment() {
        return alignment;
    }

    /**
     * Absolute byte offset of the data section: the end of the tensor infos, padded to the alignment. (A file without
     * tensors may end before the padding; then this is the file's size.)
     */
    public long dataOffset() {
        return dataOffset;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** The tensor table in file order (unmodifiable). */
    public List<TensorInfo> tensors() {
        return tensors;
    }

    /** The tensor named {@code name}, or {@code null} if there is none. */
    public TensorInfo tensor(String name) {
        return tensorsByName.get(name);
    }

    /** The bytes of the file. */
    public ByteSource source() {
        return source;
    }

    /** A view of {@code tensor}'s data: {@link TensorInfo#byteSize()} bytes starting at its offset. */
    public ByteSource tensorData(TensorInfo tensor) {
        return source.slice(tensor.offset(), tensor.byteSize());
    }

    @Override
    public String toString() {
        return "GgufFile[v" + version + ", " + metadata.size() + " keys, " + tensors.size() + " tensors, data at "
                + dataOffset + "]";
    }
}

package dev.tealama.canister.store;

import dev.tealama.TealamaException;
import dev.tealama.canister.ic.Ic0;

import java.nio.charset.StandardCharsets;

/**
 * The uploaded model in stable memory, which survives upgrades (the Wasm memory does not). Layout:
 * <pre>
 *   [0, 2 MiB)        header: magic "TEALAMA1", layout version, upload (size, SHA-256, name), configuration,
 *                     and from offset 4096 the log of received chunks (offset, length), 16 bytes each
 *   [2 MiB, + size)   the model file's bytes
 * </pre>
 * The header is kept current as chunks arrive (one small write each), so nothing needs saving at upgrade time.
 */
public final class StableStore {
    /** Where the model's bytes start in stable memory. */
    public static final long MODEL_OFFSET = 2L << 20;
    /** The most chunks the header's chunk log holds. */
    public static final int MAX_CHUNKS = (int) ((MODEL_OFFSET - 4096) / 16);
    /** The longest model name kept, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1000;

    private static final long MAGIC = 0x31414d414c414554L; // "TEALAMA1", little-endian
    private static final int VERSION = 1;
    private static final long STATE = 12;
    private static final long SIZE = 16;
    private static final long SHA256 = 24;
    private static final long NAME = 56;
    private static final long CONFIG = 1088;
    private static final long CHUNK_COUNT = 1120;
    private static final long CHUNKS = 4096;

    private StableStore() {
    }

    /** What the header says about the upload. */
    public record Upload(long size, byte[] sha256, String name, UploadLedger ledger) {
    }

    /** The configuration words kept in the header (0 = the default). */
    public record StoredConfig(long stepInstructions, long loadInstructions, int maxSessions, int maxContext) {
    }

    /** Whether stable memory holds a header written by this canister. */
    public static boolean hasHeader() {
        return Ic0.stable64Size() > 0 && readLong(0) == MAGIC;
    }

    /** Writes an empty header (no upload) if there is none. */
    public static void initialize() {
        if (hasHeader()) {
            return;
        }
        ensureSize(MODEL_OFFSET);
        writeLong(0, MAGIC);
        writeInt(8, VERSION);
        writeInt(STATE, 0);
        writeInt(CHUNK_COUNT, 0);
    }

    /** Starts a new upload: the header describes it, with no chunks yet; stable memory grows to hold the file. */
    public static void beginUpload(long size, byte[] sha256, String name) {
        ensureSize(MODEL_OFFSET + size);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        writeInt(STATE, 1);
        writeLong(SIZE, size);
        writeBytes(SHA256, sha256);
        writeInt(NAME, nameBytes.length);
        writeBytes(NAME + 4, nameBytes);
        writeInt(CHUNK_COUNT, 0);
    }

    /** Forgets the upload (its bytes stay until overwritten; stable memory never shrinks). */
    public static void clearUpload() {
        writeInt(STATE, 0);
        writeInt(CHUNK_COUNT, 0);
    }

    /** Appends a received chunk to the log; {@code index} is the chunk's number in arrival order. */
    public static void recordChunk(int index, long offset, long length) {
        writeLong(CHUNKS + 16L * index, offset);
        writeLong(CHUNKS + 16L * index + 8, length);
        writeInt(CHUNK_COUNT, index + 1);
    }

    /** Copies {@code length} bytes at Wasm memory address {@code address} to model offset {@code offset}. */
    public static void writeModel(long offset, long address, long length) {
        Ic0.stable64Write(MODEL_OFFSET + offset, address, length);
    }

    /** Copies {@code length} bytes of the model at {@code offset} to Wasm memory address {@code address}. */
    public static void readModel(long address, long offset, long length) {
        Ic0.stable64Read(address, MODEL_OFFSET + offset, length);
    }

    /** The upload the header describes, or null if none. */
    public static Upload readUpload() {
        if (!hasHeader() || readInt(STATE) != 1) {
            return null;
        }
        long size = readLong(SIZE);
        byte[] sha = readBytes(SHA256, 32);
        int nameLength = readInt(NAME);
        if (nameLength < 0 || nameLength > MAX_NAME_BYTES) {
            throw new TealamaException("stable memory holds a damaged upload header (name length " + nameLength + ")");
        }
        String name = new String(readBytes(NAME + 4, nameLength), StandardCharsets.UTF_8);
        UploadLedger ledger = new UploadLedger(size, MAX_CHUNKS);
        int count = readInt(CHUNK_COUNT);
        for (int i = 0; i < count; i++) {
            ledger.add(readLong(CHUNKS + 16L * i), readLong(CHUNKS + 16L * i + 8));
        }
        return new Upload(size, sha, name, ledger);
    }

    public static StoredConfig readConfig() {
        if (!hasHeader()) {
            return new StoredConfig(0, 0, 0, 0);
        }
        return new StoredConfig(readLong(CONFIG), readLong(CONFIG + 8), readInt(CONFIG + 16), readInt(CONFIG + 20));
    }

    public static void writeConfig(StoredConfig c) {
        writeLong(CONFIG, c.stepInstructions());
        writeLong(CONFIG + 8, c.loadInstructions());
        writeInt(CONFIG + 16, c.maxSessions());
        writeInt(CONFIG + 20, c.maxContext());
    }

    private static void ensureSize(long bytes) {
        long pages = (bytes + LinearMemory.PAGE - 1) / LinearMemory.PAGE;
        long have = Ic0.stable64Size();
        if (pages > have && Ic0.stable64Grow(pages - have) == -1) {
            throw new TealamaException("cannot grow stable memory to " + bytes + " bytes");
        }
    }

    private static long readLong(long offset) {
        byte[] b = readBytes(offset, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    private static int readInt(long offset) {
        byte[] b = readBytes(offset, 4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    private static void writeLong(long offset, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        writeBytes(offset, b);
    }

    private static void writeInt(long offset, int v) {
        writeBytes(offset, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    private static byte[] readBytes(long offset, int n) {
        byte[] b = new byte[n];
        if (n > 0) {
            Ic0.stable64Read(LinearMemory.addressOf(b, 0), offset, n);
        }
        return b;
    }

    private static void writeBytes(long offset, byte[] b) {
        if (b.length > 0) {
            Ic0.stable64Write(offset, LinearMemory.addressOf(b, 0), b.length);
        }
    }
}

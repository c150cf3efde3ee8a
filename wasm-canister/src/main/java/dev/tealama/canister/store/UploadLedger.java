package dev.tealama.canister.store;

import dev.tealama.TealamaException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which chunks of an upload have arrived. Chunks may come in any order; a chunk identical in offset and length to
 * one already received is a harmless duplicate (a client retrying); a chunk that overlaps another differently, or
 * reaches past the declared size, is refused. Chunks are kept as received (not merged), so a duplicate is
 * recognised exactly.
 */
public final class UploadLedger {
    /** The largest chunk: an ingress message is at most 2 MiB, envelope and Candid included. */
    public static final int MAX_CHUNK = 1_900_000;

    private final long size;
    private final int maxChunks;
    private final TreeMap<Long, Long> chunks = new TreeMap<>(); // offset -> length
    private long received;

    /**
     * @param size      the file's size in bytes
     * @param maxChunks the most chunks the ledger records (its persistent copy has a fixed size)
     */
    public UploadLedger(long size, int maxChunks) {
        if (size <= 0) {
            throw new TealamaException("the model size must be positive (got " + size + ")");
        }
        this.size = size;
        this.maxChunks = maxChunks;
    }

    /** What adding a chunk did. */
    public enum Outcome { ADDED, DUPLICATE }

    /**
     * Records chunk {@code [offset, offset + length)}.
     *
     * @throws TealamaException if the chunk is empty, too large, outside the file, or overlaps another chunk
     *                          differently; the ledger is then unchanged
     */
    public Outcome add(long offset, long length) {
        if (length <= 0) {
            throw new TealamaException("the chunk at offset " + offset + " is empty");
        }
        if (length > MAX_CHUNK) {
            throw new TealamaException("the chunk at offset " + offset + " has " + length + " bytes; at most " + MAX_CHUNK
                    + " are allowed");
        }
        if (offset < 0 || offset > size - length) {
            throw new TealamaException("the chunk [" + offset + ", " + (offset + length) + ") reaches outside the "
                    + size + "-byte model");
        }
        Long same = chunks.get(offset);
        if (same != null && same == length) {
            return Outcome.DUPLICATE;
        }
        Map.Entry<Long, Long> before = chunks.floorEntry(offset);
        if (before != null && before.getKey() + before.getValue() > offset) {
            throw overlap(offset, length, before);
        }
        Map.Entry<Long, Long> after = chunks.ceilingEntry(offset);
        if (after != null && after.getKey() < offset + length) {
            throw overlap(offset, length, after);
        }
        if (chunks.size() >= maxChunks) {
            throw new TealamaException("too many chunks: this upload already has " + chunks.size()
                    + "; send larger chunks (up to " + MAX_CHUNK + " bytes)");
        }
        chunks.put(offset, length);
        received += length;
        return Outcome.ADDED;
    }

    private static TealamaException overlap(long offset, long length, Map.Entry<Long, Long> other) {
        return new TealamaException("the chunk [" + offset + ", " + (offset + length) + ") overlaps the chunk ["
                + other.getKey() + ", " + (other.getKey() + other.getValue()) + ") received before; re-send chunks"
                + " with the same offset and length");
    }

    public long size() {
        return size;
    }

    public long received() {
        return received;
    }

    public int chunkCount() {
        return chunks.size();
    }

    public boolean isComplete() {
        return received == size;
    }

    /** The received chunks as {offset, length} pairs, by offset. */
    public List<long[]> chunks() {
        List<long[]> out = new ArrayList<>(chunks.size());
        for (Map.Entry<Long, Long> e : chunks.entrySet()) {
            out.add(new long[] {e.getKey(), e.getValue()});
        }
        return out;
    }

    /** The gaps still missing, as {offset, length} pairs in order, at most {@code limit} of them. */
    public List<long[]> missing(int limit) {
        List<long[]> out = new ArrayList<>();
        long at = 0;
        for (Map.Entry<Long, Long> e : chunks.entrySet()) {
            if (e.getKey() > at) {
                if (out.size() == limit) {
                    return out;
                }
                out.add(new long[] {at, e.getKey() - at});
            }
            at = e.getKey() + e.getValue();
        }
        if (at < size && out.size() < limit) {
            out.add(new long[] {at, size - at});
        }
        return out;
    }

    /** How many gaps are missing. */
    public long missingCount() {
        long n = 0;
        long at = 0;
        for (Map.Entry<Long, Long> e : chunks.entrySet()) {
            if (e.getKey() > at) {
                n++;
            }
            at = e.getKey() + e.getValue();
        }
        return at < size ? n + 1 : n;
    }
}

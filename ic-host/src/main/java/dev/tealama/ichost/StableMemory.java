package dev.tealama.ichost;

import java.util.HashMap;
import java.util.Map;

/**
 * The canister's stable memory: survives upgrades, sparse (pages never written take no space), rolled back with the
 * rest of the canister when a message traps, and metered per message the way the replica meters it: the 4 KiB pages a
 * message touches and the 4 KiB pages it writes are counted against {@link CanisterLimits#stableAccessedBytes()} and
 * {@link CanisterLimits#stableDirtyBytes()}.
 */
final class StableMemory {

    static final int WASM_PAGE = 65_536;
    private static final int OS_PAGE = 4_096;
    private static final int OS_PAGES_PER_WASM_PAGE = WASM_PAGE / OS_PAGE;

    private final long maxPages;
    private final Map<Long, byte[]> pages = new HashMap<>();
    private long sizePages;

    /** Pages as they were before the current message first wrote them (null: the page did not exist). */
    private final Map<Long, byte[]> saved = new HashMap<>();
    private long sizePagesAtStart;

    /** Per message: bit i of a value is set when 4 KiB page i of that Wasm page was touched / written. */
    private final Map<Long, Integer> accessedMask = new HashMap<>();
    private final Map<Long, Integer> dirtyMask = new HashMap<>();
    private long accessedOsPages;
    private long dirtyOsPages;
    private long accessLimitOsPages = Long.MAX_VALUE;
    private long dirtyLimitOsPages = Long.MAX_VALUE;

    /** @param maxBytes the largest stable memory (500 GiB on the IC) */
    StableMemory(long maxBytes) {
        this.maxPages = maxBytes / WASM_PAGE;
    }

    /** Starts the accounting of a message. */
    void beginMessage(long accessLimitBytes, long dirtyLimitBytes) {
        accessedMask.clear();
        dirtyMask.clear();
        accessedOsPages = 0;
        dirtyOsPages = 0;
        accessLimitOsPages = accessLimitBytes / OS_PAGE;
        dirtyLimitOsPages = dirtyLimitBytes / OS_PAGE;
    }

    /** The size in 64 KiB pages. */
    long sizePages() {
        return sizePages;
    }

    /** Grows by {@code delta} pages; the previous size, or -1 past the maximum (nothing changes then). */
    long grow(long delta) {
        if (delta < 0 || delta > maxPages - sizePages) {
            return -1;
        }
        long previous = sizePages;
        sizePages += delta;
        return previous;
    }

    /** Reads {@code length} bytes at {@code offset}; traps outside the memory. */
    byte[] read(long offset, int length) {
        checkRange(offset, length);
        account(offset, length, false);
        byte[] out = new byte[length];
        long position = offset;
        int done = 0;
        while (done < length) {
            long page = position / WASM_PAGE;
            int inPage = (int) (position % WASM_PAGE);
            int chunk = Math.min(length - done, WASM_PAGE - inPage);
            byte[] data = pages.get(page);
            if (data != null) {
                System.arraycopy(data, inPage, out, done, chunk);
            }
            position += chunk;
            done += chunk;
        }
        return out;
    }

    /** Writes {@code data} at {@code offset}; traps outside the memory. */
    void write(long offset, byte[] data) {
        checkRange(offset, data.length);
        account(offset, data.length, true);
        long position = offset;
        int done = 0;
        while (done < data.length) {
            long page = position / WASM_PAGE;
            int inPage = (int) (position % WASM_PAGE);
            int chunk = Math.min(data.length - done, WASM_PAGE - inPage);
            byte[] target = pages.get(page);
            if (!saved.containsKey(page)) {
                saved.put(page, target);
                target = target == null ? new byte[WASM_PAGE] : target.clone();
                pages.put(page, target);
            }
            System.arraycopy(data, done, target, inPage, chunk);
            position += chunk;
            done += chunk;
        }
    }

    void commit() {
        saved.clear();
        sizePagesAtStart = sizePages;
    }

    void rollback() {
        for (Map.Entry<Long, byte[]> entry : saved.entrySet()) {
            if (entry.getValue() == null) {
                pages.remove(entry.getKey());
            } else {
                pages.put(entry.getKey(), entry.getValue());
            }
        }
        saved.clear();
        sizePages = sizePagesAtStart;
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || offset > sizePages * WASM_PAGE - length) {
            throw new CanisterTrap(ErrorCode.CANISTER_TRAPPED, "Stable memory out of bounds: " + length
                    + " bytes at offset " + Long.toUnsignedString(offset) + " of a stable memory of "
                    + sizePages * WASM_PAGE + " bytes");
        }
    }

    private void account(long offset, int length, boolean write) {
        if (length == 0) {
            return;
        }
        long first = offset / OS_PAGE;
        long last = (offset + length - 1) / OS_PAGE;
        for (long os = first; os <= last; os++) {
            long page = os / OS_PAGES_PER_WASM_PAGE;
            int bit = 1 << (int) (os % OS_PAGES_PER_WASM_PAGE);
            if (mark(accessedMask, page, bit) && ++accessedOsPages > accessLimitOsPages) {
                throw limit("accessed", accessLimitOsPages);
            }
            if (write && mark(dirtyMask, page, bit) && ++dirtyOsPages > dirtyLimitOsPages) {
                throw limit("written", dirtyLimitOsPages);
            }
        }
    }

    private static boolean mark(Map<Long, Integer> masks, long page, int bit) {
        int mask = masks.getOrDefault(page, 0);
        if ((mask & bit) != 0) {
            return false;
        }
        masks.put(page, mask | bit);
        return true;
    }

    private static CanisterTrap limit(String what, long limitOsPages) {
        return new CanisterTrap(ErrorCode.CANISTER_MEMORY_ACCESS_LIMIT_EXCEEDED,
                "Exceeded the limit for the number of " + what + " pages in the stable memory in a single message"
                        + " execution: limit " + limitOsPages + " pages of 4 KiB (" + limitOsPages * OS_PAGE
                        + " bytes)");
    }
}

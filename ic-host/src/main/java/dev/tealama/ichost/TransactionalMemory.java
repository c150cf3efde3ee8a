package dev.tealama.ichost;

import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The canister's Wasm memory, with copy-on-write rollback: a message that traps leaves it as it was, at a cost
 * proportional to the pages the message wrote, not to the size of the memory.
 *
 * <p>Memory is held in 64 KiB pages. A page that the current message has not written yet is read-only: its slot in
 * {@link #writable} is null, and the first write copies it into {@link #saved} before changing it. {@link #commit()}
 * forgets the copies; {@link #rollback()} puts them back, drops the pages the message grew and restores the data
 * segments it dropped.
 *
 * <p>Pages the canister has never written are all the same shared page of zeros, so a canister that grows a large
 * heap (TeaVM grows its whole heap at start) costs the JVM only the pages it actually writes.
 */
final class TransactionalMemory implements Memory {

    private static final int PAGE_SHIFT = 16;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** Every page never written since it was grown; read-only. */
    private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

    private final MemoryLimits limits;
    /** Pages past this trap with a message (the canister's wasm_memory_limit or this host's cap). */
    private final int limitPages;
    private final long wasmMemoryLimitBytes;

    private final byte[][] pages;
    private final byte[][] writable;
    private final byte[][] saved;
    private int[] savedIndices = new int[64];
    private int savedCount;
    private int pageCount;
    private int pageCountAtStart;

    private DataSegment[] dataSegments = new DataSegment[0];
    private DataSegment[] dataSegmentsAtStart;

    /**
     * @param limits               the module's declared limits
     * @param wasmMemoryLimitBytes the canister's wasm_memory_limit
     */
    TransactionalMemory(MemoryLimits limits, long wasmMemoryLimitBytes) {
        this.limits = limits;
        this.wasmMemoryLimitBytes = wasmMemoryLimitBytes;
        long limit = Math.min(wasmMemoryLimitBytes / PAGE_SIZE, RUNTIME_MAX_PAGES);
        this.limitPages = (int) Math.min(limit, limits.maximumPages());
        int slots = Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
        if (limits.initialPages() > limitPages) {
            throw new CanisterTrap(ErrorCode.CANISTER_WASM_MEMORY_LIMIT_EXCEEDED, tooLarge(limits.initialPages()));
        }
        this.pages = new byte[slots][];
        this.writable = new byte[slots][];
        this.saved = new byte[slots][];
        Arrays.fill(pages, 0, limits.initialPages(), ZERO_PAGE);
        this.pageCount = limits.initialPages();
        this.pageCountAtStart = 0;
    }

    // ---- transactions ----

    /** Makes everything written so far permanent. */
    void commit() {
        for (int i = 0; i < savedCount; i++) {
            int p = savedIndices[i];
            saved[p] = null;
            writable[p] = null;
        }
        for (int p = pageCountAtStart; p < pageCount; p++) {
            writable[p] = null;
        }
        savedCount = 0;
        pageCountAtStart = pageCount;
        dataSegmentsAtStart = null;
    }

    /** Returns to the state of the last {@link #commit()}. */
    void rollback() {
        for (int i = 0; i < savedCount; i++) {
            int p = savedIndices[i];
            pages[p] = saved[p];
            saved[p] = null;
            writable[p] = null;
        }
        for (int p = pageCountAtStart; p < pageCount; p++) {
            pages[p] = null;
            writable[p] = null;
        }
        savedCount = 0;
        pageCount = pageCountAtStart;
        if (dataSegmentsAtStart != null) {
            dataSegments = dataSegmentsAtStart;
            dataSegmentsAtStart = null;
        }
    }

    /** Pages written since the last commit or rollback that existed before (their old contents are kept). */
    int savedPages() {
        return savedCount;
    }

    /** Pages that hold memory of their own (written at least once); the others share one page of zeros. */
    int materializedPages() {
        int count = 0;
        for (int p = 0; p < pageCount; p++) {
            if (pages[p] != ZERO_PAGE) {
                count++;
            }
        }
        return count;
    }

    private byte[] writablePage(int page) {
        if (page < writable.length) {
            byte[] w = writable[page];
            if (w != null) {
                return w;
            }
        }
        return makeWritable(page);
    }

    private byte[] makeWritable(int page) {
        if (page >= pageCount) {
            throw outOfBounds((long) page << PAGE_SHIFT, 1);
        }
        byte[] current = pages[page];
        byte[] copy = current == ZERO_PAGE ? new byte[PAGE_SIZE] : current.clone();
        pages[page] = copy;
        writable[page] = copy;
        if (page >= pageCountAtStart) {
            return copy; // grown by this message: rollback drops it, nothing to save
        }
        saved[page] = current;
        if (savedCount == savedIndices.length) {
            savedIndices = Arrays.copyOf(savedIndices, savedCount * 2);
        }
        savedIndices[savedCount++] = page;
        return copy;
    }

    private byte[] readablePage(int addr, int size) {
        int page = addr >>> PAGE_SHIFT;
        if (page >= pageCount) {
            throw outOfBounds(Integer.toUnsignedLong(addr), size);
        }
        return pages[page];
    }

    private long sizeInBytes() {
        return (long) pageCount << PAGE_SHIFT;
    }

    private void checkRange(int addr, int size) {
        if (addr < 0 || size < 0 || (long) addr + size > sizeInBytes()) {
            throw outOfBounds(Integer.toUnsignedLong(addr), size);
        }
    }

    private WasmRuntimeException outOfBounds(long addr, long size) {
        return new WasmRuntimeException("out of bounds memory access: attempted to access address: " + addr
                + " but limit is: " + sizeInBytes() + " and size: " + size);
    }

    private String tooLarge(long requestedPages) {
        long bytes = requestedPages * PAGE_SIZE;
        if (bytes > wasmMemoryLimitBytes) {
            return "Canister exceeded its current Wasm memory limit of " + wasmMemoryLimitBytes
                    + " bytes (it asked for " + bytes + " bytes)";
        }
        return "The canister asked for " + bytes + " bytes of Wasm memory; this local host (Chicory) supports at most "
                + ((long) RUNTIME_MAX_PAGES * PAGE_SIZE) + " bytes (2 GiB - 64 KiB), the IC up to "
                + wasmMemoryLimitBytes + " (its wasm_memory_limit)";
    }

    // ---- Memory: size ----

    @Override
    public int pages() {
        return pageCount;
    }

    @Override
    public int grow(int size) {
        int previous = pageCount;
        long wanted = (long) previous + Integer.toUnsignedLong(size);
        if (wanted > limits.maximumPages()) {
            return -1; // the module's own maximum: memory.grow fails as Wasm says
        }
        if (wanted > limitPages) {
            throw new CanisterTrap(ErrorCode.CANISTER_WASM_MEMORY_LIMIT_EXCEEDED, tooLarge(wanted));
        }
        Arrays.fill(pages, previous, (int) wanted, ZERO_PAGE);
        pageCount = (int) wanted;
        return previous;
    }

    @Override
    public int initialPages() {
        return limits.initialPages();
    }

    @Override
    public int maximumPages() {
        return Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
    }

    @Override
    public boolean shared() {
        return false;
    }

    // ---- Memory: instantiation ----

    @Override
    public void initialize(Instance instance, DataSegment[] segments) {
        initialize(instance, segments, 0);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
        if (segments == null) {
            return;
        }
        this.dataSegments = segments.clone();
        for (DataSegment segment : segments) {
            if (segment instanceof ActiveDataSegment) {
                ActiveDataSegment active = (ActiveDataSegment) segment;
                if (active.index() != memoryIndex) {
                    continue;
                }
                int offset = (int) ConstantEvaluators.computeConstantValue(instance, active.offsetInstructions())[0];
                byte[] data = active.data();
                if (offset < 0 || (long) offset + data.length > sizeInBytes()) {
                    throw new UninstantiableException("out of bounds memory access: data segment at " + offset
                            + " of " + data.length + " bytes past the memory's " + sizeInBytes() + " bytes");
                }
                write(offset, data, 0, data.length);
            } else if (!(segment instanceof PassiveDataSegment)) {
                throw new ChicoryException("Data segment should be active or passive: " + segment);
            }
        }
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        byte[] data = dataSegments[segmentId].data();
        if (offset < 0 || size < 0 || (long) offset + size > data.length) {
            throw new WasmRuntimeException("out of bounds memory access: memory.init past the data segment");
        }
        write(dest, data, offset, size);
    }

    @Override
    public void drop(int segment) {
        if (dataSegmentsAtStart == null) {
            dataSegmentsAtStart = dataSegments.clone();
        }
        dataSegments[segment] = PassiveDataSegment.EMPTY;
    }

    // ---- Memory: bulk access ----

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        if (offset < 0 || size < 0 || (long) offset + size > data.length) {
            throw new WasmRuntimeException("out of bounds: " + size + " bytes from " + offset + " of "
                    + data.length);
        }
        checkRange(addr, size);
        int a = addr;
        int from = offset;
        int remaining = size;
        while (remaining > 0) {
            int inPage = a & PAGE_MASK;
            int chunk = Math.min(remaining, PAGE_SIZE - inPage);
            System.arraycopy(data, from, writablePage(a >>> PAGE_SHIFT), inPage, chunk);
            a += chunk;
            from += chunk;
            remaining -= chunk;
        }
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        checkRange(addr, len);
        byte[] result = new byte[len];
        int a = addr;
        int to = 0;
        while (to < len) {
            int inPage = a & PAGE_MASK;
            int chunk = Math.min(len - to, PAGE_SIZE - inPage);
            System.arraycopy(pages[a >>> PAGE_SHIFT], inPage, result, to, chunk);
            a += chunk;
            to += chunk;
        }
        return result;
    }

    @Override
    public void zero() {
        for (int p = 0; p < pageCount; p++) {
            if (pages[p] != ZERO_PAGE) {
                Arrays.fill(writablePage(p), (byte) 0);
            }
        }
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        int size = toIndex - fromIndex;
        checkRange(fromIndex, size);
        int a = fromIndex;
        int remaining = size;
        while (remaining > 0) {
            int inPage = a & PAGE_MASK;
            int chunk = Math.min(remaining, PAGE_SIZE - inPage);
            Arrays.fill(writablePage(a >>> PAGE_SHIFT), inPage, inPage + chunk, value);
            a += chunk;
            remaining -= chunk;
        }
    }

    @Override
    public void copy(int dest, int src, int size) {
        checkRange(src, size);
        checkRange(dest, size);
        write(dest, readBytes(src, size), 0, size);
    }

    // ---- Memory: single values ----

    @Override
    public byte read(int addr) {
        return readablePage(addr, 1)[addr & PAGE_MASK];
    }

    @Override
    public void writeByte(int addr, byte data) {
        int page = addr >>> PAGE_SHIFT;
        if (page >= pageCount) {
            throw outOfBounds(Integer.toUnsignedLong(addr), 1);
        }
        writablePage(page)[addr & PAGE_MASK] = data;
    }

    @Override
    public short readShort(int addr) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 2) {
            return (short) SHORT.get(readablePage(addr, 2), off);
        }
        return (short) ((read(addr) & 0xFF) | (read(addr + 1) << 8));
    }

    @Override
    public long readU16(int addr) {
        return readShort(addr) & 0xFFFFL;
    }

    @Override
    public void writeShort(int addr, short data) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 2) {
            SHORT.set(writableFor(addr, 2), off, data);
        } else {
            checkRange(addr, 2);
            writeByte(addr, (byte) data);
            writeByte(addr + 1, (byte) (data >>> 8));
        }
    }

    @Override
    public int readInt(int addr) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 4) {
            return (int) INT.get(readablePage(addr, 4), off);
        }
        checkRange(addr, 4);
        return (read(addr) & 0xFF) | (read(addr + 1) & 0xFF) << 8 | (read(addr + 2) & 0xFF) << 16
                | (read(addr + 3) & 0xFF) << 24;
    }

    @Override
    public void writeI32(int addr, int data) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 4) {
            INT.set(writableFor(addr, 4), off, data);
        } else {
            checkRange(addr, 4);
            for (int i = 0; i < 4; i++) {
                writeByte(addr + i, (byte) (data >>> (8 * i)));
            }
        }
    }

    @Override
    public long readLong(int addr) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 8) {
            return (long) LONG.get(readablePage(addr, 8), off);
        }
        checkRange(addr, 8);
        return (readInt(addr) & 0xFFFFFFFFL) | ((long) readInt(addr + 4) << 32);
    }

    @Override
    public void writeLong(int addr, long data) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 8) {
            LONG.set(writableFor(addr, 8), off, data);
        } else {
            checkRange(addr, 8);
            writeI32(addr, (int) data);
            writeI32(addr + 4, (int) (data >>> 32));
        }
    }

    @Override
    public float readFloat(int addr) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 4) {
            return (float) FLOAT.get(readablePage(addr, 4), off);
        }
        return Float.intBitsToFloat(readInt(addr));
    }

    @Override
    public long readF32(int addr) {
        return readInt(addr);
    }

    @Override
    public void writeF32(int addr, float data) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 4) {
            FLOAT.set(writableFor(addr, 4), off, data);
        } else {
            writeI32(addr, Float.floatToRawIntBits(data));
        }
    }

    @Override
    public double readDouble(int addr) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 8) {
            return (double) DOUBLE.get(readablePage(addr, 8), off);
        }
        return Double.longBitsToDouble(readLong(addr));
    }

    @Override
    public long readF64(int addr) {
        return readLong(addr);
    }

    @Override
    public void writeF64(int addr, double data) {
        int off = addr & PAGE_MASK;
        if (off <= PAGE_SIZE - 8) {
            DOUBLE.set(writableFor(addr, 8), off, data);
        } else {
            writeLong(addr, Double.doubleToRawLongBits(data));
        }
    }

    private byte[] writableFor(int addr, int size) {
        int page = addr >>> PAGE_SHIFT;
        if (page >= pageCount) {
            throw outOfBounds(Integer.toUnsignedLong(addr), size);
        }
        return writablePage(page);
    }

    // ---- Memory: threads (off on the IC) ----

    @Override
    @SuppressWarnings("removal")
    public Object lock(int address) {
        throw new UnsupportedOperationException("The IC has no shared memory");
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, int expected, long timeout) {
        throw new UnsupportedOperationException("The IC has no shared memory");
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, long expected, long timeout) {
        throw new UnsupportedOperationException("The IC has no shared memory");
    }

    @Override
    @SuppressWarnings("removal")
    public int notify(int address, int maxThreads) {
        return 0;
    }
}

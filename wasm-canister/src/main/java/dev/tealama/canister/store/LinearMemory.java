package dev.tealama.canister.store;

import org.teavm.interop.Address;
import org.teavm.interop.Import;
import org.teavm.interop.Unmanaged;

/**
 * Raw access to the canister's Wasm memory above TeaVM's heap, where the weight arena lives. {@code size},
 * {@code grow} and {@code copy} are the memory instructions, exposed by the {@code arena} shim
 * ({@code src/main/wat/arena-memory.wat}, merged into the module at build time).
 *
 * <p>Addresses are {@code long} because the arena reaches past 2 GiB, where a Java {@code int} turns negative;
 * callers keep every bound in {@code long} and check it (an address past 2^32 would silently wrap to 0).
 * This class has no static initializer: TeaVM requires that of classes with {@code @Unmanaged} methods.
 */
public final class LinearMemory {
    /** Bytes in a Wasm page. */
    public static final long PAGE = 65536;
    /** The largest Wasm32 memory: 65,536 pages, 4 GiB. */
    public static final long MAX_BYTES = 65536L * PAGE;

    private LinearMemory() {
    }

    @Import(module = "arena", name = "size")
    private static native int sizePages();

    @Import(module = "arena", name = "grow")
    private static native int growPages(int pages);

    @Import(module = "arena", name = "copy")
    private static native void copy(int dst, int src, int count);

    /** The memory's current size in bytes. */
    public static long size() {
        return (sizePages() & 0xFFFFFFFFL) * PAGE;
    }

    /** Grows the memory by {@code pages}; false if it cannot grow (the canister's memory limit). */
    public static boolean grow(long pages) {
        if (pages < 0 || pages > 65536) {
            return false;
        }
        return pages == 0 || growPages((int) pages) != -1;
    }

    /** Copies {@code count} bytes from {@code src} to {@code dst} (both absolute addresses in the memory). */
    public static void copy(long dst, long src, int count) {
        copy((int) dst, (int) src, count);
    }

    /** The address of {@code array[index]}: valid only until the next allocation (the GC may move the array). */
    @Unmanaged
    public static long addressOf(byte[] array, int index) {
        return (Address.ofData(array).toLong() & 0xFFFFFFFFL) + index;
    }

    /** The address of {@code array[index]}: valid only until the next allocation (the GC may move the array). */
    @Unmanaged
    public static long addressOf(float[] array, int index) {
        return (Address.ofData(array).toLong() & 0xFFFFFFFFL) + 4L * index;
    }

    /** The address of {@code array[index]}: valid only until the next allocation (the GC may move the array). */
    @Unmanaged
    public static long addressOf(int[] array, int index) {
        return (Address.ofData(array).toLong() & 0xFFFFFFFFL) + 4L * index;
    }

    /** The address of {@code array[index]}: valid only until the next allocation (the GC may move the array). */
    @Unmanaged
    public static long addressOf(short[] array, int index) {
        return (Address.ofData(array).toLong() & 0xFFFFFFFFL) + 2L * index;
    }

    @Unmanaged
    public static byte getByte(long address) {
        return Address.fromLong(address).getByte();
    }

    @Unmanaged
    public static short getShort(long address) {
        return Address.fromLong(address).getShort();
    }

    @Unmanaged
    public static int getInt(long address) {
        return Address.fromLong(address).getInt();
    }

    @Unmanaged
    public static long getLong(long address) {
        return Address.fromLong(address).getLong();
    }
}

package dev.tealama.canister.ic;

import org.teavm.interop.Address;
import org.teavm.interop.Import;

/**
 * The IC System API functions the canister imports (module {@code ic0}), with the exact signatures of the IC
 * interface specification. Addresses are 32-bit offsets into the canister's Wasm memory; {@link Address#ofData}
 * gives the address of a Java array's first element, valid only until the next allocation (the GC may move it).
 */
public final class Ic0 {
    private Ic0() {
    }

    @Import(module = "ic0", name = "msg_arg_data_size")
    public static native int msgArgDataSize();

    @Import(module = "ic0", name = "msg_arg_data_copy")
    public static native void msgArgDataCopy(Address dst, int offset, int size);

    @Import(module = "ic0", name = "msg_caller_size")
    public static native int msgCallerSize();

    @Import(module = "ic0", name = "msg_caller_copy")
    public static native void msgCallerCopy(Address dst, int offset, int size);

    @Import(module = "ic0", name = "msg_reply_data_append")
    public static native void msgReplyDataAppend(Address src, int size);

    @Import(module = "ic0", name = "msg_reply")
    public static native void msgReply();

    @Import(module = "ic0", name = "trap")
    public static native void trap(Address src, int size);

    @Import(module = "ic0", name = "debug_print")
    public static native void debugPrint(Address src, int size);

    @Import(module = "ic0", name = "performance_counter")
    public static native long performanceCounter(int counterType);

    @Import(module = "ic0", name = "is_controller")
    public static native int isController(Address src, int size);

    @Import(module = "ic0", name = "time")
    public static native long time();

    @Import(module = "ic0", name = "stable64_size")
    public static native long stable64Size();

    @Import(module = "ic0", name = "stable64_grow")
    public static native long stable64Grow(long newPages);

    @Import(module = "ic0", name = "stable64_read")
    public static native void stable64Read(long dst, long offset, long size);

    @Import(module = "ic0", name = "stable64_write")
    public static native void stable64Write(long offset, long src, long size);
}

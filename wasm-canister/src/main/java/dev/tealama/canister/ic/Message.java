package dev.tealama.canister.ic;

import org.teavm.interop.Address;

import java.nio.charset.StandardCharsets;

/** The current message, through the System API: its argument, caller, reply, trap and instruction counter. */
public final class Message {
    private Message() {
    }

    /** The argument bytes (Candid). */
    public static byte[] argument() {
        byte[] bytes = new byte[Ic0.msgArgDataSize()];
        if (bytes.length > 0) {
            Ic0.msgArgDataCopy(Address.ofData(bytes), 0, bytes.length);
        }
        return bytes;
    }

    /** The caller's principal bytes. */
    public static byte[] caller() {
        byte[] bytes = new byte[Ic0.msgCallerSize()];
        if (bytes.length > 0) {
            Ic0.msgCallerCopy(Address.ofData(bytes), 0, bytes.length);
        }
        return bytes;
    }

    /** Whether the caller controls this canister. */
    public static boolean callerIsController() {
        byte[] caller = caller();
        return Ic0.isController(Address.ofData(caller), caller.length) == 1;
    }

    /** Replies with these bytes (Candid). */
    public static void reply(byte[] bytes) {
        if (bytes.length > 0) {
            Ic0.msgReplyDataAppend(Address.ofData(bytes), bytes.length);
        }
        Ic0.msgReply();
    }

    /** Rejects the message and rolls back everything it changed. Does not return. */
    public static void trap(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        Ic0.trap(Address.ofData(bytes), bytes.length);
    }

    /** Wasm instructions executed so far in this message. */
    public static long instructions() {
        return Ic0.performanceCounter(0);
    }

    /** The IC's time, nanoseconds since 1970 (the same on every replica). */
    public static long timeNanos() {
        return Ic0.time();
    }

    /** A line for the replica's log. */
    public static void debugPrint(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Ic0.debugPrint(Address.ofData(bytes), bytes.length);
    }
}

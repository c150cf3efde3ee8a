package dev.tealama.ichost;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of a message: a {@link Reply} with the reply bytes or a {@link Reject}, together with the number of
 * Wasm instructions the message executed.
 */
public sealed interface CallResult permits CallResult.Reply, CallResult.Reject {

    /** Instructions the message executed, as {@code ic0.performance_counter(0)} would have said at its end. */
    long instructions();

    /** The reply bytes, or a {@link CanisterRejectException} describing the reject. */
    byte[] replyOrThrow();

    /** A successful call and the bytes the canister replied with. */
    record Reply(byte[] data, long instructions) implements CallResult {
        public Reply {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public byte[] replyOrThrow() {
            return data.clone();
        }

        /** The number of reply bytes. */
        public int size() {
            return data.length;
        }

        @Override
        public String toString() {
            return "Reply[" + data.length + " bytes, " + instructions + " instructions]";
        }
    }

    /**
     * A failed call: the reject code ({@link #rejectCode()}), the replica's error code and a message that says what
     * went wrong (the canister's own text for an explicit reject, the trap message for a trap).
     */
    record Reject(ErrorCode error, String message, long instructions) implements CallResult {
        /** The IC reject code of this reject. Explicit rejects by the canister are {@link RejectCode#CANISTER_REJECT}. */
        public RejectCode rejectCode() {
            return error.rejectCode();
        }

        @Override
        public byte[] replyOrThrow() {
            throw new CanisterRejectException(this);
        }

        /** The message as UTF-8 bytes (what {@code ic0.msg_reject_msg_copy} would give a calling canister). */
        public byte[] messageBytes() {
            return message.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Reject[" + error.text() + " (reject code " + rejectCode().code() + "): " + message + ", "
                    + instructions + " instructions]";
        }
    }
}

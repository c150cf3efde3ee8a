package dev.tealama.icreplica;

import dev.tealama.ichost.CallResult;

/**
 * Where an update call is in its life ("Overview of canister calling"): {@code received} once the replica has
 * accepted it, {@code processing} while it executes, then {@code replied} or {@code rejected}.
 */
public sealed interface RequestStatus
        permits RequestStatus.Received, RequestStatus.Processing, RequestStatus.Replied, RequestStatus.Rejected {

    /** The status as the state tree spells it. */
    String text();

    /** Whether the call has finished. */
    default boolean isTerminal() {
        return this instanceof Replied || this instanceof Rejected;
    }

    /** Accepted and waiting to run. */
    record Received() implements RequestStatus {
        @Override
        public String text() {
            return "received";
        }
    }

    /** Running. */
    record Processing() implements RequestStatus {
        @Override
        public String text() {
            return "processing";
        }
    }

    /** Finished with a reply. */
    record Replied(byte[] reply) implements RequestStatus {
        public Replied {
            reply = reply.clone();
        }

        @Override
        public byte[] reply() {
            return reply.clone();
        }

        @Override
        public String text() {
            return "replied";
        }
    }

    /**
     * Finished with a reject.
     *
     * @param rejectCode    the IC's reject code (1 to 5)
     * @param rejectMessage what went wrong
     * @param errorCode     the replica's error code, e.g. {@code IC0503}
     */
    record Rejected(int rejectCode, String rejectMessage, String errorCode) implements RequestStatus {
        @Override
        public String text() {
            return "rejected";
        }

        static Rejected of(CallResult.Reject reject) {
            return new Rejected(reject.rejectCode().code(), reject.message(), reject.error().text());
        }
    }

    /** The terminal status of a finished call. */
    static RequestStatus of(CallResult result) {
        if (result instanceof CallResult.Reply) {
            return new Replied(((CallResult.Reply) result).data());
        }
        return Rejected.of((CallResult.Reject) result);
    }
}

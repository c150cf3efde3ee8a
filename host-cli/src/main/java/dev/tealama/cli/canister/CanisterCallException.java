package dev.tealama.cli.canister;

import dev.tealama.TealamaException;

/**
 * A call to the canister that failed, with a message a user can act on, and what kind of failure it was: the
 * canister (or the replica on its behalf) rejected it, the request was too large, the replica could not be reached or
 * answered with an HTTP error, or its answer made no sense.
 */
public final class CanisterCallException extends TealamaException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The call reached the IC and was rejected (by the canister, or by the replica: no such canister...). */
        REJECTED,
        /** The request was over the IC's 2 MiB ingress limit (HTTP 413). */
        TOO_LARGE,
        /** The replica answered with another HTTP error, or could not be reached (after retries). */
        UNAVAILABLE,
        /** The answer did not verify, or did not decode as canister.did says. */
        INVALID_ANSWER,
        /** The call's outcome did not arrive in time. */
        TIMEOUT
    }

    private final Kind kind;
    private final int rejectCode;

    CanisterCallException(Kind kind, int rejectCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.rejectCode = rejectCode;
    }

    CanisterCallException(Kind kind, String message, Throwable cause) {
        this(kind, 0, message, cause);
    }

    /** A reject, with the IC's reject code (4: the canister rejected it, 5: it trapped, 3: no such canister...). */
    static CanisterCallException rejected(int rejectCode, String message) {
        return new CanisterCallException(Kind.REJECTED, rejectCode, message, null);
    }

    /** A reply that is not what canister.did describes. */
    static CanisterCallException undecodable(String method, Throwable cause) {
        return new CanisterCallException(Kind.INVALID_ANSWER, "the canister's reply to " + method + " is not what "
                + "canister.did describes (" + cause.getMessage() + "): is this canister running a different version "
                + "of Tealama?", cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The IC reject code of a {@link Kind#REJECTED} call, else 0. */
    public int rejectCode() {
        return rejectCode;
    }

    /** The same failure, its message prefixed with what was being done ("upload_chunk: ..."). */
    CanisterCallException during(String what) {
        return new CanisterCallException(kind, rejectCode, what + ": " + getMessage(), this);
    }
}

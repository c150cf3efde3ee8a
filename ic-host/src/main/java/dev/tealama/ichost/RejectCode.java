package dev.tealama.ichost;

/** The IC's reject codes (interface specification, "Reject codes"): the class of a failed call. */
public enum RejectCode {
    /** Fatal system error, retry unlikely to be useful. */
    SYS_FATAL(1),
    /** Transient system error, retry might be possible. */
    SYS_TRANSIENT(2),
    /** Invalid destination (e.g. canister or method does not exist). */
    DESTINATION_INVALID(3),
    /** Explicit reject by the canister. */
    CANISTER_REJECT(4),
    /** Canister error (e.g. trap, no response). */
    CANISTER_ERROR(5),
    /** Response unknown; system stopped waiting for it. */
    SYS_UNKNOWN(6);

    private final int code;

    RejectCode(int code) {
        this.code = code;
    }

    /** The number the IC uses on the wire. */
    public int code() {
        return code;
    }

    /** The reject code with this number. */
    public static RejectCode of(int code) {
        for (RejectCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        throw new IllegalArgumentException("No IC reject code " + code);
    }
}

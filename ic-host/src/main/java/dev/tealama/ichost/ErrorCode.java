package dev.tealama.ichost;

/**
 * The replica's error codes for the conditions this host reproduces (the {@code ErrorCode} enum of the IC's
 * {@code ic_error_types}; shown as {@code IC0503} and so on). The first digit is the {@link RejectCode}.
 */
public enum ErrorCode {
    /** {@code canister_inspect_message} did not accept the message (or trapped). */
    CANISTER_REJECTED_MESSAGE(406),
    /** The canister trapped (a Wasm trap: unreachable, out of bounds, division by zero, stack overflow...). */
    CANISTER_TRAPPED(502),
    /** The canister called {@code ic0.trap}. */
    CANISTER_CALLED_TRAP(503),
    /** The canister used the System API wrongly (a function not available in this context, replying twice...). */
    CANISTER_CONTRACT_VIOLATION(504),
    /** The module is not a valid canister module. */
    CANISTER_INVALID_WASM(505),
    /** An update returned without replying or rejecting. */
    CANISTER_DID_NOT_REPLY(506),
    /** The canister ran out of memory (stable memory past its maximum). */
    CANISTER_OUT_OF_MEMORY(507),
    /** {@code install} on a canister that already has a module. */
    CANISTER_NON_EMPTY(514),
    /** The message executed more instructions than its limit. */
    CANISTER_INSTRUCTION_LIMIT_EXCEEDED(522),
    /** The message read or wrote more stable memory than its limit. */
    CANISTER_MEMORY_ACCESS_LIMIT_EXCEEDED(524),
    /** No such update or query method. */
    CANISTER_METHOD_NOT_FOUND(536),
    /** The canister has no module installed. */
    CANISTER_WASM_MODULE_NOT_FOUND(537),
    /** The Wasm memory grew past the canister's {@code wasm_memory_limit} (or past this host's limit). */
    CANISTER_WASM_MEMORY_LIMIT_EXCEEDED(539),
    /**
     * Not an error code of the replica: the ingress message is larger than the IC accepts. A real replica's HTTP
     * interface refuses such a request (413) before anything executes; this host reports it as a fatal reject.
     */
    INGRESS_MESSAGE_TOO_LARGE(100);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The number, e.g. 503. */
    public int code() {
        return code;
    }

    /** The reject code a call that fails with this error gets. */
    public RejectCode rejectCode() {
        return RejectCode.of(code / 100);
    }

    /** The replica's textual form, e.g. {@code IC0503}. */
    public String text() {
        return String.format("IC%04d", code);
    }
}

package dev.tealama.canister.ic.candid;

/** A Candid message that is malformed, or whose values do not have the types the method takes. */
public final class CandidException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CandidException(String message) {
        super(message);
    }
}

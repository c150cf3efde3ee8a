package dev.tealama.ichost;

/** Thrown by {@link CallResult#replyOrThrow()} when the call was rejected. */
public final class CanisterRejectException extends RuntimeException {

    private final CallResult.Reject reject;

    public CanisterRejectException(CallResult.Reject reject) {
        super(reject.error().text() + ": " + reject.message());
        this.reject = reject;
    }

    /** The reject. */
    public CallResult.Reject reject() {
        return reject;
    }
}

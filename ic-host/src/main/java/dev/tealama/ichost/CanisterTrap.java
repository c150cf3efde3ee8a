package dev.tealama.ichost;

/**
 * Ends the current message as a trap, from inside a System API function or the host's memories. Whatever the
 * message changed is rolled back.
 */
final class CanisterTrap extends RuntimeException {

    private final ErrorCode error;

    CanisterTrap(ErrorCode error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    ErrorCode error() {
        return error;
    }
}

package dev.tealama;

/**
 * A problem the user can act on: a malformed file, an unsupported model, a prompt longer than the context.
 *
 * <p>The message names what is wrong in words a user understands; hosts print it (no stack trace) and exit
 * non-zero. Anything else that escapes is a bug in Tealama.
 */
public class TealamaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TealamaException(String message) {
        super(message);
    }

    public TealamaException(String message, Throwable cause) {
        super(message, cause);
    }
}

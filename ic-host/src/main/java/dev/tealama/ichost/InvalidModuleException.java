package dev.tealama.ichost;

/** The module is not one the IC would install; the message says which rule it breaks. */
public final class InvalidModuleException extends RuntimeException {

    public InvalidModuleException(String message) {
        super(message);
    }
}

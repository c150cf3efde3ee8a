package dev.tealama.icreplica.cbor;

/** Bytes that are not the CBOR they should be; the message says what is wrong and where. */
public final class CborException extends RuntimeException {

    public CborException(String message) {
        super(message);
    }
}

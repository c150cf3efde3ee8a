package dev.tealama.gguf;

import dev.tealama.TealamaException;

/**
 * A GGUF file that cannot be read: not GGUF, an unsupported version, or a header that contradicts itself or the
 * file's size. Also thrown when metadata a caller needs is missing or has the wrong type.
 *
 * <p>The message says what is wrong and where: the key, the tensor name or the byte offset.
 */
public class GgufFormatException extends TealamaException {
    private static final long serialVersionUID = 1L;

    public GgufFormatException(String message) {
        super(message);
    }
}

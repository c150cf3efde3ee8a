package dev.tealama.tokenizer;

import java.util.Arrays;

/**
 * Turns tokens into text as they are generated, one at a time, never returning half a character.
 *
 * <p>A token may end in the middle of a UTF-8 character (byte-level BPE splits emoji and CJK characters, byte
 * fallback tokens carry single bytes). The decoder returns the text that is complete so far and holds back the start
 * of a character until its remaining bytes arrive. Bytes that can no longer form a character become U+FFFD at once,
 * one per maximal ill-formed subpart, so the concatenation of all returned text, {@link #finish()} included, equals
 * {@link Tokenizer#decode} of the same tokens. Not thread-safe: one decoder per stream.
 */
public final class StreamingDecoder {
    private final VocabularyTokenizer tokenizer;
    private final boolean renderSpecial;
    /** Bytes received but not yet returned as text: the start of an incomplete character (at most 3 bytes). */
    private byte[] pending = new byte[16];
    private int pendingLength;

    StreamingDecoder(VocabularyTokenizer tokenizer, boolean renderSpecial) {
        this.tokenizer = tokenizer;
        this.renderSpecial = renderSpecial;
    }

    /** Takes the next token and returns the text it completes (possibly empty). */
    public String accept(int token) {
        int length = tokenizer.pieceLength(tokenizer.checkToken(token), renderSpecial);
        if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + length, pending.length * 2));
        }
        int end = tokenizer.appendPiece(token, renderSpecial, pending, pendingLength);
        StringBuilder text = new StringBuilder(end);
        int decoded = Utf8.decode(pending, 0, end, false, text);
        System.arraycopy(pending, decoded, pending, 0, end - decoded);
        pendingLength = end - decoded;
        return text.toString();
    }

    /**
     * Ends the stream: returns U+FFFD if a character was left incomplete (else the empty string) and starts afresh.
     */
    public String finish() {
        StringBuilder text = new StringBuilder(1);
        Utf8.decode(pending, 0, pendingLength, true, text);
        pendingLength = 0;
        return text.toString();
    }

    /** Whether bytes of an incomplete character are held back. */
    public boolean hasPendingBytes() {
        return pendingLength > 0;
    }
}

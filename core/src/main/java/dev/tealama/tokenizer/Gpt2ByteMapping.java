package dev.tealama.tokenizer;

/**
 * GPT-2's reversible mapping between bytes and printable characters, in which byte-level BPE vocabularies (Llama 3)
 * write their tokens.
 *
 * <p>The 188 bytes that are printable Latin-1 characters ({@code !}..{@code ~}, {@code ¡}..{@code ¬},
 * {@code ®}..{@code ÿ}) stand for themselves; the other 68 (controls, space, DEL, NBSP, soft hyphen) are given the
 * characters U+0100, U+0101, ... in byte order. So a space is {@code Ġ} (U+0120) and a newline {@code Ċ} (U+010A).
 */
final class Gpt2ByteMapping {
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Indexed by character; -1 for characters that stand for no byte. All mapped characters are below U+0144. */
    private static final short[] CHAR_TO_BYTE = new short[0x144];

    static {
        for (int i = 0; i < CHAR_TO_BYTE.length; i++) {
            CHAR_TO_BYTE[i] = -1;
        }
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private Gpt2ByteMapping() {
    }

    /** The character standing for a byte. */
    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a code point stands for, or -1 if it stands for none. */
    static int byteOf(int cp) {
        return cp >= 0 && cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }
}

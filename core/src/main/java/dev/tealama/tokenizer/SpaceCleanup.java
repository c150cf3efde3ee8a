package dev.tealama.tokenizer;

/**
 * llama.cpp's clean-up of detokenized text for vocabularies with {@code clean_spaces} (Llama 3; Hugging Face calls it
 * {@code clean_up_tokenization_spaces}), in its three passes over the bytes:
 * <ol>
 *   <li>a space before {@code ? ! . ,} is removed;</li>
 *   <li>a lone apostrophe between spaces ({@code " ' "}) loses both spaces;</li>
 *   <li>a space before the contractions {@code 's 'm 're 've} is removed ({@code 't 'd 'll} keep theirs).</li>
 * </ol>
 * Each pass rewrites the array in place from the left, comparing with the byte before; pass 2 blanks the space it
 * skips with a NUL byte, so a following {@code " ' "} that shares it is not cleaned (as in llama.cpp).
 */
final class SpaceCleanup {
    private SpaceCleanup() {
    }

    /** Cleans {@code text[0, length)} in place and returns the new length. */
    static int clean(byte[] text, int length) {
        length = removeSpaceBeforePunctuation(text, length);
        length = removeSpacesAroundApostrophe(text, length);
        return removeSpaceBeforeContraction(text, length);
    }

    private static int removeSpaceBeforePunctuation(byte[] text, int length) {
        int out = length > 0 ? 1 : 0;
        for (int i = 1; i < length; i++) {
            byte c = text[i];
            if (text[i - 1] == ' ' && (c == '?' || c == '!' || c == '.' || c == ',')) {
                out--;  // drop the space just written
            }
            text[out++] = c;
        }
        return out;
    }

    private static int removeSpacesAroundApostrophe(byte[] text, int length) {
        int out = length > 0 ? 1 : 0;
        for (int i = 1; i < length; i++) {
            byte c = text[i];
            if (c == '\'' && i + 1 < length && text[i - 1] == ' ' && text[i + 1] == ' ') {
                out--;            // drop the space before
                text[++i] = 0;    // and skip the space after
            }
            text[out++] = c;
        }
        return out;
    }

    private static int removeSpaceBeforeContraction(byte[] text, int length) {
        int out = length > 0 ? 1 : 0;
        for (int i = 1; i < length; i++) {
            byte c = text[i];
            if (text[i - 1] == ' ' && c == '\'' && i + 1 < length) {
                byte next = text[i + 1];
                if (next == 's' || next == 'm') {
                    out--;
                } else if (next != 't' && next != 'd' && i + 2 < length) {
                    byte nextNext = text[i + 2];
                    if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e')) {
                        out--;
                    }
                }
            }
            text[out++] = c;
        }
        return out;
    }
}

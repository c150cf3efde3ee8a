package dev.tealama.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds special tokens written out in the input text ({@code <|eot_id|>}), as llama.cpp's
 * {@code tokenizer_st_partition} does: the special tokens are tried longest first, and each one splits every text
 * fragment at all its non-overlapping occurrences, leftmost first.
 *
 * <p>Which tokens take part: control and unknown tokens only when the caller asks to parse special tokens;
 * user-defined tokens always (Hugging Face tokenizers split them out before anything else too).
 */
final class SpecialTokenSplitter {
    /**
     * Stands in for each byte of a masked special token ({@link Tokenizer#maskSpecialTokens}): a control character
     * no special token's text contains.
     */
    static final char MASK = '\u0001';
    private SpecialTokenSplitter() {
    }

    /** The fragments of {@code text}: special tokens, and text between them (never empty). */
    static List<Fragment> split(byte[] text, Vocabulary vocabulary, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.length == 0) {
            return fragments;
        }
        fragments.add(Fragment.text(0, text.length));
        for (int i = 0; i < vocabulary.specialTokenCount(); i++) {
            int token = vocabulary.specialToken(i);
            if (!parseSpecial && vocabulary.has(token, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN)) {
                continue;
            }
            fragments = splitAt(fragments, text, vocabulary.specialTokenText(i), token);
        }
        return fragments;
    }

    private static List<Fragment> splitAt(List<Fragment> fragments, byte[] text, byte[] special, int token) {
        List<Fragment> out = null;  // created on the first match: most special tokens occur nowhere
        for (int f = 0; f < fragments.size(); f++) {
            Fragment fragment = fragments.get(f);
            int start = fragment.start();
            int match = fragment.isText() ? indexOf(text, start, fragment.end(), special) : -1;
            if (match < 0) {
                if (out != null) {
                    out.add(fragment);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(fragments.subList(0, f));
            }
            while (match >= 0) {
                if (match > start) {
                    out.add(Fragment.text(start, match));
                }
                out.add(Fragment.special(token));
                start = match + special.length;
                match = indexOf(text, start, fragment.end(), special);
            }
            if (start < fragment.end()) {
                out.add(Fragment.text(start, fragment.end()));
            }
        }
        return out != null ? out : fragments;
    }

    /** The first index in {@code [from, to)} where {@code pattern} occurs entirely within the range, or -1. */
    static int indexOf(byte[] text, int from, int to, byte[] pattern) {
        byte first = pattern[0];
        int last = to - pattern.length;
        for (int i = from; i <= last; i++) {
            if (text[i] != first) {
                continue;
            }
            int k = 1;
            while (k < pattern.length && text[i + k] == pattern[k]) {
                k++;
            }
            if (k == pattern.length) {
                return i;
            }
        }
        return -1;
    }
}

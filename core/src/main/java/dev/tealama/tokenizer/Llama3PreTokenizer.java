package dev.tealama.tokenizer;

/**
 * Splits text into the words Llama 3's BPE merges within, by the pattern of its {@code tokenizer.json}:
 * <pre>
 * (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * </pre>
 * written out by hand (TeaVM has no {@code java.util.regex}) the way llama.cpp's
 * {@code unicode_regex_split_custom_llama3} does it, so that the words are exactly llama.cpp's: at each position the
 * alternatives are tried in order, the first that matches takes its text. Unicode properties come from
 * {@link UnicodeCategories}. Runs in time linear in the text.
 */
final class Llama3PreTokenizer {
    private Llama3PreTokenizer() {
    }

    /**
     * Splits {@code cps[0, length)} (code points) into words, adding each word's end index to {@code ends}; the
     * words are consecutive and cover the whole text.
     */
    static void split(int[] cps, int length, IntList ends) {
        Text text = new Text(cps, length);
        int pos = 0;
        while (pos < length) {
            int end = wordEnd(text, pos);
            ends.add(end);
            pos = end;
        }
    }

    /** The end of the word starting at {@code pos} (there is always a word of at least one code point). */
    private static int wordEnd(Text text, int pos) {
        int cp = text.at(pos);

        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if (cp == '\'' && text.contains(pos + 1)) {
            int next = asciiLower(text.at(pos + 1));
            if (next == 's' || next == 't' || next == 'm' || next == 'd') {
                return pos + 2;
            }
            if (text.contains(pos + 2)) {
                int nextNext = asciiLower(text.at(pos + 2));
                if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e') || (next == 'l' && nextNext == 'l')) {
                    return pos + 3;
                }
            }
        }

        // [^\r\n\p{L}\p{N}]?\p{L}+
        if (!(cp == '\r' || cp == '\n' || text.isNumber(pos)) && (text.isLetter(pos) || text.isLetter(pos + 1))) {
            int end = pos + 1;  // the optional prefix, or the first letter
            while (text.isLetter(end)) {
                end++;
            }
            return end;
        }

        // \p{N}{1,3}
        if (text.isNumber(pos)) {
            int end = pos + 1;
            while (end < pos + 3 && text.isNumber(end)) {
                end++;
            }
            return end;
        }

        // ' ?[^\s\p{L}\p{N}]+[\r\n]*'. As in llama.cpp, a space at the very end of the text also matches here (alone);
        // the whitespace rules below would give it the same word.
        int first = cp == ' ' ? pos + 1 : pos;
        if (!text.contains(first) || text.isOther(first)) {
            int end = first;
            while (text.isOther(end)) {
                end++;
            }
            while (text.at(end) == '\r' || text.at(end) == '\n') {
                end++;
            }
            return end;
        }

        // \s*[\r\n]+ : the whitespace run up to its last line break
        int runEnd = pos;
        int lastLineBreakEnd = -1;
        while (text.isWhitespace(runEnd)) {
            int c = text.at(runEnd);
            runEnd++;
            if (c == '\r' || c == '\n') {
                lastLineBreakEnd = runEnd;
            }
        }
        if (lastLineBreakEnd >= 0) {
            return lastLineBreakEnd;
        }

        // \s+(?!\S) : a run of whitespace followed by more text leaves its last character to the next word
        int runLength = runEnd - pos;
        if (runLength > 1 && text.contains(runEnd)) {
            return runEnd - 1;
        }

        // \s+
        if (runLength > 0) {
            return runEnd;
        }

        // nothing matched (cannot happen with the rules above, kept as llama.cpp's fallback): one code point
        return pos + 1;
    }

    private static int asciiLower(int cp) {
        return cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp;
    }

    /** The text with bounds-checked property lookups: positions past the end have no properties. */
    private static final class Text {
        private final int[] cps;
        private final int length;

        Text(int[] cps, int length) {
            this.cps = cps;
            this.length = length;
        }

        boolean contains(int pos) {
            return pos < length;
        }

        /** The code point at {@code pos}, or -1 past the end. */
        int at(int pos) {
            return pos < length ? cps[pos] : -1;
        }

        boolean isLetter(int pos) {
            return pos < length && UnicodeCategories.isLetter(cps[pos]);
        }

        boolean isNumber(int pos) {
            return pos < length && UnicodeCategories.isNumber(cps[pos]);
        }

        boolean isWhitespace(int pos) {
            return pos < length && UnicodeCategories.isWhitespace(cps[pos]);
        }

        /** {@code [^\s\p{L}\p{N}]}: in the text and neither whitespace, letter nor number. */
        boolean isOther(int pos) {
            return pos < length && !isWhitespace(pos) && !isLetter(pos) && !isNumber(pos);
        }
    }
}

package dev.tealama.chat;

/**
 * Trimming as llama.cpp's chat templates do it: C's {@code isspace} on the bytes of UTF-8 text, which is true
 * only for the six ASCII characters space, tab, line feed, vertical tab, form feed and carriage return.
 *
 * <p>{@link String#strip()} would also remove Unicode spaces (no-break space, ideographic space, ...) and
 * {@link String#trim()} every control character; both would make our prompts differ from llama.cpp's.
 */
final class CWhitespace {
    private CWhitespace() {
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    /** {@code text} without leading and trailing C whitespace. */
    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}

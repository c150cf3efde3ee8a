package dev.tealama.tokenizer;

/**
 * A piece of the input after special tokens were found in it: either a special token ({@code token >= 0}) or the
 * text {@code bytes[start, end)} still to be tokenized ({@code token == -1}).
 */
record Fragment(int token, int start, int end) {
    static Fragment text(int start, int end) {
        return new Fragment(-1, start, end);
    }

    static Fragment special(int token) {
        return new Fragment(token, 0, 0);
    }

    boolean isText() {
        return token < 0;
    }
}

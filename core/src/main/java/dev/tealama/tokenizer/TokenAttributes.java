package dev.tealama.tokenizer;

/**
 * Attribute bits of a token, as llama.cpp keeps them ({@code llama_token_attr}), and their derivation from the
 * GGUF token types ({@code tokenizer.ggml.token_type}).
 */
final class TokenAttributes {
    /** No attribute: the token type was 0 or unknown. Such a token renders as nothing. */
    static final int UNDEFINED = 0;
    static final int UNKNOWN = 1;
    static final int UNUSED = 1 << 1;
    static final int NORMAL = 1 << 2;
    static final int CONTROL = 1 << 3;
    static final int USER_DEFINED = 1 << 4;
    static final int BYTE = 1 << 5;

    /** GGUF token types ({@code llama_token_type}). */
    static final int TYPE_NORMAL = 1;
    static final int TYPE_UNKNOWN = 2;
    static final int TYPE_CONTROL = 3;
    static final int TYPE_USER_DEFINED = 4;
    static final int TYPE_UNUSED = 5;
    static final int TYPE_BYTE = 6;

    private TokenAttributes() {
    }

    /** The attributes of a token of the given GGUF type; types outside 1..6 give {@link #UNDEFINED}. */
    static int fromGgufType(int type) {
        switch (type) {
            case TYPE_NORMAL:
                return NORMAL;
            case TYPE_UNKNOWN:
                return UNKNOWN;
            case TYPE_CONTROL:
                return CONTROL;
            case TYPE_USER_DEFINED:
                return USER_DEFINED;
            case TYPE_UNUSED:
                return UNUSED;
            case TYPE_BYTE:
                return BYTE;
            default:
                return UNDEFINED;
        }
    }
}

package dev.tealama.tokenizer;

import dev.tealama.TealamaException;
import java.util.List;

/**
 * What both tokenizer kinds share: the vocabulary and its special tokens, the pieces every token decodes to, and the
 * steps of encoding around the algorithm proper (special tokens written out in the text, BOS and EOS).
 */
abstract class VocabularyTokenizer {
    final Vocabulary vocabulary;
    /** Every token's bytes with special tokens rendered: llama.cpp's {@code token_to_piece(special = true)}. */
    private final PieceTable pieces;
    /** Whether {@link #detokenize} cleans up spaces before punctuation (llama.cpp's {@code clean_spaces}). */
    private final boolean cleanSpaces;

    VocabularyTokenizer(Vocabulary vocabulary, PieceTable pieces, boolean cleanSpaces) {
        this.vocabulary = vocabulary;
        this.pieces = pieces;
        this.cleanSpaces = cleanSpaces;
    }

    /** Tokenizes the fragments of the input (special tokens and text between them) into {@code out}. */
    abstract void encodeFragments(byte[] text, List<Fragment> fragments, IntList out);

    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] bytes = Utf8.encode(text);
        List<Fragment> fragments = SpecialTokenSplitter.split(bytes, vocabulary, parseSpecial);
        IntList out = new IntList(bytes.length / 2 + 4);
        if (addSpecial && vocabulary.addBos()) {
            out.add(requirePresent(vocabulary.bos(), "beginning-of-sequence"));
        }
        encodeFragments(bytes, fragments, out);
        if (addSpecial && vocabulary.addEos()) {
            out.add(requirePresent(vocabulary.eos(), "end-of-sequence"));
        }
        return out.toArray();
    }

    public int[] encode(String text, boolean addSpecial, String specialsFrom) {
        byte[] bytes = Utf8.encode(text);
        byte[] mask = Utf8.encode(specialsFrom);
        if (mask.length != bytes.length) {
            throw new IllegalArgumentException("specialsFrom has " + mask.length + " UTF-8 bytes, the text " + bytes.length);
        }
        List<Fragment> fragments = SpecialTokenSplitter.split(mask, vocabulary, true);
        IntList out = new IntList(bytes.length / 2 + 4);
        if (addSpecial && vocabulary.addBos()) {
            out.add(requirePresent(vocabulary.bos(), "beginning-of-sequence"));
        }
        encodeFragments(bytes, fragments, out);
        if (addSpecial && vocabulary.addEos()) {
            out.add(requirePresent(vocabulary.eos(), "end-of-sequence"));
        }
        return out.toArray();
    }

    public String maskSpecialTokens(String text) {
        byte[] bytes = Utf8.encode(text);
        StringBuilder out = null;  // created at the first special token: most texts hold none
        int copied = 0;            // bytes of text already in out
        int offset = 0;            // where the current fragment starts
        for (Fragment f : SpecialTokenSplitter.split(bytes, vocabulary, true)) {
            int length = f.isText() ? f.end() - f.start() : pieceLength(f.token(), true);
            // user-defined tokens are read in any text, as llama.cpp does: only control and unknown ones are masked
            if (!f.isText() && vocabulary.has(f.token(), TokenAttributes.CONTROL | TokenAttributes.UNKNOWN)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                }
                out.append(Utf8.decode(bytes, copied, offset - copied));
                for (int i = 0; i < length; i++) {
                    out.append(SpecialTokenSplitter.MASK);
                }
                copied = offset + length;
            }
            offset += length;
        }
        if (out == null) {
            return text;
        }
        return out.append(Utf8.decode(bytes, copied, bytes.length - copied)).toString();
    }

    private static int requirePresent(int token, String role) {
        if (token < 0) {
            throw new TealamaException("the model asks for a " + role + " token but has none");
        }
        return token;
    }

    public byte[] tokenBytes(int token) {
        return pieces.bytes(checkToken(token));
    }

    /** Whether the token renders as nothing when special tokens are not rendered. */
    private boolean hidden(int token, boolean renderSpecial) {
        return !renderSpecial && vocabulary.has(token, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN);
    }

    /** Appends the token's bytes (nothing for hidden special tokens) to {@code out[at]}; returns the new end. */
    int appendPiece(int token, boolean renderSpecial, byte[] out, int at) {
        return hidden(token, renderSpecial) ? at : pieces.copy(token, out, at);
    }

    int pieceLength(int token, boolean renderSpecial) {
        return hidden(token, renderSpecial) ? 0 : pieces.length(token);
    }

    public String decode(int[] tokens, boolean renderSpecial) {
        int length = 0;
        for (int token : tokens) {
            length += pieceLength(checkToken(token), renderSpecial);
        }
        byte[] bytes = new byte[length];
        int at = 0;
        for (int token : tokens) {
            at = appendPiece(token, renderSpecial, bytes, at);
        }
        return Utf8.decode(bytes, 0, at);
    }

    public String detokenize(int[] tokens, boolean renderSpecial) {
        int length = 0;
        for (int token : tokens) {
            length += pieceLength(checkToken(token), renderSpecial);
        }
        byte[] text = new byte[length];
        int at = 0;
        for (int i = 0; i < tokens.length; i++) {
            int start = at;
            at = appendPiece(tokens[i], renderSpecial, text, at);
            // the space SentencePiece put before the text: one leading space of the first token's piece
            if (i == 0 && vocabulary.addSpacePrefix() && at > start && text[start] == ' ') {
                System.arraycopy(text, start + 1, text, start, at - start - 1);
                at--;
            }
        }
        if (cleanSpaces) {
            at = SpaceCleanup.clean(text, at);
        }
        return Utf8.decode(text, 0, at);
    }

    public int vocabularySize() {
        return vocabulary.size();
    }

    public int bos() {
        return vocabulary.bos();
    }

    public int eos() {
        return vocabulary.eos();
    }

    public boolean addBos() {
        return vocabulary.addBos();
    }

    public boolean addEos() {
        return vocabulary.addEos();
    }

    public boolean isEndOfGeneration(int token) {
        return vocabulary.isEndOfGeneration(checkToken(token));
    }

    public int[] endOfGenerationTokens() {
        return vocabulary.endOfGenerationTokens();
    }

    public boolean isControl(int token) {
        return vocabulary.has(checkToken(token), TokenAttributes.CONTROL);
    }

    public String tokenText(int token) {
        return vocabulary.text(checkToken(token));
    }

    public int tokenId(String text) {
        return vocabulary.id(text);
    }

    public String piece(int token) {
        return PrintableText.of(tokenBytes(token));
    }

    public StreamingDecoder streamingDecoder(boolean renderSpecial) {
        return new StreamingDecoder(this, renderSpecial);
    }

    /** The attribute bits llama.cpp gives the token ({@code llama_vocab_get_attr}); for tests and inspection. */
    int attributes(int token) {
        return vocabulary.attributes(checkToken(token));
    }

    int checkToken(int token) {
        if (token < 0 || token >= vocabulary.size()) {
            throw new TealamaException("token id " + token + " is outside the vocabulary of " + vocabulary.size()
                    + " tokens");
        }
        return token;
    }

    /**
     * The byte a byte token ({@code <0x0A>}) stands for: the hex digits after {@code <0x} (at most two; reading stops
     * at the first non-digit, as llama.cpp's {@code strtol} does).
     */
    static byte byteTokenValue(String text, int token) {
        if (text.length() < 3) {
            throw new TealamaException("byte token " + token + " has the text '" + text + "', not <0xNN>");
        }
        int value = 0;
        for (int i = 3; i < Math.min(5, text.length()); i++) {
            int digit = hexDigit(text.charAt(i));
            if (digit < 0) {
                break;
            }
            value = value * 16 + digit;
        }
        return (byte) value;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}

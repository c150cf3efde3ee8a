package dev.tealama.tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Byte-level BPE as Llama 3 uses it ({@code tokenizer.ggml.model = gpt2}, pre-tokenizer {@code llama-bpe}), following
 * llama.cpp's {@code llm_tokenizer_bpe}:
 * <ol>
 *   <li>the text between special tokens is split into words by {@link Llama3PreTokenizer};</li>
 *   <li>a word whose GPT-2 text ({@link Gpt2ByteMapping}) is a token becomes that token (llama.cpp's
 *       {@code ignore_merges}, set for Llama 3);</li>
 *   <li>otherwise its bytes are merged by rank ({@link BpeMerges}), and each resulting piece is its token.</li>
 * </ol>
 * Decoding maps each token's characters back to bytes.
 */
public final class BpeTokenizer extends VocabularyTokenizer implements Tokenizer {
    private final BpeMerges merges;
    private final boolean ignoreMerges;

    /**
     * @param merges the merge rules, {@code "left right"} in rank order
     * @param ignoreMerges whether a word that is a token as a whole skips merging (true for Llama 3)
     * @param cleanSpaces whether {@link #detokenize} cleans up spaces before punctuation (true for Llama 3)
     */
    BpeTokenizer(Vocabulary vocabulary, List<String> merges, boolean ignoreMerges, boolean cleanSpaces) {
        super(vocabulary, pieces(vocabulary), cleanSpaces);
        this.merges = new BpeMerges(vocabulary, merges);
        this.ignoreMerges = ignoreMerges;
    }

    /** Number of distinct merge rules. */
    int mergeCount() {
        return merges.mergeCount();
    }

    @Override
    void encodeFragments(byte[] text, List<Fragment> fragments, IntList out) {
        WordEncoder encoder = new WordEncoder();
        for (Fragment fragment : fragments) {
            if (fragment.isText()) {
                encoder.encode(text, fragment.start(), fragment.end(), out);
            } else {
                out.add(fragment.token());
            }
        }
    }

    /** Pre-tokenizes and merges the text fragments of one encode call, reusing its buffers. */
    private final class WordEncoder {
        private final IntList codePoints = new IntList(64);
        private final IntList wordEnds = new IntList(16);
        private final IntList symbols = new IntList(16);
        private final BpeMerges.Scratch scratch = new BpeMerges.Scratch();
        private byte[] word = new byte[64];
        private char[] wordChars = new char[64];

        void encode(byte[] text, int from, int to, IntList out) {
            codePoints.clear();
            Utf8.decodeLikeLlamaCpp(text, from, to, codePoints);
            int[] cps = codePoints.toArray();
            wordEnds.clear();
            Llama3PreTokenizer.split(cps, cps.length, wordEnds);
            int start = 0;
            for (int w = 0; w < wordEnds.size(); w++) {
                int end = wordEnds.get(w);
                encodeWord(cps, start, end, out);
                start = end;
            }
        }

        private void encodeWord(int[] cps, int start, int end, IntList out) {
            int length = 0;
            for (int i = start; i < end; i++) {
                length += Utf8.encodedLength(cps[i]);
            }
            if (word.length < length) {
                word = new byte[Math.max(length, word.length * 2)];
                wordChars = new char[word.length];
            }
            int at = 0;
            for (int i = start; i < end; i++) {
                at = Utf8.encode(cps[i], word, at);
            }
            if (ignoreMerges) {
                for (int i = 0; i < length; i++) {
                    wordChars[i] = Gpt2ByteMapping.charOf(word[i]);
                }
                int token = vocabulary.id(wordChars, 0, length);
                if (token >= 0) {
                    out.add(token);
                    return;
                }
            }
            symbols.clear();
            merges.mergeWord(word, 0, length, scratch, symbols);
            for (int i = 0; i < symbols.size(); i++) {
                addSymbol(symbols.get(i), out);
            }
        }

        /**
         * A merged piece is normally a token. If a merge made a piece that is no token, llama.cpp emits the tokens
         * of the piece's single bytes instead, taking the bytes of its GPT-2 text literally: only ASCII characters
         * can be one-byte tokens there, the others are dropped.
         */
        private void addSymbol(int symbol, IntList out) {
            if (symbol < merges.vocabularySize()) {
                out.add(symbol);
                return;
            }
            String text = merges.extraSymbolText(symbol);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                int token = c < 0x80 ? vocabulary.id(String.valueOf(c)) : -1;
                if (token >= 0) {
                    out.add(token);
                }
            }
        }
    }

    /**
     * The bytes of every token: control, user-defined and unknown tokens their text; normal tokens their GPT-2
     * characters mapped back to bytes; byte tokens their byte; other types nothing (llama.cpp's
     * {@code token_to_piece} for BPE).
     */
    private static PieceTable pieces(Vocabulary vocabulary) {
        PieceTable.Builder builder = new PieceTable.Builder(vocabulary.size());
        for (int token = 0; token < vocabulary.size(); token++) {
            String text = vocabulary.text(token);
            if (vocabulary.has(token, TokenAttributes.CONTROL | TokenAttributes.USER_DEFINED | TokenAttributes.UNKNOWN)) {
                builder.add(Utf8.encode(text));
            } else if (vocabulary.has(token, TokenAttributes.NORMAL)) {
                builder.add(gpt2TextToBytes(text));
            } else if (vocabulary.has(token, TokenAttributes.BYTE)) {
                builder.add(new byte[] {byteTokenValue(text, token)});
            } else {
                builder.add(new byte[0]);
            }
        }
        return builder.build();
    }

    /**
     * The bytes a GPT-2 text stands for. A character that stands for no byte is written as llama.cpp writes it:
     * {@code [UNK_BYTE_0x<its UTF-8 in hex><the whole text>]}.
     */
    static byte[] gpt2TextToBytes(String text) {
        StringBuilder unknown = null;
        byte[] out = new byte[text.length()];
        int length = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int b = Gpt2ByteMapping.byteOf(cp);
            if (b >= 0) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[length++] = (byte) b;
                continue;
            }
            if (unknown == null) {
                unknown = new StringBuilder();
            }
            unknown.setLength(0);
            unknown.append("[UNK_BYTE_0x");
            byte[] utf8 = Utf8.encode(new String(Character.toChars(cp)));
            for (byte u : utf8) {
                unknown.append(Character.forDigit((u >> 4) & 15, 16)).append(Character.forDigit(u & 15, 16));
            }
            unknown.append(text).append(']');
            byte[] marker = Utf8.encode(unknown.toString());
            if (length + marker.length > out.length) {
                out = Arrays.copyOf(out, Math.max(length + marker.length, out.length * 2));
            }
            System.arraycopy(marker, 0, out, length, marker.length);
            length += marker.length;
        }
        return Arrays.copyOf(out, length);
    }
}

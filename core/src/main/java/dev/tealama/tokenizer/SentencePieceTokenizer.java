package dev.tealama.tokenizer;

import dev.tealama.TealamaException;
import java.util.List;

/**
 * SentencePiece BPE as llama.cpp runs it for Llama 2 vocabularies ({@code tokenizer.ggml.model = llama},
 * {@code llm_tokenizer_spm}):
 * <ol>
 *   <li>each text fragment gets a leading space if it starts the input or follows a special token (when the vocabulary
 *       has {@code add_space_prefix}, the default), and its spaces become {@code ▁} (U+2581);</li>
 *   <li>starting from one symbol per character, the adjacent pair whose concatenation is the token with the highest
 *       score is merged (the leftmost among equals), until no adjacent pair forms a token;</li>
 *   <li>each final symbol becomes its token; one that is no token (a character outside the vocabulary) becomes its
 *       UTF-8 bytes as byte tokens {@code <0xNN>} (byte fallback).</li>
 * </ol>
 * llama.cpp also keeps a table to split a non-token symbol back into the pairs it was merged from; it is never used,
 * since a symbol is only ever made by merging into a token, so it is left out here.
 */
public final class SentencePieceTokenizer extends VocabularyTokenizer implements Tokenizer {
    private static final byte[] ESCAPED_SPACE = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};  // ▁ U+2581

    /** The byte token of each byte value, or -1 if the vocabulary has none. */
    private final int[] byteTokens = new int[256];

    SentencePieceTokenizer(Vocabulary vocabulary) {
        super(vocabulary, pieces(vocabulary), false);
        for (int b = 0; b < 256; b++) {
            int token = vocabulary.id(byteTokenText(b));
            if (token < 0 && b < 0x80) {
                token = vocabulary.id(String.valueOf((char) b));  // llama.cpp falls back to the byte as text
            }
            byteTokens[b] = token;
        }
    }

    private static String byteTokenText(int b) {
        String hex = "0123456789ABCDEF";
        return "<0x" + hex.charAt(b >> 4) + hex.charAt(b & 15) + ">";
    }

    @Override
    void encodeFragments(byte[] text, List<Fragment> fragments, IntList out) {
        boolean afterSpecial = true;  // the input's start counts as following a special token
        for (Fragment fragment : fragments) {
            if (!fragment.isText()) {
                out.add(fragment.token());
                afterSpecial = true;
                continue;
            }
            byte[] escaped = escapeSpaces(text, fragment.start(), fragment.end(),
                    vocabulary.addSpacePrefix() && afterSpecial);
            new Merger(escaped).encode(out);
            afterSpecial = false;
        }
    }

    /** {@code text[from, to)} with every space (and the prefix space, if asked) written as {@code ▁}. */
    private static byte[] escapeSpaces(byte[] text, int from, int to, boolean prefixSpace) {
        int spaces = 0;
        for (int i = from; i < to; i++) {
            if (text[i] == ' ') {
                spaces++;
            }
        }
        byte[] out = new byte[(prefixSpace ? 3 : 0) + to - from + 2 * spaces];
        int at = 0;
        if (prefixSpace) {
            System.arraycopy(ESCAPED_SPACE, 0, out, at, 3);
            at += 3;
        }
        for (int i = from; i < to; i++) {
            if (text[i] == ' ') {
                System.arraycopy(ESCAPED_SPACE, 0, out, at, 3);
                at += 3;
            } else {
                out[at++] = text[i];
            }
        }
        return out;
    }

    /** The merging of one fragment: symbols are byte ranges of {@code text}, linked in order. */
    private final class Merger {
        private final byte[] text;
        private final int[] start;
        /** Byte length of each symbol; 0 once merged into its left neighbour. */
        private final int[] length;
        private final int[] prev;
        private final int[] next;
        private final int count;
        private final LongHeap candidates = new LongHeap();

        Merger(byte[] text) {
            this.text = text;
            int n = 0;
            for (int i = 0; i < text.length; i += Math.min(Utf8.lengthFromLeadByte(text[i]), text.length - i)) {
                n++;
            }
            count = n;
            start = new int[n];
            length = new int[n];
            prev = new int[n];
            next = new int[n];
            int at = 0;
            for (int s = 0; s < n; s++) {
                start[s] = at;
                length[s] = Math.min(Utf8.lengthFromLeadByte(text[at]), text.length - at);
                at += length[s];
                prev[s] = s - 1;
                next[s] = s + 1 < n ? s + 1 : -1;
            }
        }

        void encode(IntList out) {
            for (int s = 1; s < count; s++) {
                addCandidate(s - 1, s);
            }
            while (!candidates.isEmpty()) {
                int left = (int) candidates.topKey();
                int size = candidates.topPayload();
                candidates.removeTop();
                int right = left >= 0 ? next[left] : -1;
                // stale if a side was merged away or has grown since the candidate was queued
                if (length[left] == 0 || right < 0 || length[left] + length[right] != size) {
                    continue;
                }
                length[left] += length[right];
                length[right] = 0;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                addCandidate(prev[left], left);
                addCandidate(left, next[left]);
            }
            for (int s = 0; s >= 0 && count > 0; s = next[s]) {
                int token = vocabulary.id(Utf8.decode(text, start[s], length[s]));
                if (token >= 0) {
                    out.add(token);
                } else {
                    for (int i = start[s]; i < start[s] + length[s]; i++) {
                        out.add(byteToken(text[i]));
                    }
                }
            }
        }

        /**
         * Queues the pair if its text is a token, ordered by score (highest first), then position (leftmost first),
         * remembering the pair's byte length to recognise it as stale later.
         */
        private void addCandidate(int left, int right) {
            if (left < 0 || right < 0) {
                return;
            }
            int size = length[left] + length[right];
            int token = vocabulary.id(Utf8.decode(text, start[left], size));
            if (token < 0) {
                return;
            }
            candidates.add(descendingScoreKey(vocabulary.score(token)) << 32 | left, size);
        }
    }

    /** A key that sorts higher scores first; -0 and +0 are the same score. */
    private static long descendingScoreKey(float score) {
        int bits = Float.floatToIntBits(score == 0f ? 0f : score);
        int ascending = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;  // the int order of these is the float order
        return ~ascending;
    }

    private int byteToken(byte b) {
        int token = byteTokens[b & 0xFF];
        if (token < 0) {
            throw new TealamaException("the vocabulary has no token for the byte 0x"
                    + Integer.toHexString(b & 0xFF) + " (" + byteTokenText(b & 0xFF) + ")");
        }
        return token;
    }

    /**
     * The bytes of every token: control, user-defined and unknown tokens their text; normal tokens their text with
     * {@code ▁} as space; byte tokens their byte; other types nothing (llama.cpp's {@code token_to_piece}).
     */
    private static PieceTable pieces(Vocabulary vocabulary) {
        PieceTable.Builder builder = new PieceTable.Builder(vocabulary.size());
        for (int token = 0; token < vocabulary.size(); token++) {
            String text = vocabulary.text(token);
            if (vocabulary.has(token, TokenAttributes.CONTROL | TokenAttributes.USER_DEFINED | TokenAttributes.UNKNOWN)) {
                builder.add(Utf8.encode(text));
            } else if (vocabulary.has(token, TokenAttributes.NORMAL)) {
                builder.add(Utf8.encode(text.replace('\u2581', ' ')));
            } else if (vocabulary.has(token, TokenAttributes.BYTE)) {
                builder.add(new byte[] {byteTokenValue(text, token)});
            } else {
                builder.add(new byte[0]);
            }
        }
        return builder.build();
    }
}

package dev.tealama.tokenizer;

/**
 * The special token ids and flags a model file states, after llama.cpp's defaults were applied; -1 means none.
 * {@link Vocabulary} completes them from the token texts (end-of-turn tokens and the like).
 *
 * @param bos beginning of sequence
 * @param eos end of sequence
 * @param eot end of turn ({@code <|eot_id|>}); -1 lets the vocabulary find it by text
 * @param eom end of message ({@code <|eom_id|>}); -1 lets the vocabulary find it by text
 * @param unknown the token standing for text the vocabulary cannot write
 * @param padding padding
 * @param fimPad fill-in-the-middle padding; -1 lets the vocabulary find it by text (it ends generation)
 * @param fimRepo fill-in-the-middle repository name; as {@code fimPad}
 * @param fimSeparator fill-in-the-middle file separator; as {@code fimPad}
 * @param addBos whether {@code encode(text, addSpecial = true, ...)} starts with {@code bos}
 * @param addEos whether {@code encode(text, addSpecial = true, ...)} ends with {@code eos}
 * @param addSpacePrefix whether SentencePiece puts a space before the text (and decoding takes it off again)
 */
record SpecialTokenSettings(int bos, int eos, int eot, int eom, int unknown, int padding,
                            int fimPad, int fimRepo, int fimSeparator,
                            boolean addBos, boolean addEos, boolean addSpacePrefix) {

    /** Settings with only the given ids and flags, the rest absent. */
    static SpecialTokenSettings of(int bos, int eos, int unknown, boolean addBos, boolean addEos, boolean addSpacePrefix) {
        return new SpecialTokenSettings(bos, eos, -1, -1, unknown, -1, -1, -1, -1, addBos, addEos, addSpacePrefix);
    }
}

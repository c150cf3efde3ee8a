package dev.tealama.tokenizer;

import dev.tealama.gguf.GgufMetadata;

/**
 * Text to token ids and back, exactly as llama.cpp does it for the model's vocabulary.
 *
 * <p>Two kinds: {@link BpeTokenizer} (byte-level BPE, {@code tokenizer.ggml.model = gpt2}: Llama 3) and
 * {@link SentencePieceTokenizer} ({@code tokenizer.ggml.model = llama}: Llama 2, TinyLlama, llama2.c models).
 * Instances are immutable and may be shared; {@link #streamingDecoder} gives a stateful decoder per stream.
 *
 * <p>Token ids passed in must lie in {@code [0, vocabularySize())}; others are a {@link dev.tealama.TealamaException}.
 */
public sealed interface Tokenizer permits BpeTokenizer, SentencePieceTokenizer {

    /**
     * The tokenizer a GGUF file describes ({@code tokenizer.ggml.*} keys).
     *
     * @throws dev.tealama.TealamaException if the tokenizer keys are missing, malformed or of an unsupported kind
     */
    static Tokenizer fromGguf(GgufMetadata metadata) {
        return GgufTokenizerLoader.load(metadata);
    }

    /**
     * The tokens of {@code text}.
     *
     * @param addSpecial add the beginning-of-sequence token (and the end-of-sequence token) if the model asks for
     *     them ({@link #addBos()})
     * @param parseSpecial read special token texts in {@code text} (such as {@code <|eot_id|>}) as those tokens;
     *     when false they are tokenized as plain text. Chat templates need true.
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * The tokens of {@code text} with special tokens read only where {@code specialsFrom} has them: the fragments
     * between special tokens are found in {@code specialsFrom}, a copy of {@code text} of the same UTF-8 length in
     * which some parts were masked ({@link #maskSpecialTokens}), and their bytes are taken from {@code text}. A chat
     * prompt uses this so that special tokens come from the template only, never from what a user wrote: the
     * result equals {@code encode(text, addSpecial, true)} whenever nothing was masked.
     */
    int[] encode(String text, boolean addSpecial, String specialsFrom);

    /**
     * {@code text} with every written-out special token (those {@code parseSpecial} reads) replaced by a masking
     * character, one per UTF-8 byte, so that the result has the same UTF-8 length and holds no special token.
     * Returns {@code text} itself when it holds none.
     */
    String maskSpecialTokens(String text);

    /**
     * The bytes a token stands for. Control tokens give their text ({@code <|eot_id|>}); a token may hold part of a
     * UTF-8 character, so concatenate bytes before decoding them (or use {@link #streamingDecoder}).
     */
    byte[] tokenBytes(int token);

    /**
     * The text of a token sequence: the tokens' bytes, concatenated, decoded as UTF-8 (ill-formed parts become
     * U+FFFD). This is what {@link #streamingDecoder} prints bit by bit, and the inverse of {@link #encode} for
     * byte-level BPE. Control and unknown tokens give nothing unless {@code renderSpecial}.
     *
     * @see #detokenize for llama.cpp's {@code llama_detokenize}, which also removes SentencePiece's leading space
     */
    String decode(int[] tokens, boolean renderSpecial);

    /**
     * The text of a token sequence exactly as llama.cpp's {@code llama_detokenize(remove_special = false,
     * unparse_special = renderSpecial)} gives it: like {@link #decode}, but SentencePiece's space prefix is taken off
     * the first token, and for vocabularies that ask for it (Llama 3) spaces before punctuation are cleaned up
     * ({@code " ?"} becomes {@code "?"}, as Hugging Face's {@code clean_up_tokenization_spaces}).
     */
    String detokenize(int[] tokens, boolean renderSpecial);

    /** Number of tokens; valid ids are {@code [0, vocabularySize())}. */
    int vocabularySize();

    /** The beginning-of-sequence token, or -1 if the model has none. */
    int bos();

    /** The end-of-sequence token, or -1 if the model has none. */
    int eos();

    /** Whether {@code encode(text, addSpecial = true, ...)} starts with {@link #bos()}. */
    boolean addBos();

    /** Whether {@code encode(text, addSpecial = true, ...)} ends with {@link #eos()}. */
    boolean addEos();

    /**
     * Whether generating this token ends generation: {@link #eos()}, the end-of-turn and end-of-message tokens
     * ({@code <|eot_id|>}, {@code <|eom_id|>}) and the others llama.cpp recognises by their text
     * ({@code <|end_of_text|>}, {@code </s>}, {@code <|im_end|>}, ...).
     */
    boolean isEndOfGeneration(int token);

    /** All tokens for which {@link #isEndOfGeneration} is true, ascending. */
    int[] endOfGenerationTokens();

    /** Whether a token is a control token (not text: {@code <s>}, {@code <|eot_id|>}, ...). */
    boolean isControl(int token);

    /** The token's text as the vocabulary stores it (e.g. {@code ▁Hello}, {@code ĠHello}, {@code <0x0A>}). */
    String tokenText(int token);

    /** The token whose stored text is exactly {@code text} ({@link #tokenText}), or -1 if there is none. */
    int tokenId(String text);

    /**
     * A printable form of the token's bytes for inspection: the decoded text with {@code \n}, {@code \t},
     * {@code \r}, {@code \\} and other control characters escaped, and bytes that are no complete UTF-8 character
     * written as {@code \xNN}.
     */
    String piece(int token);

    /** A decoder that takes tokens one at a time and returns only complete characters. */
    StreamingDecoder streamingDecoder(boolean renderSpecial);
}

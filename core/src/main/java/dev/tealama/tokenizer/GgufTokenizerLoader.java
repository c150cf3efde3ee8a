package dev.tealama.tokenizer;

import dev.tealama.TealamaException;
import dev.tealama.gguf.GgufMetadata;
import java.util.List;

/**
 * Builds a {@link Tokenizer} from the {@code tokenizer.ggml.*} metadata of a GGUF file, with the defaults and
 * overrides of llama.cpp's {@code llama_vocab::load}.
 */
final class GgufTokenizerLoader {
    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPES = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    static final String EOT_ID = "tokenizer.ggml.eot_token_id";
    static final String EOM_ID = "tokenizer.ggml.eom_token_id";
    static final String UNKNOWN_ID = "tokenizer.ggml.unknown_token_id";
    static final String PADDING_ID = "tokenizer.ggml.padding_token_id";
    static final String FIM_PAD_ID = "tokenizer.ggml.fim_pad_token_id";
    static final String FIM_REPO_ID = "tokenizer.ggml.fim_rep_token_id";
    static final String FIM_SEPARATOR_ID = "tokenizer.ggml.fim_sep_token_id";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    /**
     * Pre-tokenizer names llama.cpp runs with Llama 3's split pattern. The first group also skips merging for words
     * that are tokens and adds BOS by default; {@code dbrx} and {@code smaug-bpe} do neither.
     */
    private static final List<String> LLAMA3_PRE_TOKENIZERS = List.of(
            "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano");
    private static final List<String> LLAMA3_PATTERN_PRE_TOKENIZERS = List.of("dbrx", "smaug-bpe");

    private GgufTokenizerLoader() {
    }

    static Tokenizer load(GgufMetadata metadata) {
        String model = metadata.string(MODEL, null);
        if (model == null) {
            throw new TealamaException("the model file has no tokenizer (no " + MODEL + ")");
        }
        String[] tokens = metadata.stringArray(TOKENS, null);
        if (tokens == null) {
            throw new TealamaException("the model file has no token list (" + TOKENS + ")");
        }
        float[] scores = metadata.floatArray(SCORES, null);
        int[] tokenTypes = metadata.intArray(TOKEN_TYPES, null);
        int n = tokens.length;
        switch (model) {
            case "llama": {
                SpecialTokenSettings settings = settings(metadata, n, defaultId(1, n), defaultId(2, n), defaultId(0, n),
                        true, metadata.bool(ADD_SPACE_PREFIX, true));
                return new SentencePieceTokenizer(new Vocabulary(tokens, scores, tokenTypes, settings));
            }
            case "gpt2": {
                String pre = metadata.string(PRE, "");
                boolean llama3 = LLAMA3_PRE_TOKENIZERS.contains(pre);
                if (!llama3 && !LLAMA3_PATTERN_PRE_TOKENIZERS.contains(pre)) {
                    throw new TealamaException("unsupported BPE pre-tokenizer '" + pre + "' (" + PRE + "); supported: "
                            + LLAMA3_PRE_TOKENIZERS + " and " + LLAMA3_PATTERN_PRE_TOKENIZERS
                            + (pre.isEmpty() || pre.equals("default")
                                    ? " (llama.cpp's 'default' splits text differently from Llama 3)" : ""));
                }
                List<String> merges = metadata.stringList(MERGES, null);
                if (merges == null) {
                    throw new TealamaException("the BPE tokenizer has no merges (" + MERGES + ")");
                }
                // llama.cpp's BPE defaults are 11 for both (a GPT-2 relic); real files state their own
                SpecialTokenSettings settings = settings(metadata, n, defaultId(11, n), defaultId(11, n), -1,
                        llama3, metadata.bool(ADD_SPACE_PREFIX, false));
                Vocabulary vocabulary = new Vocabulary(tokens, scores, tokenTypes, settings);
                return new BpeTokenizer(vocabulary, merges, llama3, true);
            }
            default:
                throw new TealamaException("unsupported tokenizer '" + model + "' (" + MODEL
                        + "); supported: llama (SentencePiece), gpt2 (byte-level BPE)");
        }
    }

    /** A default id, or -1 if the vocabulary is too small for it (as llama.cpp disables it). */
    private static int defaultId(int id, int vocabularySize) {
        return id < vocabularySize ? id : -1;
    }

    private static SpecialTokenSettings settings(GgufMetadata metadata, int n, int bos, int eos, int unknown,
                                                 boolean addBosByDefault, boolean addSpacePrefix) {
        return new SpecialTokenSettings(
                id(metadata, BOS_ID, n, bos),
                id(metadata, EOS_ID, n, eos),
                id(metadata, EOT_ID, n, -1),
                id(metadata, EOM_ID, n, -1),
                id(metadata, UNKNOWN_ID, n, unknown),
                id(metadata, PADDING_ID, n, -1),
                id(metadata, FIM_PAD_ID, n, -1),
                id(metadata, FIM_REPO_ID, n, -1),
                id(metadata, FIM_SEPARATOR_ID, n, -1),
                metadata.bool(ADD_BOS, addBosByDefault),
                metadata.bool(ADD_EOS, false),
                addSpacePrefix);
    }

    /**
     * A token id from the metadata. llama.cpp keeps the default when the stated id is outside the vocabulary (files
     * write 0xFFFFFFFF for "none"), and so does this.
     */
    private static int id(GgufMetadata metadata, String key, int vocabularySize, int defaultId) {
        long id = metadata.integer(key, defaultId);
        return id >= 0 && id < vocabularySize ? (int) id : defaultId;
    }
}

package dev.tealama.tokenizer;

import dev.tealama.TealamaException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tokens of a model and what llama.cpp derives from them when it loads a vocabulary ({@code llama_vocab::load}):
 * token attributes, special token ids, the end-of-generation set and the special tokens that may be written out in
 * text.
 *
 * <p>Some of this llama.cpp decides by token text, because model files do not say it: the end-of-turn token
 * ({@code <|eot_id|>}, {@code <|im_end|>}, ...), the end-of-message token, fill-in-the-middle tokens, and which
 * tokens end generation. A token found this way is also made a control token. Where several tokens could fill one
 * role, llama.cpp takes whichever its hash map yields first; here the first in the order of the lists below.
 */
final class Vocabulary {
    /** Texts of end-of-turn tokens, used when the file names none ({@code tokenizer.ggml.eot_token_id}). */
    private static final List<String> END_OF_TURN_TEXTS = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
            "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>");
    private static final List<String> END_OF_MESSAGE_TEXTS = List.of("<|eom_id|>");
    private static final List<String> FIM_PREFIX_TEXTS = List.of(
            "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>",
            "<|prefix|>");
    private static final List<String> FIM_SUFFIX_TEXTS = List.of(
            "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>",
            "<|suffix|>");
    private static final List<String> FIM_MIDDLE_TEXTS = List.of(
            "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>",
            "<|middle|>");
    private static final List<String> FIM_PAD_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]");
    private static final List<String> FIM_REPO_TEXTS = List.of(
            "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>");
    private static final List<String> FIM_SEPARATOR_TEXTS = List.of("<|file_sep|>");
    /** Texts of tokens that end generation whatever role they have. */
    private static final List<String> END_OF_GENERATION_TEXTS = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<｜end▁of▁sentence｜>", "[e~[");

    private final String[] texts;
    private final float[] scores;
    private final int[] attributes;
    /** Token id by text; when two tokens share a text the later one, as in llama.cpp. */
    private final TextIndex idsByText;
    private final int bos;
    private final int eos;
    private final int eot;
    private final int eom;
    private final int unknown;
    private final int padding;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean addSpacePrefix;
    /** Sorted. */
    private final int[] endOfGeneration;
    /** Control, user-defined and unknown tokens, longest text first (ties by id), and their texts. */
    private final int[] specialTokens;
    private final byte[][] specialTokenTexts;

    /**
     * @param texts the token texts ({@code tokenizer.ggml.tokens}); an empty text becomes {@code [EMPTY_<id>]}
     * @param scores SentencePiece scores, at least one per token, or {@code null} (all 0)
     * @param tokenTypes GGUF token types, at least one per token, or {@code null} (all normal)
     * @param settings the ids and flags the file states; ids are -1 or valid token ids
     */
    Vocabulary(String[] texts, float[] scores, int[] tokenTypes, SpecialTokenSettings settings) {
        int n = texts.length;
        if (n == 0) {
            throw new TealamaException("the tokenizer has no tokens");
        }
        if (scores != null && scores.length < n) {
            throw new TealamaException("the tokenizer has " + scores.length + " scores for " + n + " tokens");
        }
        if (tokenTypes != null && tokenTypes.length < n) {
            throw new TealamaException("the tokenizer has " + tokenTypes.length + " token types for " + n + " tokens");
        }
        this.texts = new String[n];
        this.scores = new float[n];
        this.attributes = new int[n];
        for (int id = 0; id < n; id++) {
            String text = texts[id];
            if (text == null || text.isEmpty()) {
                text = "[EMPTY_" + id + "]";
            }
            this.texts[id] = text;
            this.scores[id] = scores == null ? 0f : scores[id];
            this.attributes[id] = tokenTypes == null ? TokenAttributes.NORMAL : TokenAttributes.fromGgufType(tokenTypes[id]);
        }
        this.idsByText = new TextIndex(this.texts);

        this.bos = checkId("beginning-of-sequence", settings.bos());
        this.eos = checkId("end-of-sequence", settings.eos());
        this.unknown = checkId("unknown", settings.unknown());
        this.padding = checkId("padding", settings.padding());
        this.eot = checkId("end-of-turn", settings.eot()) >= 0 ? settings.eot() : findControl(END_OF_TURN_TEXTS);
        this.eom = checkId("end-of-message", settings.eom()) >= 0 ? settings.eom() : findControl(END_OF_MESSAGE_TEXTS);
        findControl(FIM_PREFIX_TEXTS);
        findControl(FIM_SUFFIX_TEXTS);
        findControl(FIM_MIDDLE_TEXTS);
        int fimPad = checkId("fill-in-the-middle padding", settings.fimPad()) >= 0 ? settings.fimPad() : findControl(FIM_PAD_TEXTS);
        int fimRepo = checkId("fill-in-the-middle repository", settings.fimRepo()) >= 0
                ? settings.fimRepo() : findControl(FIM_REPO_TEXTS);
        int fimSeparator = checkId("fill-in-the-middle separator", settings.fimSeparator()) >= 0
                ? settings.fimSeparator() : findControl(FIM_SEPARATOR_TEXTS);
        this.addBos = settings.addBos();
        this.addEos = settings.addEos();
        this.addSpacePrefix = settings.addSpacePrefix();

        // control tokens named "unused" are marked so (llama.cpp does; nothing here depends on it)
        for (int id = 0; id < n; id++) {
            if ((attributes[id] & TokenAttributes.CONTROL) != 0 && this.texts[id].contains("unused")) {
                attributes[id] |= TokenAttributes.UNUSED;
            }
        }

        IntList eog = new IntList();
        for (int id : new int[] {fimPad, fimRepo, fimSeparator, eos, eot, eom}) {
            if (id >= 0) {
                eog.add(id);
            }
        }
        for (String text : END_OF_GENERATION_TEXTS) {
            int id = idsByText.find(text);
            if (id >= 0) {
                attributes[id] |= TokenAttributes.CONTROL;
                eog.add(id);
            }
        }
        int[] sorted = eog.toArray();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        this.endOfGeneration = Arrays.copyOf(sorted, distinct);

        List<Integer> special = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            if ((attributes[id] & (TokenAttributes.CONTROL | TokenAttributes.USER_DEFINED | TokenAttributes.UNKNOWN)) != 0) {
                special.add(id);
            }
        }
        byte[][] bytesById = new byte[n][];
        for (int id : special) {
            bytesById[id] = Utf8.encode(this.texts[id]);
        }
        special.sort((a, b) -> bytesById[a].length != bytesById[b].length
                ? bytesById[b].length - bytesById[a].length : a - b);
        this.specialTokens = new int[special.size()];
        this.specialTokenTexts = new byte[special.size()][];
        for (int i = 0; i < specialTokens.length; i++) {
            specialTokens[i] = special.get(i);
            specialTokenTexts[i] = bytesById[specialTokens[i]];
        }
    }

    private int checkId(String role, int id) {
        if (id < -1 || id >= texts.length) {
            throw new TealamaException("the " + role + " token id " + id + " is outside the vocabulary of "
                    + texts.length + " tokens");
        }
        return id;
    }

    /** The first token with one of the texts, made a control token; -1 if there is none. */
    private int findControl(List<String> candidates) {
        for (String text : candidates) {
            int id = idsByText.find(text);
            if (id >= 0) {
                attributes[id] |= TokenAttributes.CONTROL;
                return id;
            }
        }
        return -1;
    }

    int size() {
        return texts.length;
    }

    /** The token's text as the model file stores it (e.g. {@code ▁Hello}, {@code ĠHello}, {@code <0x0A>}). */
    String text(int token) {
        return texts[token];
    }

    int attributes(int token) {
        return attributes[token];
    }

    boolean has(int token, int attribute) {
        return (attributes[token] & attribute) != 0;
    }

    float score(int token) {
        return scores[token];
    }

    /** The token whose text is exactly {@code text}, or -1. */
    int id(String text) {
        return idsByText.find(text);
    }

    /** The token whose text is {@code chars[from, to)}, or -1. */
    int id(char[] chars, int from, int to) {
        return idsByText.find(chars, from, to);
    }

    /** The token whose text is {@code text[from1, to1)} followed by {@code text[from2, to2)}, or -1. */
    int id(String text, int from1, int to1, int from2, int to2) {
        return idsByText.find(text, from1, to1, from2, to2);
    }

    int bos() {
        return bos;
    }

    int eos() {
        return eos;
    }

    int eot() {
        return eot;
    }

    int eom() {
        return eom;
    }

    int unknown() {
        return unknown;
    }

    int padding() {
        return padding;
    }

    boolean addBos() {
        return addBos;
    }

    boolean addEos() {
        return addEos;
    }

    boolean addSpacePrefix() {
        return addSpacePrefix;
    }

    boolean isEndOfGeneration(int token) {
        return Arrays.binarySearch(endOfGeneration, token) >= 0;
    }

    int[] endOfGenerationTokens() {
        return endOfGeneration.clone();
    }

    /** Number of tokens that may be written out in text ({@link SpecialTokenSplitter}). */
    int specialTokenCount() {
        return specialTokens.length;
    }

    /** The {@code i}-th such token, longest text first. */
    int specialToken(int i) {
        return specialTokens[i];
    }

    /** The UTF-8 text of the {@code i}-th such token. */
    byte[] specialTokenText(int i) {
        return specialTokenTexts[i];
    }
}

package dev.tealama.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.TealamaException;
import dev.tealama.gguf.GgufMetadata;
import dev.tealama.gguf.MetadataValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the tokenizer keys: llama.cpp's defaults, and clear errors for what is missing or unsupported. */
class GgufTokenizerLoaderTest {
    private static final String[] SPM_TOKENS = {"<unk>", "<s>", "</s>", "▁", "a", "b", "▁a"};

    private static Map<String, MetadataValue> spm() {
        Map<String, MetadataValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", MetadataValue.string("llama"));
        m.put("tokenizer.ggml.tokens", MetadataValue.stringArray(SPM_TOKENS));
        m.put("tokenizer.ggml.scores", MetadataValue.float32Array(0, 0, 0, -1, -2, -3, -1.5f));
        m.put("tokenizer.ggml.token_type", MetadataValue.int32Array(2, 3, 3, 1, 1, 1, 1));
        return m;
    }

    private static Map<String, MetadataValue> bpe(String pre) {
        Map<String, MetadataValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", MetadataValue.string("gpt2"));
        if (pre != null) {
            m.put("tokenizer.ggml.pre", MetadataValue.string(pre));
        }
        m.put("tokenizer.ggml.tokens", MetadataValue.stringArray("a", "b", "ab", "Ġ", "<|end|>"));
        m.put("tokenizer.ggml.merges", MetadataValue.stringArray("a b"));
        return m;
    }

    private static Tokenizer load(Map<String, MetadataValue> m) {
        return Tokenizer.fromGguf(new GgufMetadata(m));
    }

    private static String error(Map<String, MetadataValue> m) {
        return assertThrows(TealamaException.class, () -> load(m)).getMessage();
    }

    @Test
    void sentencePieceDefaults() {
        Tokenizer t = load(spm());
        assertEquals(1, t.bos());
        assertEquals(2, t.eos());
        assertTrue(t.addBos());
        assertFalse(t.addEos());
        assertArrayEquals(new int[] {1, 6, 5}, t.encode("ab", true, false));  // ▁a b
    }

    /** Files write 0xFFFFFFFF for "no such token"; llama.cpp keeps its default then. */
    @Test
    void idsOutsideTheVocabularyKeepTheDefault() {
        Map<String, MetadataValue> m = spm();
        m.put("tokenizer.ggml.bos_token_id", MetadataValue.uint32(0xFFFFFFFFL));
        m.put("tokenizer.ggml.eos_token_id", MetadataValue.uint32(4));
        m.put("tokenizer.ggml.padding_token_id", MetadataValue.uint32(0xFFFFFFFFL));
        Tokenizer t = load(m);
        assertEquals(1, t.bos());
        assertEquals(4, t.eos());
        assertTrue(t.isEndOfGeneration(4));
    }

    @Test
    void flagsFromTheFile() {
        Map<String, MetadataValue> m = spm();
        m.put("tokenizer.ggml.add_bos_token", MetadataValue.bool(false));
        m.put("tokenizer.ggml.add_eos_token", MetadataValue.bool(true));
        m.put("tokenizer.ggml.add_space_prefix", MetadataValue.bool(false));
        Tokenizer t = load(m);
        assertArrayEquals(new int[] {4, 5, 2}, t.encode("ab", true, false));  // a b </s>, no space prefix
    }

    @Test
    void missingByteTokensAreAnError() {
        Tokenizer t = load(spm());
        String message = assertThrows(TealamaException.class, () -> t.encode("c", false, false)).getMessage();
        assertTrue(message.contains("0x63"), message);
    }

    @Test
    void missingOrUnsupportedTokenizers() {
        Map<String, MetadataValue> noModel = spm();
        noModel.remove("tokenizer.ggml.model");
        assertTrue(error(noModel).contains("tokenizer.ggml.model"));

        Map<String, MetadataValue> bert = spm();
        bert.put("tokenizer.ggml.model", MetadataValue.string("bert"));
        assertTrue(error(bert).contains("'bert'"));

        Map<String, MetadataValue> noTokens = spm();
        noTokens.remove("tokenizer.ggml.tokens");
        assertTrue(error(noTokens).contains("tokenizer.ggml.tokens"));

        Map<String, MetadataValue> fewScores = spm();
        fewScores.put("tokenizer.ggml.scores", MetadataValue.float32Array(0, 0));
        assertTrue(error(fewScores).contains("2 scores for 7 tokens"));

        Map<String, MetadataValue> badEmpty = spm();
        badEmpty.put("tokenizer.ggml.tokens", MetadataValue.stringArray());
        assertTrue(error(badEmpty).contains("no tokens"));
    }

    /** llama.cpp splits text differently for 'default' (GPT-2's pattern); only Llama 3's split is implemented. */
    @Test
    void bpeNeedsTheLlama3PreTokenizer() {
        assertTrue(error(bpe("default")).contains("'default'"));
        assertTrue(error(bpe(null)).contains("pre-tokenizer ''"));
        assertTrue(error(bpe("qwen2")).contains("'qwen2'"));
        Map<String, MetadataValue> noMerges = bpe("llama-bpe");
        noMerges.remove("tokenizer.ggml.merges");
        assertTrue(error(noMerges).contains("tokenizer.ggml.merges"));
    }

    @Test
    void bpeDefaults() {
        Tokenizer llama3 = load(bpe("llama3"));
        assertTrue(llama3.addBos());
        assertEquals(-1, llama3.bos());  // llama.cpp's default 11 lies outside this 5-token vocabulary
        assertArrayEquals(new int[] {2, 3, 0}, llama3.encode("ab a", false, false));  // ab Ġ a
        assertTrue(llama3.isEndOfGeneration(4));  // <|end|> is found by its text
        assertTrue(llama3.isControl(4));
        String message = assertThrows(TealamaException.class, () -> llama3.encode("x", true, false)).getMessage();
        assertTrue(message.contains("beginning-of-sequence"), message);
        assertFalse(load(bpe("smaug-bpe")).addBos());
    }
}

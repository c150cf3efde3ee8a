package dev.tealama.tokenizer;

import static dev.tealama.tokenizer.LlamaCppTokenizationTest.abbreviate;
import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA2;
import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA3;
import static dev.tealama.tokenizer.TokenizerFixtures.STORIES;
import static dev.tealama.tokenizer.TokenizerFixtures.reference;
import static dev.tealama.tokenizer.TokenizerFixtures.texts;
import static dev.tealama.tokenizer.TokenizerFixtures.tokenLines;
import static dev.tealama.tokenizer.TokenizerFixtures.tokenizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Token ids back to text, against llama.cpp: {@code llama_detokenize} of llama.cpp's own token outputs, every token's
 * piece and attributes ({@code llama_token_to_piece}, {@code llama_vocab_get_attr}, {@code llama_vocab_is_eog}), and
 * round trips.
 */
class LlamaCppDecodingTest {

    @TestFactory
    List<DynamicTest> detokenizeAsLlamaCpp() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.addAll(detokenized(LLAMA3, "ggml-vocab-llama-bpe.gguf.out", "tokenizer/llama3.ggml-vocab-test.plain.detok", false));
        tests.addAll(detokenized(LLAMA2, "ggml-vocab-llama-spm.gguf.out", "tokenizer/llama2.ggml-vocab-test.plain.detok", false));
        String[][] models = {{"llama3", LLAMA3}, {"llama2", LLAMA2}, {"stories260K", STORIES}};
        for (String[] model : models) {
            List<String> sets = model[0].equals("stories260K") ? List.of("edge-cases") : List.of("edge-cases", "random");
            for (String set : sets) {
                String prefix = "tokenizer/" + model[0] + "." + set;
                tests.addAll(detokenized(model[1], prefix + ".plain.tokens", prefix + ".plain.detok", false));
                tests.addAll(detokenized(model[1], prefix + ".special.tokens", prefix + ".special.detok", true));
            }
        }
        return tests;
    }

    private static List<DynamicTest> detokenized(String model, String tokensFile, String textsFile, boolean renderSpecial) {
        List<int[]> tokens = tokenLines(reference(tokensFile));
        List<String> expected = texts(reference(textsFile));
        assertEquals(tokens.size(), expected.size(), tokensFile + " vs " + textsFile);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            int[] ids = tokens.get(i);
            String want = expected.get(i);
            tests.add(DynamicTest.dynamicTest(textsFile + " #" + i + " " + abbreviate(want),
                    () -> assertEquals(want, tokenizer(model).detokenize(ids, renderSpecial))));
        }
        return tests;
    }

    /**
     * Byte-level BPE loses nothing: decoding the tokens of any text gives the text back (llama.cpp's detokenize,
     * which cleans up spaces before punctuation, does not always).
     */
    @Test
    void llama3DecodeRoundTripsEveryText() {
        Tokenizer llama3 = tokenizer(LLAMA3);
        for (String file : List.of("ggml-vocab-llama-bpe.gguf.inp", "tokenizer/edge-cases.inp", "tokenizer/random.inp")) {
            for (String text : texts(reference(file))) {
                assertEquals(text, llama3.decode(llama3.encode(text, false, false), false), file);
                assertEquals(text, llama3.decode(llama3.encode(text, false, true), true), file);
            }
        }
    }

    /** SentencePiece round trips where llama.cpp's detokenize does (it cannot for e.g. "▁" in the text). */
    @Test
    void llama2DetokenizeRoundTripsWhereLlamaCppDoes() {
        int roundTrips = 0;
        String[][] files = {
            {"ggml-vocab-llama-spm.gguf.inp", "tokenizer/llama2.ggml-vocab-test.plain.detok"},
            {"tokenizer/edge-cases.inp", "tokenizer/llama2.edge-cases.plain.detok"},
            {"tokenizer/random.inp", "tokenizer/llama2.random.plain.detok"}};
        for (String[] pair : files) {
            List<String> inputs = texts(reference(pair[0]));
            List<String> llamaCpp = texts(reference(pair[1]));
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).equals(llamaCpp.get(i))) {
                    Tokenizer llama2 = tokenizer(LLAMA2);
                    assertEquals(inputs.get(i), llama2.detokenize(llama2.encode(inputs.get(i), false, false), false));
                    roundTrips++;
                }
            }
        }
        assertTrue(roundTrips > 250, roundTrips + " texts");
    }

    /** Every token's piece, attributes and end-of-generation flag, as llama.cpp lists them (digest of the list). */
    @Test
    void llama3VocabularyAsLlamaCpp() throws Exception {
        assertEquals(expectedDigest("llama3"), sha256(vocabularyListing(tokenizer(LLAMA3))));
    }

    @Test
    void llama2VocabularyAsLlamaCpp() throws Exception {
        assertEquals(expectedDigest("llama2"), sha256(vocabularyListing(tokenizer(LLAMA2))));
    }

    @Test
    void storiesVocabularyAsLlamaCpp() {
        String expected = new String(TestData.readAll(reference("tokenizer/stories260K.vocab.tsv")), StandardCharsets.UTF_8);
        String[] want = expected.split("\n");
        String[] got = vocabularyListing(tokenizer(STORIES)).split("\n");
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], "token " + i);
        }
    }

    /**
     * The listing llama-tokenizer-reference writes: per token {@code id, attributes, is_eog, hex(piece rendering
     * special tokens), hex(piece)}, tab-separated.
     */
    private static String vocabularyListing(Tokenizer tokenizer) {
        VocabularyTokenizer t = (VocabularyTokenizer) tokenizer;
        StringBuilder out = new StringBuilder();
        byte[] buffer = new byte[1024];
        for (int id = 0; id < t.vocabularySize(); id++) {
            out.append(id).append('\t').append(t.attributes(id)).append('\t').append(t.isEndOfGeneration(id) ? 1 : 0)
                    .append('\t');
            appendHex(out, t.tokenBytes(id));
            out.append('\t');
            int length = t.appendPiece(id, false, buffer, 0);
            appendHex(out, java.util.Arrays.copyOf(buffer, length));
            out.append('\n');
        }
        return out.toString();
    }

    private static void appendHex(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        }
    }

    private static String expectedDigest(String name) {
        return new String(TestData.readAll(reference("tokenizer/" + name + ".vocab.tsv.sha256")), StandardCharsets.US_ASCII)
                .trim();
    }

    private static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        appendHex(out, digest);
        return out.toString();
    }
}

package dev.tealama.tokenizer;

import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA2;
import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA3;
import static dev.tealama.tokenizer.TokenizerFixtures.STORIES;
import static dev.tealama.tokenizer.TokenizerFixtures.tokenizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.TealamaException;
import dev.tealama.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Special tokens, BOS handling and the rest of the API. Expected ids come from llama.cpp (llama-tokenizer-reference,
 * greedy.jsonl) unless they are the vocabulary's own entries.
 */
class TokenizerTest {

    @Test
    void kindsFollowTheModelFile() {
        assertInstanceOf(BpeTokenizer.class, tokenizer(LLAMA3));
        assertInstanceOf(SentencePieceTokenizer.class, tokenizer(LLAMA2));
        assertInstanceOf(SentencePieceTokenizer.class, tokenizer(STORIES));
        assertEquals(128256, tokenizer(LLAMA3).vocabularySize());
        assertEquals(32000, tokenizer(LLAMA2).vocabularySize());
        assertEquals(512, tokenizer(STORIES).vocabularySize());
        assertEquals(280147, ((BpeTokenizer) tokenizer(LLAMA3)).mergeCount());
    }

    @Test
    void llama3SpecialTokens() {
        Tokenizer t = tokenizer(LLAMA3);
        assertEquals(128000, t.bos());
        assertEquals(128001, t.eos());
        assertTrue(t.addBos());
        assertFalse(t.addEos());
        // <|end_of_text|>, <|eot_id|> (this is Llama 3.0's vocabulary: 128008 is a reserved token, not <|eom_id|>)
        assertArrayEquals(new int[] {128001, 128009}, t.endOfGenerationTokens());
        assertEquals("<|reserved_special_token_4|>", t.tokenText(128008));
        assertTrue(t.isEndOfGeneration(128009));
        assertFalse(t.isEndOfGeneration(128006));
        assertTrue(t.isControl(128006));
        assertFalse(t.isControl(9906));
        assertEquals("<|start_header_id|>", t.tokenText(128006));
        assertEquals(128006, t.tokenId("<|start_header_id|>"));
        assertEquals(-1, t.tokenId("no such token"));
        assertEquals("ĠHello", t.tokenText(22691));
        assertEquals(" Hello", new String(t.tokenBytes(22691), StandardCharsets.UTF_8));
        assertEquals("<|eot_id|>", new String(t.tokenBytes(128009), StandardCharsets.UTF_8));
    }

    @Test
    void llama2SpecialTokens() {
        Tokenizer t = tokenizer(LLAMA2);
        assertEquals(1, t.bos());
        assertEquals(2, t.eos());
        assertTrue(t.addBos());
        assertArrayEquals(new int[] {2}, t.endOfGenerationTokens());
        assertTrue(t.isControl(1));
        assertEquals("▁Hello", t.tokenText(15043));
        assertEquals(" Hello", new String(t.tokenBytes(15043), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {0x0A}, t.tokenBytes(13));  // <0x0A>
    }

    /** A Llama 3 chat prompt: the header and end-of-turn texts become their tokens only with parseSpecial. */
    @Test
    void llama3ChatPrompt() {
        Tokenizer t = tokenizer(LLAMA3);
        String prompt = "<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
        // llama-tokenizer-reference tiny-llama3-Q8_0.gguf tokenize (this text) ADD_SPECIAL PARSE_SPECIAL
        assertArrayEquals(new int[] {128006, 882, 128007, 271, 13347, 0, 128009, 128006, 78191, 128007, 271},
                t.encode(prompt, false, true));
        assertArrayEquals(new int[] {128000, 128006, 882, 128007, 271, 13347, 0, 128009, 128006, 78191, 128007, 271},
                t.encode(prompt, true, true));
        assertArrayEquals(new int[] {27, 91, 2527, 8932, 851, 91, 29, 882, 27, 91, 408, 8932, 851, 91, 1363, 13347,
            88032, 91, 68, 354, 851, 91, 1822, 91, 2527, 8932, 851, 91, 29, 78191, 27, 91, 408, 8932, 851, 91, 1363},
                t.encode(prompt, false, false));
        assertEquals(prompt, t.decode(t.encode(prompt, false, true), true));
        assertEquals("user\n\nHi!assistant\n\n", t.decode(t.encode(prompt, false, true), false));
    }

    /** After a special token SentencePiece starts the next text with a space again. */
    @Test
    void llama2ChatPrompt() {
        Tokenizer t = tokenizer("llama-2-tiny-random.gguf");
        String prompt = "[INST] Hi! [/INST] Hello.</s><s>[INST] Bye [/INST]";
        assertArrayEquals(new int[] {1, 518, 25580, 29962, 6324, 29991, 518, 29914, 25580, 29962, 15043, 29889, 2, 1,
            518, 25580, 29962, 2648, 29872, 518, 29914, 25580, 29962}, t.encode(prompt, true, true));
    }

    /** The prompts of llama.cpp's greedy reference runs, BOS included. */
    @Test
    void promptsWithBosAsLlamaCpp() {
        String greedy = new String(TestData.readAll(TestData.reference("greedy.jsonl")), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"model\": \"([^\"]+)\", \"prompt\": \"([^\"]+)\", \"prompt_ids\": \\[([0-9, ]+)]")
                .matcher(greedy);
        int checked = 0;
        while (m.find()) {
            String model = m.group(1);
            String[] ids = m.group(3).split(", ");
            int[] expected = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                expected[i] = Integer.parseInt(ids[i]);
            }
            String file = model.equals(STORIES) || model.equals("llama-2-tiny-random.gguf") ? model : LLAMA3;
            assertArrayEquals(expected, tokenizer(file).encode(m.group(2), true, false), model);
            checked++;
        }
        assertTrue(checked >= 3, checked + " prompts");
    }

    @Test
    void bosIsAddedOnlyWhenAsked() {
        Tokenizer t = tokenizer(STORIES);
        assertArrayEquals(new int[] {1}, t.encode("", true, false));
        assertArrayEquals(new int[0], t.encode("", false, false));
        int[] plain = t.encode("Once upon a time", false, false);
        int[] withBos = t.encode("Once upon a time", true, false);
        assertEquals(plain.length + 1, withBos.length);
        assertEquals(1, withBos[0]);
    }

    /** The space SentencePiece puts in front is removed by detokenize, kept by decode (as llama.cpp prints it). */
    @Test
    void sentencePieceLeadingSpace() {
        Tokenizer t = tokenizer(LLAMA2);
        int[] tokens = t.encode("Hello world", false, false);
        assertArrayEquals(new int[] {15043, 3186}, tokens);  // ggml-vocab-llama-spm.gguf.out
        assertEquals(" Hello world", t.decode(tokens, false));
        assertEquals("Hello world", t.detokenize(tokens, false));
    }

    @Test
    void piecesForInspection() {
        Tokenizer llama3 = tokenizer(LLAMA3);
        assertEquals("\\n\\n", llama3.piece(271));
        assertEquals(" Hello", llama3.piece(22691));
        assertEquals("<|eot_id|>", llama3.piece(128009));
        assertEquals("\\xF0\\x9F", llama3.piece(9468));  // the first two bytes of an emoji
        Tokenizer llama2 = tokenizer(LLAMA2);
        assertEquals("\\t", llama2.piece(12));   // <0x09>
        assertEquals("\\xE2", llama2.piece(229)); // <0xE2>
        assertEquals("\\u0000", llama2.piece(3)); // <0x00>
    }

    @Test
    void badTokenIdsAreRejected() {
        Tokenizer t = tokenizer(LLAMA3);
        TealamaException e = assertThrows(TealamaException.class, () -> t.decode(new int[] {1, 128256}, false));
        assertTrue(e.getMessage().contains("128256"), e.getMessage());
        assertThrows(TealamaException.class, () -> t.tokenBytes(-1));
        assertThrows(TealamaException.class, () -> t.isEndOfGeneration(200000));
        assertThrows(TealamaException.class, () -> t.streamingDecoder(false).accept(-5));
    }

    /** Unpaired surrogates in Java strings are encoded as U+FFFD. */
    @Test
    void unpairedSurrogatesAreReplacementCharacters() {
        Tokenizer t = tokenizer(LLAMA3);
        assertArrayEquals(t.encode("a\uFFFDb", false, false), t.encode("a\uD800b", false, false));
        assertArrayEquals(t.encode("\uFFFD", false, false), t.encode("\uDC00", false, false));
    }

    /** A long text in one word and a long mixed text: merging is O(n log n), not quadratic. */
    @Test
    void longTexts() {
        Tokenizer t = tokenizer(LLAMA3);
        String word = "a".repeat(200_000);
        assertEquals(word, t.decode(t.encode(word, false, false), false));
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            mixed.append("Hello, world ").append(i).append("! 🦙 語\n");
        }
        String text = mixed.toString();
        assertEquals(text, t.decode(t.encode(text, false, true), false));
        Tokenizer spm = tokenizer(LLAMA2);
        String short1 = text.substring(0, 20_000);
        assertEquals(short1, spm.detokenize(spm.encode(short1, false, false), false));
    }
}

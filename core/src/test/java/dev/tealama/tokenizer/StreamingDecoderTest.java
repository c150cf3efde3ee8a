package dev.tealama.tokenizer;

import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA2;
import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA3;
import static dev.tealama.tokenizer.TokenizerFixtures.STORIES;
import static dev.tealama.tokenizer.TokenizerFixtures.tokenizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StreamingDecoderTest {

    /** 🦙 is 4 UTF-8 bytes; Llama 3 splits it over three tokens (llama.cpp's test vector " this is 🦙.cpp"). */
    @Test
    void llama3EmojiSplitOverTokens() {
        Tokenizer t = tokenizer(LLAMA3);
        int[] tokens = {420, 374, 11410, 99, 247, 13, 11055};
        assertArrayEquals(tokens, t.encode(" this is 🦙.cpp", false, false));
        StreamingDecoder decoder = t.streamingDecoder(false);
        assertEquals(" this", decoder.accept(420));
        assertEquals(" is", decoder.accept(374));
        assertEquals(" ", decoder.accept(11410));  // " \xF0\x9F": the space only
        assertTrue(decoder.hasPendingBytes());
        assertEquals("", decoder.accept(99));
        assertEquals("🦙", decoder.accept(247));
        assertFalse(decoder.hasPendingBytes());
        assertEquals(".", decoder.accept(13));
        assertEquals("cpp", decoder.accept(11055));
        assertEquals("", decoder.finish());
    }

    /** Characters outside the SentencePiece vocabulary come as byte tokens, one byte each. */
    @Test
    void byteFallbackTokens() {
        Tokenizer t = tokenizer(STORIES);
        int[] tokens = t.encode("🦙 語", false, false);
        // llama-tokenizer-reference stories260K.gguf tokenize: ▁ <0xF0><0x9F><0xA6><0x99> ▁ <0xE8><0xAA><0x9E>
        assertArrayEquals(new int[] {410, 243, 162, 169, 156, 410, 235, 173, 161}, tokens);
        List<String> outputs = decodeOneByOne(t, tokens);
        assertEquals(List.of(" ", "", "", "", "🦙", " ", "", "", "語"), outputs);
        assertEquals(" 🦙 語", String.join("", outputs));
    }

    @Test
    void cjkSplitOverTokens() {
        Tokenizer t = tokenizer(LLAMA3);
        String text = "我想在apple工作1314151天～";
        int[] tokens = t.encode(text, false, false);
        List<String> outputs = decodeOneByOne(t, tokens);
        assertEquals(text, String.join("", outputs));
        assertNoBrokenCharacters(outputs);
    }

    /** Bytes that can no longer form a character are replaced at once; a cut-off character at the end by finish. */
    @Test
    void invalidSequencesBecomeReplacementCharacters() {
        Tokenizer t = tokenizer(LLAMA2);
        int f0 = 0xF0 + 3;  // <0xF0>: byte token ids are 3 + byte in this vocabulary
        int x41 = 0x41 + 3; // <0x41> 'A'
        int x80 = 0x80 + 3;
        StreamingDecoder decoder = t.streamingDecoder(false);
        assertEquals("", decoder.accept(f0));
        assertEquals("\uFFFDA", decoder.accept(x41));  // F0 41: the F0 can never complete
        assertEquals("\uFFFD", decoder.accept(x80));   // a stray continuation byte
        assertEquals("", decoder.accept(f0));
        assertEquals("", decoder.accept(0x9F + 3));
        assertEquals("\uFFFD", decoder.finish());       // F0 9F cut off: one replacement for the maximal subpart
        assertEquals("A", decoder.accept(x41));          // finish started afresh
        assertEquals(t.decode(new int[] {f0, x41, x80, f0, 0x9F + 3}, false), "\uFFFDA\uFFFD\uFFFD");
    }

    @Test
    void specialTokensRenderOnlyWhenAsked() {
        Tokenizer t = tokenizer(LLAMA3);
        assertEquals("", t.streamingDecoder(false).accept(128009));
        assertEquals("<|eot_id|>", t.streamingDecoder(true).accept(128009));
    }

    /** Any token sequence: the pieces never split a character and add up to decode(). */
    @Property(tries = 300)
    void streamingEqualsDecode(@ForAll("llama3Tokens") List<Integer> tokens) {
        checkStreaming(tokenizer(LLAMA3), tokens);
    }

    @Property(tries = 300)
    void streamingEqualsDecodeWithByteTokens(@ForAll("llama2Tokens") List<Integer> tokens) {
        checkStreaming(tokenizer(LLAMA2), tokens);
    }

    private static void checkStreaming(Tokenizer t, List<Integer> tokens) {
        int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
        for (boolean renderSpecial : new boolean[] {false, true}) {
            StreamingDecoder decoder = t.streamingDecoder(renderSpecial);
            List<String> outputs = new ArrayList<>();
            for (int id : ids) {
                outputs.add(decoder.accept(id));
            }
            assertNoBrokenCharacters(outputs);
            outputs.add(decoder.finish());
            assertEquals(t.decode(ids, renderSpecial), String.join("", outputs));
        }
    }

    @Provide
    Arbitrary<List<Integer>> llama3Tokens() {
        // bias towards tokens that are single bytes of multi-byte characters (ids 0..255 hold the 256 byte values)
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 128255))
                .list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Integer>> llama2Tokens() {
        // byte tokens are 3..258
        return Arbitraries.oneOf(Arbitraries.integers().between(3, 258), Arbitraries.integers().between(0, 31999))
                .list().ofMaxSize(30);
    }

    private static List<String> decodeOneByOne(Tokenizer t, int[] tokens) {
        StreamingDecoder decoder = t.streamingDecoder(false);
        List<String> outputs = new ArrayList<>();
        for (int token : tokens) {
            outputs.add(decoder.accept(token));
        }
        String rest = decoder.finish();
        assertEquals("", rest);
        return outputs;
    }

    /** No output ends in a high surrogate or starts with a low one: characters are never split between outputs. */
    private static void assertNoBrokenCharacters(List<String> outputs) {
        for (String s : outputs) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    assertTrue(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)), s);
                    i++;
                } else {
                    assertFalse(Character.isLowSurrogate(c), s);
                }
            }
        }
    }
}

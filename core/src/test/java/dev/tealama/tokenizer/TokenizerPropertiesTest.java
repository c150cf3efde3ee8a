package dev.tealama.tokenizer;

import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA2;
import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA3;
import static dev.tealama.tokenizer.TokenizerFixtures.tokenizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random text: tokenizing never fails, and byte-level BPE gives the text back. */
class TokenizerPropertiesTest {

    @Property(tries = 500)
    void llama3RoundTrips(@ForAll("texts") String text) {
        Tokenizer t = tokenizer(LLAMA3);
        int[] tokens = t.encode(text, false, false);
        assertEquals(text, t.decode(tokens, false));
        int[] withSpecial = t.encode(text, true, true);
        assertEquals(t.bos(), withSpecial[0]);
        assertEquals(text, t.decode(java.util.Arrays.copyOfRange(withSpecial, 1, withSpecial.length), true));
        for (int token : tokens) {
            assertTrue(token >= 0 && token < t.vocabularySize());
        }
    }

    /** SentencePiece cannot always give the text back ("▁" reads as a space), but it never fails. */
    @Property(tries = 500)
    void llama2EncodesAnything(@ForAll("texts") String text) {
        Tokenizer t = tokenizer(LLAMA2);
        int[] tokens = t.encode(text, true, true);
        assertEquals(t.bos(), tokens[0]);
        if (!text.contains("\u2581") && !text.contains("<s>") && !text.contains("</s>") && !text.contains("<unk>")) {
            assertEquals(text, t.detokenize(t.encode(text, false, false), false));
        }
    }

    /** Pre-tokenization covers the text with non-empty words, and encoding twice gives the same tokens. */
    @Property(tries = 300)
    void preTokenizerWordsCoverTheText(@ForAll("texts") String text) {
        int[] cps = text.codePoints().toArray();
        IntList ends = new IntList();
        Llama3PreTokenizer.split(cps, cps.length, ends);
        int previous = 0;
        for (int i = 0; i < ends.size(); i++) {
            assertTrue(ends.get(i) > previous);
            previous = ends.get(i);
        }
        assertEquals(cps.length, previous);
        assertArrayEquals(tokenizer(LLAMA3).encode(text, false, false), tokenizer(LLAMA3).encode(text, false, false));
    }

    /**
     * Strings of valid code points, mixing the character classes the pre-tokenizer distinguishes: letters, digits,
     * spaces and line breaks, punctuation, apostrophes, other scripts, emoji, and any code point at all.
     */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Integer> anyCodePoint = Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF);
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between('a', 'z')),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between('A', 'Z')),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between('0', '9')),
                net.jqwik.api.Tuple.of(3, Arbitraries.of((int) ' ', (int) '\n', (int) '\r', (int) '\t', 0xA0, 0x3000)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of((int) '\'', (int) '.', (int) ',', (int) '!', (int) '<', (int) '|')),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x400, 0x4FF)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x4E00, 0x9FFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x1F300, 0x1F6FF)),
                net.jqwik.api.Tuple.of(2, anyCodePoint));
        Arbitrary<String> special = Arbitraries.of("<|eot_id|>", "<|begin_of_text|>", "<s>", "</s>", "'s", "'LL", "  ");
        return Arbitraries.oneOf(codePoint.map(cp -> new String(Character.toChars(cp))), special)
                .list().ofMaxSize(40)
                .map(parts -> String.join("", (List<String>) parts));
    }
}

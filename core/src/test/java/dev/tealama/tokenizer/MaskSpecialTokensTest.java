package dev.tealama.tokenizer;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MaskSpecialTokensTest {
    private static final Tokenizer LLAMA3 = Tokenizer.fromGguf(
            GgufFile.read(new ArrayByteSource(TestData.readModel("tiny-llama3-Q4_0.gguf"))).metadata());

    @Test
    void textWithoutSpecialTokensIsReturnedAsIs() {
        String text = "Grüße <|eot? not a token";
        assertSame(text, LLAMA3.maskSpecialTokens(text));
    }

    @Test
    void specialTokensBecomeOneMaskPerByteAndTheRestStays() {
        String text = "ü<|eot_id|>x<|start_header_id|>";
        String masked = LLAMA3.maskSpecialTokens(text);
        assertEquals("ü" + "\u0001".repeat(10) + "x" + "\u0001".repeat(19), masked);
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, masked.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void encodingWithSpecialsFromAMaskedCopyReadsOnlyTheUnmaskedOnes() {
        String text = "<|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>there<|eot_id|>";
        String specialsFrom = "<|start_header_id|>user<|end_header_id|>\n\nhi" + LLAMA3.maskSpecialTokens("<|eot_id|>")
                + "there<|eot_id|>";
        int[] expected = concat(LLAMA3.encode("<|start_header_id|>user<|end_header_id|>", true, true),
                LLAMA3.encode("\n\nhi<|eot_id|>there", false, false), LLAMA3.encode("<|eot_id|>", false, true));
        assertArrayEquals(expected, LLAMA3.encode(text, true, specialsFrom));
        assertArrayEquals(LLAMA3.encode(text, true, true), LLAMA3.encode(text, true, text), "nothing masked");
        assertThrows(IllegalArgumentException.class, () -> LLAMA3.encode(text, true, text + "x"));
    }

    private static int[] concat(int[]... parts) {
        return java.util.Arrays.stream(parts).flatMapToInt(java.util.stream.IntStream::of).toArray();
    }
}

package dev.tealama.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Our UTF-8 conversions against the JDK's, which follow the Unicode Standard's substitution of maximal subparts except
 * for encoded surrogates ({@code ED A0..BF}), which the JDK replaces as one unit; there Python's decoder (and WHATWG's)
 * is the reference.
 */
class Utf8Test {

    @Property(tries = 2000)
    void decodesLikeTheJdk(@ForAll @Size(max = 24) byte[] bytes) {
        if (!hasEncodedSurrogate(bytes)) {
            assertEquals(new String(bytes, StandardCharsets.UTF_8), Utf8.decode(bytes));
        }
    }

    /** {@code bytes.decode("utf-8", "replace")} of Python 3.12 gives these. */
    @Test
    void encodedSurrogatesAsPython() {
        assertEquals("\uFFFD\uFFFD\uFFFD", Utf8.decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertEquals("\uFFFD\uFFFD", Utf8.decode(new byte[] {(byte) 0xED, (byte) 0xA0}));
        assertEquals("\uFFFD\uFFFD\uFFFDA", Utf8.decode(new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF, 0x41}));
        assertEquals("\uFFFD\uFFFD\uFFFD", Utf8.decode(new byte[] {(byte) 0x80, (byte) 0xED, (byte) 0xA0}));
        assertEquals("\uFFFD", Utf8.decode(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0xA6}));
        assertEquals("\uFFFDA", Utf8.decode(new byte[] {(byte) 0xF0, (byte) 0x9F, 0x41}));
        assertEquals("\uFFFD\uFFFD\uFFFD", Utf8.decode(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}));
        assertEquals("\uFFFD\uFFFD", Utf8.decode(new byte[] {(byte) 0xC0, (byte) 0xAF}));
    }

    private static boolean hasEncodedSurrogate(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == (byte) 0xED && (bytes[i + 1] & 0xFF) >= 0xA0 && (bytes[i + 1] & 0xFF) <= 0xBF) {
                return true;
            }
        }
        return false;
    }

    /** Biased towards bytes that form (or almost form) multi-byte sequences. */
    @Property(tries = 2000)
    void decodesNearlyValidSequencesLikeTheJdk(@ForAll @Size(max = 12) int[] picks) {
        byte[] interesting = {(byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF,
            (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0,
            (byte) 0xF4, (byte) 0xF5, (byte) 0xFF, 0x41, 0x00};
        byte[] bytes = new byte[picks.length];
        for (int i = 0; i < picks.length; i++) {
            bytes[i] = interesting[Math.floorMod(picks[i], interesting.length)];
        }
        if (!hasEncodedSurrogate(bytes)) {
            assertEquals(new String(bytes, StandardCharsets.UTF_8), Utf8.decode(bytes));
        }
    }

    @Property(tries = 1000)
    void encodesLikeTheJdk(@ForAll String text) {
        String valid = text.codePoints()
                .map(cp -> cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        assertArrayEquals(valid.getBytes(StandardCharsets.UTF_8), Utf8.encode(text));
    }

    @Test
    void incompleteSequencesWaitForMoreInput() {
        byte[] emoji = "a🦙".getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        assertEquals(1, Utf8.decode(emoji, 0, 4, false, out));  // "a" and three of the emoji's four bytes
        assertEquals("a", out.toString());
        assertEquals(5, Utf8.decode(emoji, 0, 5, false, new StringBuilder()));
        out.setLength(0);
        assertEquals(4, Utf8.decode(emoji, 0, 4, true, out));
        assertEquals("a\uFFFD", out.toString());
    }

    /** llama.cpp's reading of code points, which the BPE pre-tokenizer uses: ill-formed bytes one U+FFFD each. */
    @Test
    void llamaCppDecoding() {
        IntList out = new IntList();
        byte[] bytes = {0x41, (byte) 0xE2, (byte) 0x96, (byte) 0x81, (byte) 0xF0, (byte) 0x9F, 0x42, (byte) 0x80};
        Utf8.decodeLikeLlamaCpp(bytes, 0, bytes.length, out);
        assertArrayEquals(new int[] {0x41, 0x2581, 0xFFFD, 0xFFFD, 0x42, 0xFFFD}, out.toArray());
    }

    @Test
    void gpt2ByteMapping() {
        assertEquals('Ġ', Gpt2ByteMapping.charOf(' '));
        assertEquals('Ċ', Gpt2ByteMapping.charOf('\n'));
        assertEquals('!', Gpt2ByteMapping.charOf('!'));
        assertEquals('ÿ', Gpt2ByteMapping.charOf(0xFF));
        assertEquals('Ń', Gpt2ByteMapping.charOf(0xAD));  // soft hyphen, the last of the 68 remapped bytes
        for (int b = 0; b < 256; b++) {
            assertEquals(b, Gpt2ByteMapping.byteOf(Gpt2ByteMapping.charOf(b)));
        }
        assertEquals(-1, Gpt2ByteMapping.byteOf(0x2581));
    }
}

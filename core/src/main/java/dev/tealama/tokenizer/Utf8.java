package dev.tealama.tokenizer;

/**
 * UTF-8 conversions that behave the same on every platform.
 *
 * <p>Model vocabularies are byte sequences, and a token may hold part of a character, so text is converted by hand
 * with fixed rules for malformed input rather than by the platform's charset code (whose replacement rules TeaVM
 * does not promise to share with the JDK):
 * <ul>
 *   <li>encoding: an unpaired surrogate becomes U+FFFD;</li>
 *   <li>decoding: each maximal subpart of an ill-formed sequence becomes one U+FFFD (the Unicode Standard's
 *       recommended practice, chapter 3, "U+FFFD Substitution of Maximal Subparts", as in Python and WHATWG; the
 *       JDK does the same except that it replaces an encoded surrogate, {@code ED A0..BF xx}, as one unit).</li>
 * </ul>
 */
final class Utf8 {
    static final int REPLACEMENT_CHARACTER = 0xFFFD;

    private Utf8() {
    }

    /** The UTF-8 bytes of {@code text}; unpaired surrogates become U+FFFD. */
    static byte[] encode(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = codePointAt(text, i);
            length += encodedLength(cp);
            i += Character.charCount(cp);
        }
        byte[] out = new byte[length];
        int o = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = codePointAt(text, i);
            o = encode(cp, out, o);
            i += Character.charCount(cp);
        }
        return out;
    }

    /**
     * The code point at {@code i}, or U+FFFD for an unpaired surrogate (which then counts as one char, like
     * {@link Character#charCount} of U+FFFD).
     */
    private static int codePointAt(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return Character.toCodePoint(c, text.charAt(i + 1));
        }
        return Character.isSurrogate(c) ? REPLACEMENT_CHARACTER : c;
    }

    /** Number of UTF-8 bytes of a code point in U+0000..U+10FFFF. */
    static int encodedLength(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** Writes the UTF-8 bytes of a code point at {@code out[o]}, returning the index after them. */
    static int encode(int cp, byte[] out, int o) {
        if (cp < 0x80) {
            out[o++] = (byte) cp;
        } else if (cp < 0x800) {
            out[o++] = (byte) (0xC0 | cp >> 6);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out[o++] = (byte) (0xE0 | cp >> 12);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        } else {
            out[o++] = (byte) (0xF0 | cp >> 18);
            out[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
            out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
            out[o++] = (byte) (0x80 | cp & 0x3F);
        }
        return o;
    }

    /** Decodes {@code bytes[offset, offset + length)}; ill-formed parts become U+FFFD. */
    static String decode(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        decode(bytes, offset, offset + length, true, out);
        return out.toString();
    }

    static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes {@code bytes[from, to)} into {@code out} and returns the index where decoding stopped. With
     * {@code endOfInput} false, a sequence that is cut off by {@code to} but could still be completed by the bytes
     * that follow is left undecoded (its start is returned); otherwise everything is decoded.
     */
    static int decode(byte[] bytes, int from, int to, boolean endOfInput, StringBuilder out) {
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int needed = sequenceLength(b0);
            if (needed == 0) {
                out.append((char) REPLACEMENT_CHARACTER);
                i++;
                continue;
            }
            // how many of the following bytes continue the sequence validly
            int valid = 1;
            while (valid < needed && i + valid < to && isValidContinuation(b0, valid, bytes[i + valid] & 0xFF)) {
                valid++;
            }
            if (valid == needed) {
                int cp = b0 & (0xFF >> (needed + 1));
                for (int k = 1; k < needed; k++) {
                    cp = cp << 6 | (bytes[i + k] & 0x3F);
                }
                out.appendCodePoint(cp);
            } else if (i + valid == to && !endOfInput) {
                return i;  // the rest may still arrive
            } else {
                out.append((char) REPLACEMENT_CHARACTER);  // the maximal subpart bytes[i, i + valid)
            }
            i += valid;
        }
        return i;
    }

    /** The length of the well-formed character starting at {@code bytes[i]} and ending before {@code to}, or 0. */
    static int completeSequenceLength(byte[] bytes, int i, int to) {
        int b0 = bytes[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        int needed = sequenceLength(b0);
        if (needed == 0 || i + needed > to) {
            return 0;
        }
        for (int k = 1; k < needed; k++) {
            if (!isValidContinuation(b0, k, bytes[i + k] & 0xFF)) {
                return 0;
            }
        }
        return needed;
    }

    /** The length of the well-formed sequence a lead byte starts, or 0 if it cannot start one. */
    private static int sequenceLength(int b0) {
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            return 2;
        }
        if (b0 >= 0xE0 && b0 <= 0xEF) {
            return 3;
        }
        if (b0 >= 0xF0 && b0 <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /**
     * Whether {@code b} may be byte number {@code position} (1-based after the lead) of a sequence led by
     * {@code b0}: the second byte's range depends on the lead (no overlong forms, no surrogates, nothing above
     * U+10FFFF), later bytes are any continuation byte.
     */
    private static boolean isValidContinuation(int b0, int position, int b) {
        if (position == 1) {
            switch (b0) {
                case 0xE0:
                    return b >= 0xA0 && b <= 0xBF;
                case 0xED:
                    return b >= 0x80 && b <= 0x9F;
                case 0xF0:
                    return b >= 0x90 && b <= 0xBF;
                case 0xF4:
                    return b >= 0x80 && b <= 0x8F;
                default:
                    return b >= 0x80 && b <= 0xBF;
            }
        }
        return b >= 0x80 && b <= 0xBF;
    }

    /**
     * Appends the code points of {@code bytes[from, to)} to {@code out}, reading them as llama.cpp's
     * {@code unicode_cpts_from_utf8} does: a byte that does not start a complete sequence (judged by its high bits
     * and the continuation bytes' high bits only) becomes U+FFFD and decoding resumes at the next byte. The
     * tokenizers only pass well-formed UTF-8, for which this is ordinary decoding; values beyond U+10FFFF, which
     * llama.cpp would fail on later, become U+FFFD.
     */
    static void decodeLikeLlamaCpp(byte[] bytes, int from, int to, IntList out) {
        int i = from;
        while (i < to) {
            int b0 = bytes[i] & 0xFF;
            int length = b0 < 0x80 ? 1 : (b0 & 0x40) == 0 ? 0 : (b0 & 0x20) == 0 ? 2 : (b0 & 0x10) == 0 ? 3
                    : (b0 & 0x08) == 0 ? 4 : 0;
            boolean complete = length > 0 && i + length <= to;
            for (int k = 1; complete && k < length; k++) {
                complete = (bytes[i + k] & 0xC0) == 0x80;
            }
            if (!complete) {
                out.add(REPLACEMENT_CHARACTER);
                i++;
                continue;
            }
            int cp = length == 1 ? b0 : b0 & (0x7F >> length);
            for (int k = 1; k < length; k++) {
                cp = cp << 6 | (bytes[i + k] & 0x3F);
            }
            out.add(cp <= 0x10FFFF ? cp : REPLACEMENT_CHARACTER);
            i += length;
        }
    }

    /**
     * The length llama.cpp gives the character starting with {@code lead} ({@code unicode_len_utf8}): read from the
     * high bits only, 1 for continuation and invalid bytes. Sentencepiece splits text into symbols this way.
     */
    static int lengthFromLeadByte(byte lead) {
        int high = (lead & 0xFF) >> 4;
        return high < 0xC ? 1 : high < 0xE ? 2 : high == 0xE ? 3 : 4;
    }
}

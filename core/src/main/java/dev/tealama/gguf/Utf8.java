package dev.tealama.gguf;

/** Strict UTF-8 validation (the JDK's decoders replace bad input silently; keys and tensor names must be exact). */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Whether {@code bytes[offset, offset + length)} is well-formed UTF-8 as Unicode defines it: shortest forms only,
     * no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
     */
    static boolean isValid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int continuations;
            // The allowed range of the second byte is narrower after some lead bytes: that is what rules out
            // overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
            int secondMin = 0x80;
            int secondMax = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                continuations = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                continuations = 2;
                if (lead == 0xE0) {
                    secondMin = 0xA0;
                } else if (lead == 0xED) {
                    secondMax = 0x9F;
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                continuations = 3;
                if (lead == 0xF0) {
                    secondMin = 0x90;
                } else if (lead == 0xF4) {
                    secondMax = 0x8F;
                }
            } else {
                return false; // a continuation byte, an overlong two-byte lead (C0, C1), or F5..FF
            }
            if (end - i <= continuations) {
                return false;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < secondMin || second > secondMax) {
                return false;
            }
            for (int k = 2; k <= continuations; k++) {
                int b = bytes[i + k] & 0xFF;
                if (b < 0x80 || b > 0xBF) {
                    return false;
                }
            }
            i += continuations + 1;
        }
        return true;
    }
}

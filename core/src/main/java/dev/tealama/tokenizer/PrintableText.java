package dev.tealama.tokenizer;

/** Token bytes written so that every byte is visible: for inspection and debugging output. */
final class PrintableText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PrintableText() {
    }

    /**
     * The bytes as text: complete UTF-8 characters as themselves, except {@code \n \r \t \\} and other control
     * characters (C0, DEL, C1), which are escaped; bytes that are not part of a complete character as {@code \xNN}.
     */
    static String of(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        StringBuilder decoded = new StringBuilder(4);
        int i = 0;
        while (i < bytes.length) {
            int length = Utf8.completeSequenceLength(bytes, i, bytes.length);
            if (length == 0) {
                appendByte(out, bytes[i]);
                i++;
                continue;
            }
            decoded.setLength(0);
            int end = i + length;
            Utf8.decode(bytes, i, end, true, decoded);
            int cp = decoded.codePointAt(0);
            switch (cp) {
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                default:
                    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
                        out.append("\\u").append(HEX[cp >> 12 & 15]).append(HEX[cp >> 8 & 15])
                                .append(HEX[cp >> 4 & 15]).append(HEX[cp & 15]);
                    } else {
                        out.appendCodePoint(cp);
                    }
            }
            i = end;
        }
        return out.toString();
    }

    private static void appendByte(StringBuilder out, byte b) {
        out.append("\\x").append(HEX[(b >> 4) & 15]).append(HEX[b & 15]);
    }
}

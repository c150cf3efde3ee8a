package dev.tealama.ichost;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The section layout of a Wasm binary and the LEB128 helpers that reading and rewriting it needs. Only the framing
 * is read here; Chicory's parser decodes (and validates) the contents.
 */
final class WasmBinary {

    static final int CUSTOM = 0;
    static final int TYPE = 1;
    static final int IMPORT = 2;
    static final int FUNCTION = 3;
    static final int TABLE = 4;
    static final int MEMORY = 5;
    static final int GLOBAL = 6;
    static final int EXPORT = 7;
    static final int START = 8;
    static final int ELEMENT = 9;
    static final int CODE = 10;
    static final int DATA = 11;
    static final int DATA_COUNT = 12;
    static final int TAG = 13;

    /** One section: its id and where its contents lie in the binary. */
    record Section(int id, int headerStart, int contentStart, int contentEnd) {
        int contentLength() {
            return contentEnd - contentStart;
        }
    }

    private WasmBinary() {
    }

    /** The sections of a binary that Chicory has already parsed (so the framing is known to be sound). */
    static List<Section> sections(byte[] wasm) {
        List<Section> sections = new ArrayList<>();
        int[] position = {8};
        while (position[0] < wasm.length) {
            int headerStart = position[0];
            int id = wasm[position[0]++] & 0xFF;
            int length = (int) readU32(wasm, position);
            sections.add(new Section(id, headerStart, position[0], position[0] + length));
            position[0] += length;
        }
        return sections;
    }

    /** The name of a custom section. */
    static String customSectionName(byte[] wasm, Section section) {
        int[] position = {section.contentStart()};
        int length = (int) readU32(wasm, position);
        return new String(wasm, position[0], length, StandardCharsets.UTF_8);
    }

    /** Reads an unsigned LEB128 number at {@code position[0]} and moves past it. */
    static long readU32(byte[] bytes, int[] position) {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = bytes[position[0]++] & 0xFF;
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
            if (shift > 35) {
                throw new IllegalArgumentException("LEB128 number too long at byte " + position[0]);
            }
        }
    }

    static void writeU32(ByteArrayOutputStream out, long value) {
        long v = value;
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    static void writeS64(ByteArrayOutputStream out, long value) {
        long v = value;
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            out.write(done ? b : b | 0x80);
            if (done) {
                return;
            }
        }
    }
}

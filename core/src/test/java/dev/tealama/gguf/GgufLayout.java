package dev.tealama.gguf;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the structural fields of a valid GGUF file are: counts, lengths, type ids, dimensions, offsets. The fuzz
 * tests overwrite these with hostile values. (A plain walk over a file known to be valid: no checks.)
 */
final class GgufLayout {

    enum Kind { VERSION, TENSOR_COUNT, KV_COUNT, STRING_LENGTH, VALUE_TYPE, ARRAY_TYPE, ARRAY_LENGTH, ALIGNMENT_VALUE,
        N_DIMS, DIM, TENSOR_TYPE, TENSOR_OFFSET }

    /** A field at byte {@code offset}, {@code width} bytes wide. */
    record Field(Kind kind, int offset, int width) {
    }

    private final byte[] b;
    private int pos;
    private final List<Field> fields = new ArrayList<>();

    private GgufLayout(byte[] bytes) {
        this.b = bytes;
    }

    static List<Field> fieldsOf(byte[] validFile) {
        GgufLayout walk = new GgufLayout(validFile);
        walk.walk();
        return walk.fields;
    }

    private void walk() {
        pos = 4;
        field(Kind.VERSION, 4);
        long tensors = field(Kind.TENSOR_COUNT, 8);
        long kvs = field(Kind.KV_COUNT, 8);
        for (long i = 0; i < kvs; i++) {
            String key = string();
            int type = (int) field(Kind.VALUE_TYPE, 4);
            if (key.equals("general.alignment") && type == ValueType.UINT32.id()) {
                field(Kind.ALIGNMENT_VALUE, 4);
            } else {
                value(type);
            }
        }
        for (long i = 0; i < tensors; i++) {
            string();
            int nDims = (int) field(Kind.N_DIMS, 4);
            for (int d = 0; d < nDims; d++) {
                field(Kind.DIM, 8);
            }
            field(Kind.TENSOR_TYPE, 4);
            field(Kind.TENSOR_OFFSET, 8);
        }
    }

    private void value(int type) {
        ValueType t = ValueType.ofId(type);
        if (t == ValueType.STRING) {
            string();
        } else if (t == ValueType.ARRAY) {
            int elementType = (int) field(Kind.ARRAY_TYPE, 4);
            long n = field(Kind.ARRAY_LENGTH, 8);
            for (long i = 0; i < n; i++) {
                value(elementType);
            }
        } else {
            pos += t.fixedSize();
        }
    }

    private String string() {
        int length = (int) field(Kind.STRING_LENGTH, 8);
        String s = new String(b, pos, length, java.nio.charset.StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    private long field(Kind kind, int width) {
        fields.add(new Field(kind, pos, width));
        long v = 0;
        for (int i = 0; i < width; i++) {
            v |= (b[pos + i] & 0xFFL) << (8 * i);
        }
        pos += width;
        return v;
    }
}

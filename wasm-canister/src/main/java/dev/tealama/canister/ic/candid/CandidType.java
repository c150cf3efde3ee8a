package dev.tealama.canister.ic.candid;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Candid types the canister's interface uses, as the decoder expects them and the encoder writes them.
 *
 * <p>Java values: integers of every width are {@code Long} (nat64 as its two's-complement bits), float32 is
 * {@code Float}, float64 {@code Double}, text {@code String}, bool {@code Boolean}, {@code vec nat8} (blob) is
 * {@code byte[]}, other vectors are {@code List}, an absent {@code opt} is {@code null}, and a record is a
 * {@link RecordValue}.
 */
public sealed interface CandidType {

    /** The primitive types, with their type codes from the Candid specification. */
    enum Primitive implements CandidType {
        NULL(-1), BOOL(-2), NAT(-3), INT(-4), NAT8(-5), NAT16(-6), NAT32(-7), NAT64(-8), INT8(-9), INT16(-10),
        INT32(-11), INT64(-12), FLOAT32(-13), FLOAT64(-14), TEXT(-15), RESERVED(-16), EMPTY(-17), PRINCIPAL(-24);

        final int code;

        Primitive(int code) {
            this.code = code;
        }

        /** The primitive with this type code, or null. */
        static Primitive ofCode(long code) {
            for (Primitive p : values()) {
                if (p.code == code) {
                    return p;
                }
            }
            return null;
        }

        /** Size in bytes of a value of a fixed-width type, or -1. */
        int fixedSize() {
            switch (this) {
                case NULL: case RESERVED: return 0;
                case BOOL: case NAT8: case INT8: return 1;
                case NAT16: case INT16: return 2;
                case NAT32: case INT32: case FLOAT32: return 4;
                case NAT64: case INT64: case FLOAT64: return 8;
                default: return -1;
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase();
        }
    }

    record Opt(CandidType inner) implements CandidType {
        @Override
        public String toString() {
            return "opt " + inner;
        }
    }

    record Vec(CandidType element) implements CandidType {
        @Override
        public String toString() {
            return element == Primitive.NAT8 ? "blob" : "vec " + element;
        }
    }

    /** A record; its fields are kept sorted by id, the order Candid writes them in. */
    record Record(List<Field> fields) implements CandidType {
        public Record {
            Field[] sorted = fields.toArray(new Field[0]);
            Arrays.sort(sorted, (a, b) -> Long.compare(a.id(), b.id()));
            for (int i = 1; i < sorted.length; i++) {
                if (sorted[i].id() == sorted[i - 1].id()) {
                    throw new IllegalArgumentException("fields " + sorted[i - 1].name() + " and " + sorted[i].name()
                            + " have the same Candid id");
                }
            }
            fields = List.of(sorted);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("record {");
            for (Field f : fields) {
                b.append(' ').append(f.name()).append(" : ").append(f.type()).append(';');
            }
            return b.append(" }").toString();
        }
    }

    /** A named field; its id is the Candid hash of the name. */
    record Field(String name, CandidType type) {
        public long id() {
            return idOf(name);
        }
    }

    static Opt opt(CandidType inner) {
        return new Opt(inner);
    }

    static Vec vec(CandidType element) {
        return new Vec(element);
    }

    /** A record type from alternating names and types: {@code record("size", NAT64, "name", TEXT)}. */
    static Record record(Object... namesAndTypes) {
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            fields.add(new Field((String) namesAndTypes[i], (CandidType) namesAndTypes[i + 1]));
        }
        return new Record(fields);
    }

    /** The Candid field id of a name: {@code hash(name) = Σ utf8(name)[i] · 223^(k-1-i) mod 2^32}. */
    static long idOf(String name) {
        long h = 0;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h * 223 + (b & 0xFF)) & 0xFFFFFFFFL;
        }
        return h;
    }
}

package dev.tealama.icreplica.cbor;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A CBOR data item (RFC 8949), as far as the IC's HTTP interface uses CBOR: unsigned and negative integers, byte
 * and text strings, arrays, maps, tags and the simple values. Floats are read (so that a request that contains one
 * is refused by name, not as garbage) but the IC never uses them.
 */
public sealed interface CborValue {

    /** What kind of item this is, for error messages ("a byte string", "a map", ...). */
    String describe();

    /** Major type 0: an unsigned integer (up to 2^64 - 1, or larger as a tag 2 bignum). */
    record Unsigned(BigInteger value) implements CborValue {
        public Unsigned {
            if (value.signum() < 0) {
                throw new IllegalArgumentException("An unsigned integer cannot be negative: " + value);
            }
        }

        public static Unsigned of(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("An unsigned integer cannot be negative: " + value);
            }
            return new Unsigned(BigInteger.valueOf(value));
        }

        @Override
        public String describe() {
            return "the unsigned integer " + value;
        }
    }

    /** Major type 1: a negative integer. */
    record Negative(BigInteger value) implements CborValue {
        public Negative {
            if (value.signum() >= 0) {
                throw new IllegalArgumentException("A negative integer must be negative: " + value);
            }
        }

        @Override
        public String describe() {
            return "the negative integer " + value;
        }
    }

    /** Major type 2: a byte string. */
    final class Bytes implements CborValue {
        private final byte[] bytes;

        public Bytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        /** A copy of the bytes. */
        public byte[] bytes() {
            return bytes.clone();
        }

        /** The number of bytes. */
        public int length() {
            return bytes.length;
        }

        @Override
        public String describe() {
            return "a byte string of " + bytes.length + " bytes";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes && Arrays.equals(bytes, ((Bytes) other).bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "h'" + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64))
                    + (bytes.length > 64 ? "...'" : "'");
        }
    }

    /** Major type 3: a text string. */
    record Text(String value) implements CborValue {
        public Text {
            Objects.requireNonNull(value);
        }

        /** The UTF-8 bytes of the text. */
        public byte[] utf8() {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String describe() {
            return "the text \"" + value + "\"";
        }
    }

    /** Major type 4: an array. */
    record Array(List<CborValue> items) implements CborValue {
        public Array {
            items = List.copyOf(items);
        }

        public static Array of(CborValue... items) {
            return new Array(List.of(items));
        }

        @Override
        public String describe() {
            return "an array of " + items.size() + " items";
        }
    }

    /**
     * Major type 5: a map. Keys keep the order they were read or put in (the writer writes them in that order; the
     * interface specification does not ask for canonical order). Duplicate keys are refused by the reader.
     */
    record MapValue(Map<CborValue, CborValue> entries) implements CborValue {
        public MapValue {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** A builder that keeps the order in which fields are added. */
        public static Builder builder() {
            return new Builder();
        }

        /** The value of a text key, or null. */
        public CborValue get(String key) {
            return entries.get(new Text(key));
        }

        @Override
        public String describe() {
            return "a map of " + entries.size() + " entries";
        }

        /** Builds a map with text keys. */
        public static final class Builder {
            private final Map<CborValue, CborValue> entries = new LinkedHashMap<>();

            private Builder() {
            }

            public Builder put(String key, CborValue value) {
                entries.put(new Text(key), Objects.requireNonNull(value));
                return this;
            }

            public Builder put(String key, String text) {
                return put(key, new Text(text));
            }

            public Builder put(String key, byte[] bytes) {
                return put(key, new Bytes(bytes));
            }

            public Builder put(String key, long unsigned) {
                return put(key, Unsigned.of(unsigned));
            }

            public MapValue build() {
                return new MapValue(entries);
            }
        }
    }

    /** Major type 6: a tagged item, such as the self-describing tag 55799 that the IC puts in front of its bodies. */
    record Tagged(BigInteger tag, CborValue value) implements CborValue {
        /** The tag that marks a CBOR document as such ({@code d9d9f7}). */
        public static final BigInteger SELF_DESCRIBE = BigInteger.valueOf(55799);

        public static Tagged selfDescribed(CborValue value) {
            return new Tagged(SELF_DESCRIBE, value);
        }

        @Override
        public String describe() {
            return "an item tagged " + tag;
        }
    }

    /** Major type 7 without a float: false (20), true (21), null (22), undefined (23) and other simple values. */
    record Simple(int value) implements CborValue {
        public static final Simple FALSE = new Simple(20);
        public static final Simple TRUE = new Simple(21);
        public static final Simple NULL = new Simple(22);

        @Override
        public String describe() {
            switch (value) {
                case 20:
                    return "false";
                case 21:
                    return "true";
                case 22:
                    return "null";
                case 23:
                    return "undefined";
                default:
                    return "the simple value " + value;
            }
        }
    }

    /** Major type 7 with a half, single or double precision float. */
    record FloatValue(double value) implements CborValue {
        @Override
        public String describe() {
            return "the float " + value;
        }
    }

    /** This item without any tags around it. */
    default CborValue untagged() {
        CborValue item = this;
        while (item instanceof Tagged) {
            item = ((Tagged) item).value();
        }
        return item;
    }
}

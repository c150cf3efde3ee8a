package dev.tealama.gguf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One GGUF metadata value: a scalar, a string or an array.
 *
 * <p>Arrays are stored compactly, one Java array per GGUF array ({@code int[]} for {@code i32}/{@code u32},
 * one {@code byte[]} of UTF-8 for strings...), never one object per element: a Llama 3 vocabulary is 128,256 tokens
 * and 280,147 merges. Record accessors of array kinds hand out that backing array without copying; callers must not
 * modify it ({@link GgufMetadata}'s typed getters return copies).
 *
 * <p>Integer values of every width share {@link IntegerValue}, which keeps the exact value in a {@code long};
 * only {@code u64} values above {@link Long#MAX_VALUE} do not fit and are kept as their two's-complement bits.
 */
public sealed interface MetadataValue {

    /** The GGUF type of this value ({@link ValueType#ARRAY} for every array). */
    ValueType type();

    static IntegerValue uint8(int value) {
        return new IntegerValue(ValueType.UINT8, value);
    }

    static IntegerValue int8(int value) {
        return new IntegerValue(ValueType.INT8, value);
    }

    static IntegerValue uint16(int value) {
        return new IntegerValue(ValueType.UINT16, value);
    }

    static IntegerValue int16(int value) {
        return new IntegerValue(ValueType.INT16, value);
    }

    static IntegerValue uint32(long value) {
        return new IntegerValue(ValueType.UINT32, value);
    }

    static IntegerValue int32(int value) {
        return new IntegerValue(ValueType.INT32, value);
    }

    /** A {@code u64}; {@code bits} is read as unsigned (-1 is 2^64 - 1). */
    static IntegerValue uint64(long bits) {
        return new IntegerValue(ValueType.UINT64, bits);
    }

    static IntegerValue int64(long value) {
        return new IntegerValue(ValueType.INT64, value);
    }

    static Float32Value float32(float value) {
        return new Float32Value(value);
    }

    static Float64Value float64(double value) {
        return new Float64Value(value);
    }

    static BoolValue bool(boolean value) {
        return new BoolValue(value);
    }

    static StringValue string(String value) {
        return new StringValue(value);
    }

    static StringArray stringArray(String... values) {
        return StringArray.of(values);
    }

    static Float32Array float32Array(float... values) {
        return new Float32Array(values);
    }

    static Int32Array int32Array(int... values) {
        return new Int32Array(ValueType.INT32, values);
    }

    /** A {@code u32} array; each {@code int} is read as unsigned. */
    static Int32Array uint32Array(int... values) {
        return new Int32Array(ValueType.UINT32, values);
    }

    /** An array of arrays (GGUF allows each inner array its own element type). */
    static NestedArray arrayOfArrays(ArrayValue... values) {
        return new NestedArray(values);
    }

    /**
     * An integer of any of the eight integer types. {@code value} is the exact value, in the type's range (checked);
     * for {@link ValueType#UINT64} it is the 64 bits, read as unsigned.
     */
    record IntegerValue(ValueType type, long value) implements MetadataValue {
        public IntegerValue {
            if (type == null || !type.isInteger()) {
                throw new IllegalArgumentException("not an integer type: " + type);
            }
            if (!fits(type, value)) {
                throw new IllegalArgumentException(value + " is out of range for " + type.shortName());
            }
        }

        /** Whether the value is a {@code u64} at or above 2^63, which a {@code long} cannot hold as such. */
        public boolean exceedsLong() {
            return type == ValueType.UINT64 && value < 0;
        }

        /** The value in decimal (unsigned for {@code u64}). */
        @Override
        public String toString() {
            return type == ValueType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
        }

        static boolean fits(ValueType type, long value) {
            switch (type) {
                case UINT8:
                    return value >= 0 && value <= 0xFF;
                case INT8:
                    return value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE;
                case UINT16:
                    return value >= 0 && value <= 0xFFFF;
                case INT16:
                    return value >= Short.MIN_VALUE && value <= Short.MAX_VALUE;
                case UINT32:
                    return value >= 0 && value <= 0xFFFFFFFFL;
                case INT32:
                    return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
                default:
                    return true; // UINT64 (as bits) and INT64
            }
        }
    }

    record Float32Value(float value) implements MetadataValue {
        @Override
        public ValueType type() {
            return ValueType.FLOAT32;
        }

        @Override
        public String toString() {
            return Float.toString(value);
        }
    }

    record Float64Value(double value) implements MetadataValue {
        @Override
        public ValueType type() {
            return ValueType.FLOAT64;
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    record BoolValue(boolean value) implements MetadataValue {
        @Override
        public ValueType type() {
            return ValueType.BOOL;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record StringValue(String value) implements MetadataValue {
        public StringValue {
            if (value == null) {
                throw new IllegalArgumentException("null string value");
            }
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 0, 200);
        }
    }

    /**
     * A GGUF array: {@link #size()} elements of {@link #elementType()}. Element counts and the first few elements
     * are cheap to get ({@link #element(int)} boxes one element), so tools can show huge vocabularies briefly.
     */
    sealed interface ArrayValue extends MetadataValue {
        @Override
        default ValueType type() {
            return ValueType.ARRAY;
        }

        ValueType elementType();

        int size();

        /** Element {@code index} as a value of its own (boxes it: for display, not for bulk access). */
        MetadataValue element(int index);
    }

    /** An array of one of the integer types. */
    sealed interface IntegerArray extends ArrayValue {
        /** Element {@code index}: its exact value, or for {@code u64} its bits (read as unsigned). */
        long valueAt(int index);

        @Override
        default MetadataValue element(int index) {
            return new IntegerValue(elementType(), valueAt(index));
        }
    }

    /** {@code u8} or {@code i8} elements, one byte each ({@code u8} elements are read as unsigned). */
    record Int8Array(ValueType elementType, byte[] values) implements IntegerArray {
        public Int8Array {
            requireElementType(elementType, ValueType.UINT8, ValueType.INT8);
            requireNonNull(values);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public long valueAt(int index) {
            return elementType == ValueType.UINT8 ? values[index] & 0xFF : values[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Int8Array a && a.elementType == elementType && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return elementType.hashCode() * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    /** {@code u16} or {@code i16} elements ({@code u16} elements are read as unsigned). */
    record Int16Array(ValueType elementType, short[] values) implements IntegerArray {
        public Int16Array {
            requireElementType(elementType, ValueType.UINT16, ValueType.INT16);
            requireNonNull(values);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public long valueAt(int index) {
            return elementType == ValueType.UINT16 ? values[index] & 0xFFFF : values[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Int16Array a && a.elementType == elementType && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return elementType.hashCode() * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    /** {@code u32} or {@code i32} elements ({@code u32} elements are read as unsigned). */
    record Int32Array(ValueType elementType, int[] values) implements IntegerArray {
        public Int32Array {
            requireElementType(elementType, ValueType.UINT32, ValueType.INT32);
            requireNonNull(values);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public long valueAt(int index) {
            return elementType == ValueType.UINT32 ? values[index] & 0xFFFFFFFFL : values[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Int32Array a && a.elementType == elementType && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return elementType.hashCode() * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    /** {@code u64} or {@code i64} elements ({@code u64} elements are kept as bits, read as unsigned). */
    record Int64Array(ValueType elementType, long[] values) implements IntegerArray {
        public Int64Array {
            requireElementType(elementType, ValueType.UINT64, ValueType.INT64);
            requireNonNull(values);
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public long valueAt(int index) {
            return values[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Int64Array a && a.elementType == elementType && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return elementType.hashCode() * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    record Float32Array(float[] values) implements ArrayValue {
        public Float32Array {
            requireNonNull(values);
        }

        @Override
        public ValueType elementType() {
            return ValueType.FLOAT32;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public MetadataValue element(int index) {
            return new Float32Value(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Float32Array a && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    record Float64Array(double[] values) implements ArrayValue {
        public Float64Array {
            requireNonNull(values);
        }

        @Override
        public ValueType elementType() {
            return ValueType.FLOAT64;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public MetadataValue element(int index) {
            return new Float64Value(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Float64Array a && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    record BoolArray(boolean[] values) implements ArrayValue {
        public BoolArray {
            requireNonNull(values);
        }

        @Override
        public ValueType elementType() {
            return ValueType.BOOL;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public MetadataValue element(int index) {
            return new BoolValue(values[index]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BoolArray a && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    /**
     * Strings, kept as their UTF-8 bytes one after the other in one array: element {@code i} is
     * {@code utf8[ends[i - 1], ends[i])} (from 0 for the first). A Llama 3 file's 128,256 tokens and 280,147 merges
     * as {@code String} objects would hold ~30 MB of heap for as long as the metadata lives; as bytes they take ~3 MB.
     * Elements are decoded when read, bytes that are not UTF-8 to U+FFFD; a writer copies the bytes as they are.
     */
    record StringArray(byte[] utf8, int[] ends) implements ArrayValue {
        public StringArray {
            requireNonNull(utf8);
            requireNonNull(ends);
            int previous = 0;
            for (int end : ends) {
                if (end < previous || end > utf8.length) {
                    throw new IllegalArgumentException("string ends must rise from 0 to at most " + utf8.length
                            + ", got " + end + " after " + previous);
                }
                previous = end;
            }
            if (previous != utf8.length) {
                throw new IllegalArgumentException("the last string ends at " + previous + ", not at the end of the "
                        + utf8.length + " bytes");
            }
        }

        /** The array of these strings (none may be {@code null}). */
        public static StringArray of(String... values) {
            Builder builder = new Builder(values.length);
            for (String value : values) {
                if (value == null) {
                    throw new IllegalArgumentException("null element in a string array");
                }
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                builder.add(bytes, 0, bytes.length);
            }
            return builder.build();
        }

        @Override
        public ValueType elementType() {
            return ValueType.STRING;
        }

        @Override
        public int size() {
            return ends.length;
        }

        /** Where element {@code index}'s bytes start in {@link #utf8()}. */
        public int start(int index) {
            return index == 0 ? 0 : ends[index - 1];
        }

        /** Element {@code index}, decoded. */
        public String get(int index) {
            int start = start(index);
            return new String(utf8, start, ends[index] - start, StandardCharsets.UTF_8);
        }

        /** A read-only view of the elements, each decoded when read (no array of 280k strings at once). */
        public java.util.List<String> asList() {
            return new java.util.AbstractList<>() {
                @Override
                public String get(int index) {
                    return StringArray.this.get(index);
                }

                @Override
                public int size() {
                    return ends.length;
                }
            };
        }

        /** Every element, decoded, in a new array. */
        public String[] toArray() {
            String[] values = new String[ends.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = get(i);
            }
            return values;
        }

        @Override
        public MetadataValue element(int index) {
            return new StringValue(get(index));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StringArray a && Arrays.equals(a.ends, ends) && Arrays.equals(a.utf8, utf8);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(ends) + Arrays.hashCode(utf8);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }

        /** Collects a known number of strings' bytes, one string after the other. */
        static final class Builder {
            private byte[] utf8;
            private final int[] ends;
            private int size;
            private int count;

            Builder(int count) {
                this.ends = new int[count];
                this.utf8 = new byte[Math.min(count, 1 << 20) * 8];
            }

            /** How many bytes the strings added so far hold. */
            int byteCount() {
                return size;
            }

            /** Adds the next string, {@code bytes[offset, offset + length)}. */
            void add(byte[] bytes, int offset, int length) {
                if (length > utf8.length - size) {
                    long grown = Math.max((long) size + length, 2L * utf8.length);
                    utf8 = Arrays.copyOf(utf8, (int) Math.min(grown, Integer.MAX_VALUE - 8));
                }
                System.arraycopy(bytes, offset, utf8, size, length);
                size += length;
                ends[count++] = size;
            }

            StringArray build() {
                if (count != ends.length) {
                    throw new IllegalStateException(count + " of " + ends.length + " strings added");
                }
                return new StringArray(size == utf8.length ? utf8 : Arrays.copyOf(utf8, size), ends);
            }
        }
    }

    /** An array whose elements are arrays; each inner array has its own element type and length. */
    record NestedArray(ArrayValue[] values) implements ArrayValue {
        public NestedArray {
            requireNonNull(values);
        }

        @Override
        public ValueType elementType() {
            return ValueType.ARRAY;
        }

        @Override
        public int size() {
            return values.length;
        }

        @Override
        public ArrayValue element(int index) {
            return values[index];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NestedArray a && Arrays.equals(a.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return MetadataText.display(this, 16, 200);
        }
    }

    private static void requireElementType(ValueType actual, ValueType unsigned, ValueType signed) {
        if (actual != unsigned && actual != signed) {
            throw new IllegalArgumentException("element type " + actual + " where " + unsigned + " or " + signed
                    + " was expected");
        }
    }

    private static void requireNonNull(Object values) {
        if (values == null) {
            throw new IllegalArgumentException("null array");
        }
    }
}

package dev.tealama.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.gguf.MetadataValue.Float64Array;
import dev.tealama.gguf.MetadataValue.Int64Array;
import dev.tealama.gguf.MetadataValue.Int8Array;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed getters: conversions they allow, and the errors for missing keys and wrong types. */
class GgufMetadataTest {

    private static GgufMetadata metadata() {
        Map<String, MetadataValue> m = new LinkedHashMap<>();
        m.put("s", MetadataValue.string("text"));
        m.put("u32", MetadataValue.uint32(4294967295L));
        m.put("i32", MetadataValue.int32(-7));
        m.put("u8", MetadataValue.uint8(200));
        m.put("u64.big", MetadataValue.uint64(-1L));
        m.put("u64.small", MetadataValue.uint64(5));
        m.put("i64", MetadataValue.int64(1L << 40));
        m.put("f32", MetadataValue.float32(0.5f));
        m.put("f64", MetadataValue.float64(0.1));
        m.put("b", MetadataValue.bool(true));
        m.put("strings", MetadataValue.stringArray("a", "b"));
        m.put("floats", MetadataValue.float32Array(1.5f, -2f));
        m.put("doubles", new Float64Array(new double[] {0.25, 1e300}));
        m.put("ints", MetadataValue.int32Array(1, -2, 3));
        m.put("u8s", new Int8Array(ValueType.UINT8, new byte[] {(byte) 255, 0}));
        m.put("u32s", MetadataValue.uint32Array(-1));
        m.put("i64s", new Int64Array(ValueType.INT64, new long[] {1, 1L << 33}));
        m.put("u64s", new Int64Array(ValueType.UINT64, new long[] {-1L}));
        return new GgufMetadata(m);
    }

    private static void assertFails(String expectedMessage, Runnable call) {
        GgufFormatException e = assertThrows(GgufFormatException.class, call::run);
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void keysKeepTheirOrder() {
        GgufMetadata m = metadata();
        assertEquals(List.of("s", "u32", "i32"), List.copyOf(m.keys()).subList(0, 3));
        assertTrue(m.contains("b"));
        assertFalse(m.contains("nope"));
        assertNull(m.get("nope"));
        assertEquals(18, m.size());
    }

    @Test
    void scalars() {
        GgufMetadata m = metadata();
        assertEquals("text", m.string("s"));
        assertEquals(4294967295L, m.integer("u32"));
        assertEquals(-7, m.int32("i32"));
        assertEquals(200, m.int32("u8"));
        assertEquals(5, m.int32("u64.small"));
        assertEquals(1L << 40, m.integer("i64"));
        assertEquals(0.5f, m.float32("f32"));
        assertEquals(0.1f, m.float32("f64"));
        assertEquals(-7f, m.float32("i32"));
        assertEquals(1.8446744073709552e19f, m.float32("u64.big"));
        assertTrue(m.bool("b"));
    }

    @Test
    void defaultsOnlyForMissingKeys() {
        GgufMetadata m = metadata();
        assertEquals("d", m.string("nope", "d"));
        assertEquals(3, m.int32("nope", 3));
        assertEquals(9L, m.integer("nope", 9L));
        assertEquals(1.5f, m.float32("nope", 1.5f));
        assertFalse(m.bool("nope", false));
        assertNull(m.stringArray("nope", null));
        assertNull(m.floatArray("nope", null));
        assertNull(m.intArray("nope", null));
        assertEquals("text", m.string("s", "d"));
        assertFails("GGUF: metadata key 'u32' is a u32, expected a string", () -> m.string("u32", "d"));
    }

    @Test
    void missingAndMistypedKeys() {
        GgufMetadata m = metadata();
        assertFails("GGUF: missing metadata key 'llama.block_count'", () -> m.int32("llama.block_count"));
        assertFails("GGUF: missing metadata key 'x'", () -> m.string("x"));
        assertFails("GGUF: metadata key 's' is a str, expected an integer", () -> m.integer("s"));
        assertFails("GGUF: metadata key 'f32' is a f32, expected an integer", () -> m.int32("f32"));
        assertFails("GGUF: metadata key 'u32' is a u32, expected a bool", () -> m.bool("u32"));
        assertFails("GGUF: metadata key 'strings' is an array of str, expected a number", () -> m.float32("strings"));
        assertFails("GGUF: metadata key 'ints' is an array of i32, expected an array of strings",
                () -> m.stringArray("ints"));
        assertFails("GGUF: metadata key 's' is a str, expected an array of integers", () -> m.intArray("s"));
        assertFails("GGUF: metadata key 'strings' is an array of str, expected an array of numbers",
                () -> m.floatArray("strings"));
    }

    @Test
    void integerRanges() {
        GgufMetadata m = metadata();
        assertFails("GGUF: metadata key 'u64.big' is 18446744073709551615, which is too large",
                () -> m.integer("u64.big"));
        assertFails("GGUF: metadata key 'u32' is 4294967295, outside the range of a 32-bit integer",
                () -> m.int32("u32"));
        assertFails("GGUF: metadata key 'u32s' element 0 is 4294967295, outside the range of a 32-bit integer",
                () -> m.intArray("u32s"));
        assertFails("GGUF: metadata key 'i64s' element 1 is 8589934592, outside the range of a 32-bit integer",
                () -> m.intArray("i64s"));
        assertFails("GGUF: metadata key 'u64s' element 0 is 18446744073709551615, outside the range of a 32-bit"
                + " integer", () -> m.intArray("u64s"));
    }

    @Test
    void arraysAreCopiesAndConvert() {
        GgufMetadata m = metadata();
        String[] strings = m.stringArray("strings");
        assertArrayEquals(new String[] {"a", "b"}, strings);
        strings[0] = "changed";
        assertEquals("a", m.stringArray("strings")[0]);
        assertArrayEquals(new float[] {1.5f, -2f}, m.floatArray("floats"));
        assertArrayEquals(new float[] {0.25f, Float.POSITIVE_INFINITY}, m.floatArray("doubles"));
        assertArrayEquals(new float[] {1f, -2f, 3f}, m.floatArray("ints"));
        assertArrayEquals(new int[] {1, -2, 3}, m.intArray("ints"));
        assertArrayEquals(new int[] {255, 0}, m.intArray("u8s"));
    }

    @Test
    void valuesCheckTheirRanges() {
        assertThrows(IllegalArgumentException.class, () -> MetadataValue.uint8(-1));
        assertThrows(IllegalArgumentException.class, () -> MetadataValue.uint16(65536));
        assertThrows(IllegalArgumentException.class, () -> MetadataValue.int16(-32769));
        assertThrows(IllegalArgumentException.class, () -> MetadataValue.uint32(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new MetadataValue.IntegerValue(ValueType.FLOAT32, 1));
        assertThrows(IllegalArgumentException.class, () -> new Int8Array(ValueType.INT32, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> MetadataValue.string(null));
        assertEquals("18446744073709551615", MetadataValue.uint64(-1).toString());
        assertEquals(MetadataValue.int32Array(1, 2), MetadataValue.int32Array(1, 2));
        assertFalse(MetadataValue.int32Array(1, 2).equals(MetadataValue.uint32Array(1, 2)));
        assertEquals(MetadataValue.stringArray("a").hashCode(), MetadataValue.stringArray("a").hashCode());
    }
}

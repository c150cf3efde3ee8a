package dev.tealama.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.MetadataValue.Float64Array;
import dev.tealama.gguf.MetadataValue.Int16Array;
import dev.tealama.gguf.MetadataValue.Int64Array;
import dev.tealama.gguf.MetadataValue.Int8Array;
import dev.tealama.gguf.MetadataValue.BoolArray;
import dev.tealama.tensor.GgmlType;
import dev.tealama.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer against gguf-py's writer ({@code testdata/gguf/writer-reference.gguf}, see the README there): the same
 * content must give the same bytes. Plus round trips through our reader and the writer's own checks.
 */
class GgufWriterTest {

    /** Byte {@code k} of test tensor {@code seed}, as in gguf_fixtures.py's pattern(). */
    static byte[] pattern(int n, int seed) {
        byte[] bytes = new byte[n];
        for (int k = 0; k < n; k++) {
            bytes[k] = (byte) (31 * k + 7 * seed + 1);
        }
        return bytes;
    }

    /** What gguf_fixtures.py's write_reference() writes, in the same order. */
    static GgufWriter referenceContent() {
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "tealama-test");
        w.putString("general.name", "writer reference");
        w.alignment(64);
        w.putUInt8("test.u8", 255);
        w.putInt8("test.i8", -128);
        w.putUInt16("test.u16", 65535);
        w.putInt16("test.i16", -32768);
        w.putUInt32("test.u32", 4294967295L);
        w.putInt32("test.i32", Integer.MIN_VALUE);
        w.putFloat32("test.f32", 0.1f);
        w.putBool("test.bool_true", true);
        w.putBool("test.bool_false", false);
        w.putString("test.string", "h\u00e9llo, w\u00f6rld \u2713 \uD834\uDD1E\n\"quoted\" \\ tab\t");
        w.putString("test.empty_string", "");
        w.putUInt64("test.u64", -1L);
        w.putInt64("test.i64", Long.MIN_VALUE);
        w.putFloat64("test.f64", 0.1);
        w.put("test.arr.u8", new Int8Array(ValueType.UINT8, new byte[] {0, 1, 127, (byte) 128, (byte) 255}));
        w.put("test.arr.i8", new Int8Array(ValueType.INT8, new byte[] {-128, -1, 0, 1, 127}));
        w.put("test.arr.u16", new Int16Array(ValueType.UINT16, new short[] {0, 1, (short) 32768, (short) 65535}));
        w.put("test.arr.i16", new Int16Array(ValueType.INT16, new short[] {-32768, -1, 0, 32767}));
        w.put("test.arr.u32", MetadataValue.uint32Array(0, 1, (int) 2147483648L, (int) 4294967295L));
        w.put("test.arr.i32", MetadataValue.int32Array(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE));
        w.putFloat32Array("test.arr.f32", 0.0f, -1.5f, Float.MAX_VALUE, Float.MIN_VALUE, 0.1f);
        w.put("test.arr.bool", new BoolArray(new boolean[] {true, false, true}));
        w.putStringArray("test.arr.string", "a", "", "\u00fc", "\uD83D\uDE00", "two words");
        w.put("test.arr.u64", new Int64Array(ValueType.UINT64, new long[] {0, Long.MIN_VALUE, -1}));
        w.put("test.arr.i64", new Int64Array(ValueType.INT64, new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}));
        w.put("test.arr.f64", new Float64Array(new double[] {0.1, -2.5, 1e300, Double.MIN_VALUE}));
        w.put("test.arr.nested_i32", MetadataValue.arrayOfArrays(
                MetadataValue.int32Array(1, 2, 3), MetadataValue.int32Array(4, 5)));
        w.put("test.arr.nested_strings", MetadataValue.arrayOfArrays(
                MetadataValue.stringArray("x", "y"), MetadataValue.stringArray("z")));
        w.put("test.arr.nested3_f32", MetadataValue.arrayOfArrays(
                MetadataValue.arrayOfArrays(MetadataValue.float32Array(1.5f), MetadataValue.float32Array(2.5f, 3.5f)),
                MetadataValue.arrayOfArrays(MetadataValue.float32Array(-4.0f))));
        addPatternTensor(w, "t.f32", GgmlType.F32, new long[] {3}, 0);
        addPatternTensor(w, "t.f16", GgmlType.F16, new long[] {5, 2}, 1);
        addPatternTensor(w, "t.q8_0", GgmlType.Q8_0, new long[] {64, 2}, 2);
        addPatternTensor(w, "t.q4_k", GgmlType.Q4_K, new long[] {256}, 3);
        addPatternTensor(w, "t.i32.3d", GgmlType.I32, new long[] {2, 3, 4}, 4);
        addPatternTensor(w, "t.bf16.4d", GgmlType.BF16, new long[] {2, 1, 3, 2}, 5);
        addPatternTensor(w, "t.iq2_xxs", GgmlType.IQ2_XXS, new long[] {256, 1}, 6);
        addPatternTensor(w, "t.q4_0", GgmlType.Q4_0, new long[] {32, 3}, 7);
        return w;
    }

    static void addPatternTensor(GgufWriter w, String name, GgmlType type, long[] dims, int seed) {
        long elements = 1;
        for (long d : dims) {
            elements *= d;
        }
        w.addTensor(name, type, dims, pattern((int) type.bytesFor(elements), seed));
    }

    @Test
    void writesTheSameBytesAsGgufPy() throws IOException {
        byte[] expected = Files.readAllBytes(TestData.root().resolve("gguf/writer-reference.gguf"));
        GgufWriter w = referenceContent();
        byte[] actual = w.toByteArray();
        assertEquals(expected.length, actual.length);
        assertArrayEquals(expected, actual);
        assertEquals(expected.length, w.fileSize());
    }

    @Test
    void copyingAFileThroughReaderAndWriterReproducesIt() throws IOException {
        // What `tealama quantize` does for tensors it keeps: metadata copied, data streamed from the source.
        byte[] original = Files.readAllBytes(TestData.model("stories260K.gguf"));
        GgufFile in = GgufFile.read(new ArrayByteSource(original));
        GgufWriter w = new GgufWriter(in.version()).putAll(in.metadata());
        for (TensorInfo t : in.tensors()) {
            w.addTensor(t.name(), t.type(), t.dims(), TensorData.copyOf(in.source(), t.offset(), t.byteSize()));
        }
        assertArrayEquals(original, w.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void roundTripsEveryValueAndTensor(int version) {
        GgufWriter w = referenceContent();
        GgufWriter copy = new GgufWriter(version);
        GgufFile reference = GgufFile.read(new ArrayByteSource(w.toByteArray()));
        copy.putAll(reference.metadata());
        for (TensorInfo t : reference.tensors()) {
            copy.addTensor(t.name(), t.type(), t.dims(),
                    TensorData.copyOf(reference.source(), t.offset(), t.byteSize()));
        }
        GgufFile read = GgufFile.read(new ArrayByteSource(copy.toByteArray()));
        assertEquals(version, read.version());
        assertEquals(64, read.alignment());
        assertEquals(reference.metadata().keys(), read.metadata().keys());
        for (String key : reference.metadata().keys()) {
            assertEquals(reference.metadata().get(key), read.metadata().get(key), key);
        }
        assertEquals(reference.tensors().size(), read.tensors().size());
        for (int i = 0; i < read.tensors().size(); i++) {
            TensorInfo a = reference.tensors().get(i);
            TensorInfo b = read.tensors().get(i);
            assertEquals(a, b);
            byte[] expected = new byte[(int) a.byteSize()];
            byte[] actual = new byte[(int) b.byteSize()];
            reference.tensorData(a).read(0, expected, 0, expected.length);
            read.tensorData(b).read(0, actual, 0, actual.length);
            assertArrayEquals(expected, actual, a.name());
            assertEquals(0, b.offset() % 64);
        }
    }

    @Test
    void roundTripsEmptyArraysSpecialFloatsAndATensorlessFile() {
        GgufWriter w = new GgufWriter()
                .putStringArray("empty.strings")
                .putFloat32Array("empty.floats")
                .put("empty.nested", MetadataValue.arrayOfArrays())
                .putFloat32Array("special", Float.NaN, Float.POSITIVE_INFINITY, -0.0f)
                .putFloat64("nan", Double.NaN);
        byte[] bytes = w.toByteArray();
        GgufFile read = GgufFile.read(new ArrayByteSource(bytes));
        assertEquals(0, read.tensors().size());
        assertEquals(0, read.metadata().stringArray("empty.strings").length);
        assertEquals(ValueType.ARRAY, ((MetadataValue.ArrayValue) read.metadata().get("empty.nested")).elementType());
        float[] special = read.metadata().floatArray("special");
        assertTrue(Float.isNaN(special[0]));
        assertEquals(Float.POSITIVE_INFINITY, special[1]);
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(special[2]));
        assertEquals(MetadataValue.float64(Double.NaN), read.metadata().get("nan"));
        assertEquals(bytes.length, read.dataOffset());
        assertEquals(0, bytes.length % 32);
    }

    @Test
    void stringArraysKeepTheirBytesAndDecodeBadUtf8ToReplacementCharacters() {
        // "ok", a lone continuation byte, an overlong '/', "\u00e9" (2 bytes), ""
        byte[] utf8 = {'o', 'k', (byte) 0x80, (byte) 0xC0, (byte) 0xAF, (byte) 0xC3, (byte) 0xA9};
        MetadataValue.StringArray strings = new MetadataValue.StringArray(utf8, new int[] {2, 3, 5, 7, 7});
        GgufFile read = GgufFile.read(new ArrayByteSource(new GgufWriter().put("s", strings).putUInt32("n", 1).toByteArray()));
        MetadataValue.StringArray back = (MetadataValue.StringArray) read.metadata().get("s");
        assertEquals(strings, back); // the writer copied the bytes, the reader kept them
        assertArrayEquals(new String[] {"ok", "\uFFFD", "\uFFFD\uFFFD", "\u00e9", ""}, back.toArray());
        assertEquals(java.util.List.of("ok", "\uFFFD", "\uFFFD\uFFFD", "\u00e9", ""),
                read.metadata().stringList("s", null));
        assertEquals(MetadataValue.string("\u00e9"), back.element(3));
        assertEquals(null, read.metadata().stringList("absent", null));
        assertThrows(GgufFormatException.class, () -> read.metadata().stringList("n", null));
    }

    @Test
    void stringArraysRejectEndsThatDoNotTileTheBytes() {
        byte[] three = {'a', 'b', 'c'};
        assertThrows(IllegalArgumentException.class, () -> new MetadataValue.StringArray(three, new int[] {2, 1, 3}));
        assertThrows(IllegalArgumentException.class, () -> new MetadataValue.StringArray(three, new int[] {1, 4}));
        assertThrows(IllegalArgumentException.class, () -> new MetadataValue.StringArray(three, new int[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new MetadataValue.StringArray(three, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> MetadataValue.stringArray("a", null));
        assertEquals(MetadataValue.stringArray("ab", "", "c"), new MetadataValue.StringArray(three, new int[] {2, 2, 3}));
    }

    @Test
    void laterPutReplacesTheValueInPlace() {
        GgufWriter w = new GgufWriter().putUInt32("a", 1).putUInt32("b", 2).putString("a", "x");
        GgufFile read = GgufFile.read(new ArrayByteSource(w.toByteArray()));
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(read.metadata().keys()));
        assertEquals("x", read.metadata().string("a"));
    }

    @Test
    void rejectsMisuse() {
        GgufWriter w = new GgufWriter();
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter(1));
        assertThrows(IllegalArgumentException.class, () -> w.putString("", "x"));
        assertThrows(IllegalArgumentException.class, () -> w.alignment(48));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt16("general.alignment", 32));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt8("x", 256));
        assertThrows(IllegalArgumentException.class, () -> w.putInt8("x", 128));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt32("x", -1));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("q", GgmlType.Q4_0, new long[] {33}, new byte[18]), "row not a block multiple");
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("f", GgmlType.F32, new long[] {4}, new byte[15]), "wrong data length");
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("f", GgmlType.F32, new long[] {0}, new byte[0]), "zero dimension");
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("f", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, new byte[4]), "five dimensions");
        w.addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]);
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]), "duplicate name");

        GgufWriter lying = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {2}, new TensorData() {
            @Override
            public long size() {
                return 8;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(new byte[7]);
            }
        });
        assertThrows(IllegalStateException.class, () -> lying.writeTo(new ByteArrayOutputStream()));

        MetadataValue.ArrayValue deep = MetadataValue.int32Array(1);
        for (int i = 0; i < 8; i++) {
            deep = MetadataValue.arrayOfArrays(deep);
        }
        GgufWriter tooDeep = new GgufWriter().put("deep", deep);
        assertThrows(IllegalArgumentException.class, () -> tooDeep.writeTo(new ByteArrayOutputStream()));
    }
}

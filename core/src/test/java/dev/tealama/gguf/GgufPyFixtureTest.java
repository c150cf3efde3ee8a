package dev.tealama.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.MetadataValue.ArrayValue;
import dev.tealama.gguf.MetadataValue.BoolValue;
import dev.tealama.gguf.MetadataValue.Float32Value;
import dev.tealama.gguf.MetadataValue.Float64Value;
import dev.tealama.gguf.MetadataValue.IntegerValue;
import dev.tealama.gguf.MetadataValue.NestedArray;
import dev.tealama.gguf.MetadataValue.StringValue;
import dev.tealama.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tealama's reader against llama.cpp's gguf-py reader: for every committed model (and the gguf-py-written
 * {@code writer-reference.gguf}), everything gguf-py saw — recorded in {@code testdata/gguf/*.json} by
 * {@code testdata/tools/gguf_fixtures.py} — must be what we read.
 */
class GgufPyFixtureTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "models/ggml-vocab-llama-spm.gguf",
        "models/llama-2-tiny-random.gguf",
        "models/stories260K.gguf",
        "models/tiny-llama3-F32.gguf",
        "models/tiny-llama3-Q4_0.gguf",
        "models/tiny-llama3-Q8_0.gguf",
        "models/tinyk-llama3-Q4_K.gguf",
        "gguf/writer-reference.gguf",
    })
    void readsWhatGgufPyReads(String file) throws Exception {
        Path path = TestData.root().resolve(file);
        Map<?, ?> expected = fixture(path.getFileName() + ".json");
        byte[] bytes = Files.readAllBytes(path);
        GgufFile gguf = GgufFile.read(new ArrayByteSource(bytes));

        assertEquals(number(expected, "size"), bytes.length);
        assertEquals(number(expected, "version"), gguf.version());
        assertEquals(number(expected, "alignment"), gguf.alignment());
        assertEquals(number(expected, "kv_count"), gguf.metadata().size());
        assertEquals(number(expected, "tensor_count"), gguf.tensors().size());
        if (gguf.tensors().isEmpty()) {
            // gguf-py always pads the header; llama.cpp (and we) accept a tensor-less file that ends unpadded.
            assertTrue(gguf.dataOffset() <= number(expected, "data_offset"));
        } else {
            assertEquals(number(expected, "data_offset"), gguf.dataOffset());
        }

        List<?> kvs = (List<?>) expected.get("kv");
        assertEquals(keysOf(kvs), new ArrayList<>(gguf.metadata().keys()), "keys in file order");
        for (Object o : kvs) {
            Map<?, ?> kv = (Map<?, ?>) o;
            String key = (String) kv.get("key");
            checkValue(key, kv, gguf.metadata().get(key));
        }

        List<?> tensors = (List<?>) expected.get("tensors");
        for (int i = 0; i < tensors.size(); i++) {
            Map<?, ?> t = (Map<?, ?>) tensors.get(i);
            TensorInfo actual = gguf.tensors().get(i);
            String name = (String) t.get("name");
            assertEquals(name, actual.name());
            assertSame(actual, gguf.tensor(name));
            assertEquals(t.get("type"), actual.type().name(), name);
            assertEquals(number(t, "type_id"), actual.type().id(), name);
            List<?> dims = (List<?>) t.get("dims");
            long[] expectedDims = new long[dims.size()];
            for (int d = 0; d < expectedDims.length; d++) {
                expectedDims[d] = ((BigDecimal) dims.get(d)).longValueExact();
            }
            assertArrayEquals(expectedDims, actual.dims(), name);
            assertEquals(number(t, "offset"), actual.offset(), name);
            assertEquals(number(t, "n_bytes"), actual.byteSize(), name);
        }
    }

    private static void checkValue(String key, Map<?, ?> kv, MetadataValue actual) throws Exception {
        assertNotNull(actual, key);
        ValueType type = ValueType.valueOf((String) kv.get("type"));
        assertEquals(type, actual.type(), key);
        if (type != ValueType.ARRAY) {
            checkScalar(key, kv.get("value"), actual);
            return;
        }
        ArrayValue array = (ArrayValue) actual;
        ValueType elementType = ValueType.valueOf((String) kv.get("element_type"));
        assertEquals(elementType, array.elementType(), key);
        if (elementType == ValueType.ARRAY) {
            // gguf-py reports nested arrays flattened to their leaves, with the types along the first path.
            List<MetadataValue> leaves = new ArrayList<>();
            List<ValueType> types = new ArrayList<>(List.of(ValueType.ARRAY));
            flatten(array, leaves, types, true);
            List<?> expectedTypes = (List<?>) kv.get("types");
            assertEquals(expectedTypes.size(), types.size(), key);
            for (int i = 0; i < types.size(); i++) {
                assertEquals(expectedTypes.get(i), types.get(i).name(), key);
            }
            List<?> flat = (List<?>) kv.get("flat_values");
            assertEquals(flat.size(), leaves.size(), key);
            for (int i = 0; i < flat.size(); i++) {
                checkScalar(key + "[" + i + "]", flat.get(i), leaves.get(i));
            }
            return;
        }
        assertEquals(number(kv, "count"), array.size(), key);
        List<?> head = (List<?>) kv.get("head");
        for (int i = 0; i < head.size(); i++) {
            checkScalar(key + "[" + i + "]", head.get(i), array.element(i));
        }
        if (array.size() > 0) {
            checkScalar(key + "[last]", kv.get("last"), array.element(array.size() - 1));
        }
        assertEquals(kv.get("sha256"), sha256(array), key + " digest of all elements");
    }

    private static void flatten(ArrayValue array, List<MetadataValue> leaves, List<ValueType> types,
                                boolean firstPath) {
        if (firstPath) {
            types.add(array.elementType());
        }
        for (int i = 0; i < array.size(); i++) {
            MetadataValue e = array.element(i);
            if (e instanceof ArrayValue inner) {
                flatten(inner, leaves, types, firstPath && i == 0);
            } else {
                leaves.add(e);
            }
        }
    }

    private static void checkScalar(String where, Object expected, MetadataValue actual) {
        if (actual instanceof StringValue s) {
            assertEquals(expected, s.value(), where);
        } else if (actual instanceof BoolValue b) {
            assertEquals(expected, b.value(), where);
        } else if (actual instanceof IntegerValue i) {
            assertEquals(0, ((BigDecimal) expected).compareTo(new BigDecimal(i.toString())), where + ": " + i);
        } else if (actual instanceof Float32Value f) {
            assertEquals(Float.floatToIntBits((float) pythonFloat(expected)), Float.floatToIntBits(f.value()), where);
        } else if (actual instanceof Float64Value d) {
            assertEquals(Double.doubleToLongBits(pythonFloat(expected)), Double.doubleToLongBits(d.value()), where);
        } else {
            throw new AssertionError(where + ": unexpected " + actual);
        }
    }

    private static double pythonFloat(Object json) {
        if (json instanceof String s) { // repr of a non-finite float
            return s.equals("nan") ? Double.NaN : s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return ((BigDecimal) json).doubleValue();
    }

    /** SHA-256 of the elements in GGUF's encoding, as gguf_fixtures.py computes it from gguf-py's values. */
    static String sha256(ArrayValue array) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < array.size(); i++) {
            MetadataValue e = array.element(i);
            if (e instanceof StringValue s) {
                byte[] utf8 = s.value().getBytes(StandardCharsets.UTF_8);
                writeLittleEndian(bytes, utf8.length, 8);
                bytes.write(utf8);
            } else if (e instanceof IntegerValue v) {
                writeLittleEndian(bytes, v.value(), v.type().fixedSize());
            } else if (e instanceof BoolValue b) {
                bytes.write(b.value() ? 1 : 0);
            } else if (e instanceof Float32Value f) {
                writeLittleEndian(bytes, Float.floatToRawIntBits(f.value()), 4);
            } else if (e instanceof Float64Value d) {
                writeLittleEndian(bytes, Double.doubleToRawLongBits(d.value()), 8);
            } else {
                assertInstanceOf(NestedArray.class, array);
            }
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray())) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    private static void writeLittleEndian(ByteArrayOutputStream out, long value, int size) {
        for (int i = 0; i < size; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }

    private static List<String> keysOf(List<?> kvs) {
        List<String> keys = new ArrayList<>();
        for (Object o : kvs) {
            keys.add((String) ((Map<?, ?>) o).get("key"));
        }
        return keys;
    }

    private static long number(Map<?, ?> map, String key) {
        return ((BigDecimal) map.get(key)).longValueExact();
    }

    static Map<?, ?> fixture(String name) throws Exception {
        Path p = TestData.root().resolve("gguf").resolve(name);
        return (Map<?, ?>) dev.tealama.testing.Json.parse(Files.readString(p, StandardCharsets.UTF_8));
    }
}

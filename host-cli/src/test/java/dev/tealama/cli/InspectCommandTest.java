package dev.tealama.cli;

import dev.tealama.math.Sha256;
import dev.tealama.testing.Json;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tealama inspect --json} against gguf-py's view of the committed files (testdata/gguf/*.json, made by
 * llama.cpp's gguf-py package): header facts, every key in order with its type and value (arrays: count and first
 * elements; with --full every element, checked by the fixture's SHA-256 of the array's GGUF encoding), every
 * tensor's name, type, shape, offset and size.
 */
class InspectCommandTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fixture(String model) throws Exception {
        return Json.object(Files.readString(TestData.root().resolve("gguf").resolve(model + ".json")));
    }

    private static Map<String, Object> inspectJson(String... args) {
        Tealama run = Tealama.run(args).assertSuccess();
        return Json.object(run.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "llama-2-tiny-random.gguf", "ggml-vocab-llama-spm.gguf",
            "tiny-llama3-F32.gguf", "tiny-llama3-Q8_0.gguf", "tiny-llama3-Q4_0.gguf", "tinyk-llama3-Q4_K.gguf"})
    @SuppressWarnings("unchecked")
    void jsonAgreesWithGgufPy(String model) throws Exception {
        Map<String, Object> expected = fixture(model);
        Map<String, Object> json = inspectJson("inspect", "--json", "-m", TestData.model(model).toString());
        for (String fact : List.of("size", "version", "tensor_count", "kv_count", "alignment")) {
            assertEquals(number(expected.get(fact)), number(json.get(fact)), fact);
        }
        if (number(expected.get("tensor_count")) > 0) {
            assertEquals(number(expected.get("data_offset")), number(json.get("data_offset")), "data_offset");
        } else {
            // no data section: gguf-py pads the offset past the end of the file; Tealama stops at the end
            assertEquals(number(expected.get("size")), number(json.get("data_offset")), "data_offset");
        }

        List<Map<String, Object>> kvs = (List<Map<String, Object>>) expected.get("kv");
        Map<String, Object> metadata = (Map<String, Object>) json.get("metadata");
        assertEquals(kvs.stream().map(kv -> kv.get("key")).toList(), List.copyOf(metadata.keySet()), "keys in order");
        for (Map<String, Object> kv : kvs) {
            String key = (String) kv.get("key");
            Map<String, Object> ours = (Map<String, Object>) metadata.get(key);
            assertEquals(kv.get("type"), ours.get("type"), key);
            if ("ARRAY".equals(kv.get("type"))) {
                assertEquals(kv.get("element_type"), ours.get("element_type"), key);
                assertEquals(number(kv.get("count")), number(ours.get("count")), key);
                List<Object> head = (List<Object>) kv.get("head");
                List<Object> values = (List<Object>) ours.get("values");
                assertEquals(Math.min(InspectCommand.SHOWN_ELEMENTS, number(kv.get("count"))), values.size(), key);
                for (int i = 0; i < head.size(); i++) {
                    assertSameValue(head.get(i), values.get(i), (String) kv.get("element_type"), key + "[" + i + "]");
                }
            } else {
                assertSameValue(kv.get("value"), ours.get("value"), (String) kv.get("type"), key);
            }
        }

        List<Map<String, Object>> tensors = (List<Map<String, Object>>) expected.get("tensors");
        List<Map<String, Object>> ourTensors = (List<Map<String, Object>>) json.get("tensors");
        assertEquals(tensors.size(), ourTensors.size());
        long parameters = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Map<String, Object> t = tensors.get(i);
            Map<String, Object> o = ourTensors.get(i);
            assertEquals(t.get("name"), o.get("name"));
            assertEquals(t.get("type"), o.get("type"), (String) t.get("name"));
            assertEquals(t.get("dims"), o.get("shape"), (String) t.get("name"));
            assertEquals(number(t.get("offset")), number(o.get("offset")), (String) t.get("name"));
            assertEquals(number(t.get("n_bytes")), number(o.get("size")), (String) t.get("name"));
            parameters += ((List<Object>) t.get("dims")).stream().mapToLong(InspectCommandTest::number)
                    .reduce(1, (a, b) -> a * b);
        }
        Map<String, Object> summary = (Map<String, Object>) json.get("summary");
        assertEquals(parameters, number(summary.get("parameters")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "llama-2-tiny-random.gguf"})
    @SuppressWarnings("unchecked")
    void fullArraysHashLikeGgufPy(String model) throws Exception {
        String output = Tealama.run("inspect", "--json", "--full", "-m", TestData.model(model).toString())
                .assertSuccess().out();
        Map<String, Object> metadata = (Map<String, Object>) Json.object(output).get("metadata");
        int checked = 0;
        for (Map<String, Object> kv : (List<Map<String, Object>>) fixture(model).get("kv")) {
            if (!"ARRAY".equals(kv.get("type"))) {
                continue;
            }
            Map<String, Object> ours = (Map<String, Object>) metadata.get(kv.get("key"));
            List<Object> values = (List<Object>) ours.get("values");
            assertEquals(number(kv.get("count")), values.size());
            assertEquals(Boolean.FALSE, ours.get("truncated"));
            assertSameValue(kv.get("last"), values.get(values.size() - 1), (String) kv.get("element_type"),
                    kv.get("key") + " last");
            if ("FLOAT32".equals(kv.get("element_type"))) {
                // the JSON reader's BigDecimals have no negative zero (stories260K has a -0.0 score): read the text
                values = floatLiterals(output, (String) kv.get("key"));
            }
            assertEquals(kv.get("sha256"), ggufArraySha256((String) kv.get("element_type"), values),
                    kv.get("key") + " elements");
            checked++;
        }
        assertTrue(checked >= 3);
    }

    /** The elements of a float array in the JSON text, as floats parsed from their literals. */
    private static List<Object> floatLiterals(String json, String key) {
        int at = json.indexOf("\"values\": [", json.indexOf("\"" + key + "\""));
        String list = json.substring(json.indexOf('[', at) + 1, json.indexOf(']', at));
        return Arrays.stream(list.split(",")).map(String::trim).map(v -> (Object) Float.parseFloat(v))
                .toList();
    }

    /** SHA-256 of the array's elements as GGUF stores them (the fixture's definition). */
    private static String ggufArraySha256(String elementType, List<Object> values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (Object v : values) {
            b.clear();
            switch (elementType) {
                case "STRING" -> {
                    byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
                    b.putLong(s.length);
                    bytes.write(b.array(), 0, 8);
                    bytes.write(s, 0, s.length);
                    continue;
                }
                case "INT32", "UINT32" -> b.putInt((int) number(v));
                case "FLOAT32" -> b.putFloat(((Number) v).floatValue());
                default -> throw new IllegalArgumentException("no hash for " + elementType);
            }
            bytes.write(b.array(), 0, b.position());
        }
        return HexFormat.of().formatHex(Sha256.hash(bytes.toByteArray()));
    }

    private static long number(Object o) {
        return ((Number) o).longValue();
    }

    /** Floats equal as float32 (both sides print a float32's value), integers exactly, the rest as parsed. */
    private static void assertSameValue(Object expected, Object actual, String type, String what) {
        if (type.startsWith("FLOAT")) {
            assertEquals(((Number) expected).floatValue(), ((Number) actual).floatValue(), what);
        } else if (expected instanceof BigDecimal e) {
            assertEquals(0, e.compareTo((BigDecimal) actual), what + ": " + expected + " vs " + actual);
        } else {
            assertEquals(expected, actual, what);
        }
    }

    @Test
    void textFormShowsSummaryMetadataAndTensors() {
        Tealama run = Tealama.run("inspect").assertSuccess();   // the embedded stories260K
        String out = run.out();
        assertTrue(out.contains("architecture:  llama"), out);
        assertTrue(out.contains("parameters:    293 K (292,800) in 48 tensors"), out); // sum of the fixture's shapes
        assertTrue(out.contains("tensor types:  F32 x48"), out);
        assertTrue(out.contains("tokenizer.ggml.tokens"), out);
        assertTrue(out.contains("arr[str,512]"), out);
        assertTrue(out.contains("... 504 more]"), out);        // 512 tokens, 8 shown
        assertTrue(out.contains("token_embd.weight"), out);
        assertTrue(out.contains("64 x 512"), out);
        assertEquals("", run.err().replaceAll("(?m)^WARNING.*\\n", ""));
    }

    @Test
    void embeddedModelJson() {
        Map<String, Object> json = inspectJson("inspect", "--json");
        assertEquals("stories260K.gguf (embedded)", json.get("file"));
        assertEquals(1185376L, number(json.get("size")));
    }

    @Test
    void vocabularyOnlyFileInspects() {
        Tealama run = Tealama.run("inspect", "-m", TestData.model("ggml-vocab-llama-spm.gguf").toString())
                .assertSuccess();
        assertTrue(run.out().contains("in 0 tensors"), run.out());
    }
}

package dev.tealama.model;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.math.Sha256;
import dev.tealama.testing.Json;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RoPE frequency scaling (a {@code rope_freqs} tensor; linear {@code rope.scaling}) against llama.cpp's references
 * in testdata/reference/rope: greedy ids identical, last-prompt logits within 1e-4 (the tolerance of the unscaled
 * Q8_0 model, see {@link ReferenceModels}).
 */
class RopeScalingTest {

    @Test
    void ropeFreqsTensorScalesTheAnglesAsLlamaCpp() throws IOException {
        check("tiny-llama3-Q8_0-rope-freqs.gguf", RopeScalingModels.ropeFreqs());
    }

    @Test
    void linearRopeScalingAsLlamaCpp() throws IOException {
        check("tiny-llama3-Q8_0-rope-linear.gguf", RopeScalingModels.ropeLinear());
    }

    private static void check(String file, byte[] bytes) throws IOException {
        Path dir = TestData.root().resolve("reference").resolve("rope");
        Map<String, Object> ref = null;
        for (String line : Files.readAllLines(dir.resolve("greedy.jsonl"))) {
            Map<String, Object> o = Json.object(line);
            if (file.equals(o.get("model"))) {
                ref = o;
            }
        }
        assertEquals(ref.get("sha256"), Sha256.hex(Sha256.hash(bytes)), "the file the references were made from");

        LlamaModel model = LlamaModel.load(new ArrayByteSource(bytes));
        int[] prompt = Json.ints(ref.get("prompt_ids"));
        int[] expected = Json.ints(ref.get("gen_ids"));
        assertArrayEquals(expected, ReferenceRun.greedy(model, new ScalarKernels(), NumericScheme.LLAMA_CPP, prompt,
                expected.length));
        float[] ours = ReferenceRun.promptLogits(model, new ScalarKernels(), NumericScheme.LLAMA_CPP, prompt);
        double diff = Reference.maxAbsDiff(ours, Reference.floats(dir.resolve(file.replace(".gguf", ".logits.f32"))));
        assertTrue(diff <= 1e-4, "logits differ from llama.cpp by " + diff);
    }
}

package dev.tealama.model;

import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scalar core against llama.cpp's outputs for the committed models (references in testdata/reference, made by
 * llama.cpp's own library; see ../shared/reference/README.md): greedy token ids identical (every committed model is
 * one on which llama.cpp's builds agree at every step, see {@link TeacherForcedCheck}), last-position logits within
 * the tolerances explained in {@link ReferenceModels}, and the precise scheme within 1e-4 of float64 math.
 */
class LlamaCppReferenceTest {

    static final Iterable<ReferenceModels> MODELS = ReferenceModels.COMMITTED;

    @ParameterizedTest
    @FieldSource("MODELS")
    void greedyTokensEqualLlamaCpp(ReferenceModels m) {
        check(m, TestData.model(m.file()), TestData.root().resolve("reference"));
    }

    /** Shared with the extended test: greedy ids, llama.cpp logits, exact logits. */
    static void check(ReferenceModels m, Path modelFile, Path referenceDir) {
        LlamaModel model = ModelFixtures.load(modelFile);
        Reference.Greedy ref = Reference.greedy(referenceDir, m.file());

        int[] prompt = model.tokenizer().encode(ref.prompt(), true, false);
        assertArrayEquals(ref.promptIds(), prompt, "prompt tokens");

        TeacherForcedCheck.check(model, new ScalarKernels(), m.file());
        assertEquals(ref.text(), model.tokenizer().decode(ref.genIds(), false), "generated text");

        String base = m.file().replace(".gguf", "");
        float[] llamaCpp = Reference.floats(referenceDir.resolve(base + ".logits.f32"));
        float[] ours = ReferenceRun.promptLogits(model, new ScalarKernels(), NumericScheme.LLAMA_CPP, prompt);
        double diff = Reference.maxAbsDiff(ours, llamaCpp);
        assertTrue(diff <= m.llamaCppTolerance(), "logits differ from llama.cpp by " + diff
                + " (tolerance " + m.llamaCppTolerance() + ")");

        float[] exact = Reference.floats(referenceDir.resolve(base + ".exact.logits.f32"));
        float[] precise = ReferenceRun.promptLogits(model, new ScalarKernels(), NumericScheme.PRECISE, prompt);
        double preciseDiff = Reference.maxAbsDiff(precise, exact);
        assertTrue(preciseDiff <= ReferenceModels.PRECISE_TOLERANCE, "precise logits differ from float64 math by "
                + preciseDiff);
    }
}

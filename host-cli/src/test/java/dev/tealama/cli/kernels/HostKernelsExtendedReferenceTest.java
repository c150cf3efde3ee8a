package dev.tealama.cli.kernels;

import dev.tealama.cli.KernelChoice;
import dev.tealama.cli.LoadedModel;
import dev.tealama.cli.WeightsStrategy;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.NumericScheme;
import dev.tealama.model.ReferenceModels;
import dev.tealama.model.ReferenceRun;
import dev.tealama.model.TeacherForcedCheck;
import dev.tealama.testing.GeneratedModels;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector kernels on the models of ../shared the default run does not have, against llama.cpp's references in
 * ../shared/reference: the other tiny models (F16, BF16, Q4_1, tinyk F32, Q8_0, Q6_K) as
 * {@link HostKernelsReferenceTest} checks the committed ones, and the benchmark-shaped files (Llama-3.2-1B shape
 * Q8_0 and Q4_0, Llama-3-8B shape Q4_0; random weights). On those deep random models two llama.cpp builds already
 * differ by up to 0.43 in the logits (../shared/reference/README.md), so their logits are held to 0.6, as core's
 * scalar kernels are, and greedy choices may differ at near-ties ({@link NearTieCheck}): our vector kernels add in
 * another order than llama.cpp and than core, and on the Q8_0 file that flips step 7, where llama.cpp's own margin
 * is 0.11–0.17.
 */
@Tag("extended")
class HostKernelsExtendedReferenceTest {
    static final Iterable<ReferenceModels> SHARED = ReferenceModels.EXTENDED;

    @ParameterizedTest
    @FieldSource("SHARED")
    void sharedTinyModels(ReferenceModels m) {
        Path file = GeneratedModels.get(m.file());
        Path references = TestData.shared().resolve("reference");
        for (WeightsStrategy weights : WeightsStrategy.values()) {
            HostKernelsReferenceTest.check(m, file, references, weights, 2, true);
        }
    }

    /**
     * Each file mapped (the GGUF layout) and copied into huge pages, where the Q4_0 files' matrices are repacked for
     * the interleaved kernels ({@link HostKernels#interleave}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama3.2-1b-shape-Q8_0.gguf", "llama3.2-1b-shape-Q4_0.gguf", "llama3-8b-shape-Q4_0.gguf"})
    void benchmarkShapes(String fileName) {
        Path file = GeneratedModels.get(fileName);
        Path references = TestData.shared().resolve("reference");
        for (WeightsStrategy weights : new WeightsStrategy[] {WeightsStrategy.MMAP, WeightsStrategy.HUGEPAGES}) {
            try (LoadedModel loaded = LoadedModel.load(file, weights, KernelChoice.VECTOR,
                    Runtime.getRuntime().availableProcessors(), NumericScheme.LLAMA_CPP,
                    new PrintStream(OutputStream.nullOutputStream()))) {
                LlamaModel model = loaded.model();
                Reference.Greedy ref = Reference.greedy(references, fileName);
                int[] prompt = model.tokenizer().encode(ref.prompt(), true, false);
                assertArrayEquals(ref.promptIds(), prompt, "prompt tokens");
                NearTieCheck.check(model, loaded.kernels(), fileName);
                float[] ours = ReferenceRun.promptLogits(model, loaded.kernels(), NumericScheme.LLAMA_CPP, prompt);
                double diff = Reference.maxAbsDiff(ours,
                        Reference.floats(references.resolve(fileName.replace(".gguf", ".logits.f32"))));
                assertTrue(diff <= 0.6, weights + ": logits differ from llama.cpp by " + diff);
            }
        }
    }
}

package dev.tealama.cli.kernels;

import dev.tealama.cli.WeightsStrategy;
import dev.tealama.cli.store.SegmentSource;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.NumericScheme;
import dev.tealama.model.ReferenceModels;
import dev.tealama.model.ReferenceRun;
import dev.tealama.model.TeacherForcedCheck;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every committed model through the vector kernels, on 1, 2 and 3 threads, with every weights strategy, against
 * llama.cpp's references (testdata/reference, made by llama.cpp's library): greedy token ids as llama.cpp's (where
 * its own builds agree, see {@link TeacherForcedCheck}), prompt logits within the tolerances core's scalar
 * kernels are held to ({@link ReferenceModels}), the precise scheme within 1e-4 of float64 math. Threads split rows,
 * never a row's sum, and every weights strategy hands the kernels the same bytes: every configuration must give the
 * same logits, bit for bit.
 */
class HostKernelsReferenceTest {
    private static final Map<String, float[]> FIRST_LOGITS = new HashMap<>();

    static List<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        for (ReferenceModels m : ReferenceModels.COMMITTED) {
            for (WeightsStrategy weights : WeightsStrategy.values()) {
                for (int threads = 1; threads <= 3; threads++) {
                    out.add(Arguments.of(m, weights, threads));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1} x{2}")
    @MethodSource("configurations")
    void matchesLlamaCpp(ReferenceModels m, WeightsStrategy weights, int threads) {
        check(m, TestData.model(m.file()), TestData.root().resolve("reference"), weights, threads, true);
    }

    /** The checks, shared with the extended test. */
    static void check(ReferenceModels m, Path file, Path referenceDir, WeightsStrategy weights, int threads,
                      boolean precise) {
        try (SegmentSource source = weights.open(file, new PrintStream(OutputStream.nullOutputStream()));
             HostKernels kernels = new HostKernels(threads)) {
            LlamaModel model = LlamaModel.load(source);
            Reference.Greedy ref = Reference.greedy(referenceDir, m.file());
            int[] prompt = model.tokenizer().encode(ref.prompt(), true, false);
            assertArrayEquals(ref.promptIds(), prompt, "prompt tokens");

            TeacherForcedCheck.check(model, kernels, m.file());

            String base = m.file().replace(".gguf", "");
            float[] ours = ReferenceRun.promptLogits(model, kernels, NumericScheme.LLAMA_CPP, prompt);
            double diff = Reference.maxAbsDiff(ours, Reference.floats(referenceDir.resolve(base + ".logits.f32")));
            assertTrue(diff <= m.llamaCppTolerance(), "logits differ from llama.cpp by " + diff + " (tolerance "
                    + m.llamaCppTolerance() + ")");
            synchronized (FIRST_LOGITS) {
                float[] first = FIRST_LOGITS.putIfAbsent(m.file(), ours);
                if (first != null) {
                    assertArrayEquals(first, ours, "logits with " + weights + " weights on " + threads
                            + " threads differ from another configuration's");
                }
            }

            if (precise) {
                float[] exact = Reference.floats(referenceDir.resolve(base + ".exact.logits.f32"));
                float[] logits = ReferenceRun.promptLogits(model, kernels, NumericScheme.PRECISE, prompt);
                double preciseDiff = Reference.maxAbsDiff(logits, exact);
                assertTrue(preciseDiff <= ReferenceModels.PRECISE_TOLERANCE,
                        "precise logits differ from float64 math by " + preciseDiff);
            }
            assertEquals((HostKernels.vectorSupported() ? "vector x" : "scalar x") + threads, kernels.name());
        }
    }
}

package dev.tealama.tokenizer;

import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA2;
import static dev.tealama.tokenizer.TokenizerFixtures.LLAMA3;
import static dev.tealama.tokenizer.TokenizerFixtures.STORIES;
import static dev.tealama.tokenizer.TokenizerFixtures.reference;
import static dev.tealama.tokenizer.TokenizerFixtures.show;
import static dev.tealama.tokenizer.TokenizerFixtures.tokenLines;
import static dev.tealama.tokenizer.TokenizerFixtures.tokenizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Token ids equal llama.cpp's, text by text: llama.cpp's own tokenizer test vectors ({@code ggml-vocab-llama-*.inp},
 * {@code .out}) and the extra edge-case and random texts of {@code testdata/reference/tokenizer/}, tokenized by
 * llama.cpp de3ff81 (see the README there).
 */
class LlamaCppTokenizationTest {

    @TestFactory
    List<DynamicTest> llama3TestVectors() {
        return vectors(LLAMA3, "ggml-vocab-llama-bpe.gguf.inp", "ggml-vocab-llama-bpe.gguf.out", false, false);
    }

    @TestFactory
    List<DynamicTest> llama2TestVectors() {
        return vectors(LLAMA2, "ggml-vocab-llama-spm.gguf.inp", "ggml-vocab-llama-spm.gguf.out", false, false);
    }

    /** llama-2-tiny-random.gguf carries the same Llama 2 vocabulary. */
    @TestFactory
    List<DynamicTest> llama2TestVectorsWithTheRandomModel() {
        return vectors("llama-2-tiny-random.gguf", "ggml-vocab-llama-spm.gguf.inp", "ggml-vocab-llama-spm.gguf.out",
                false, false);
    }

    @TestFactory
    List<DynamicTest> llama3EdgeCasesAndRandomTexts() {
        return extraTexts("llama3", LLAMA3, true);
    }

    @TestFactory
    List<DynamicTest> llama2EdgeCasesAndRandomTexts() {
        return extraTexts("llama2", LLAMA2, true);
    }

    @TestFactory
    List<DynamicTest> storiesEdgeCases() {
        return extraTexts("stories260K", STORIES, false);
    }

    /** Each text plain (no BOS, special token texts as text) and special (BOS added, special token texts parsed). */
    private static List<DynamicTest> extraTexts(String name, String model, boolean withRandom) {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> sets = withRandom ? List.of("edge-cases", "random") : List.of("edge-cases");
        for (String set : sets) {
            String texts = "tokenizer/" + set + ".inp";
            tests.addAll(vectors(model, texts, "tokenizer/" + name + "." + set + ".plain.tokens", false, false));
            tests.addAll(vectors(model, texts, "tokenizer/" + name + "." + set + ".special.tokens", true, true));
        }
        return tests;
    }

    private static List<DynamicTest> vectors(String model, String textsFile, String tokensFile,
                                             boolean addSpecial, boolean parseSpecial) {
        List<String> texts = TokenizerFixtures.texts(reference(textsFile));
        List<int[]> expected = tokenLines(reference(tokensFile));
        assertEquals(texts.size(), expected.size(), textsFile + " vs " + tokensFile);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            int[] want = expected.get(i);
            tests.add(DynamicTest.dynamicTest(tokensFile + " #" + i + " " + abbreviate(text), () -> {
                int[] got = tokenizer(model).encode(text, addSpecial, parseSpecial);
                assertArrayEquals(want, got, () -> "expected " + show(want) + "\n but got " + show(got));
            }));
        }
        return tests;
    }

    static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine;
    }
}

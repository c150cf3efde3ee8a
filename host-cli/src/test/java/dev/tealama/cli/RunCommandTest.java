package dev.tealama.cli;

import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tealama run} against llama.cpp's greedy references (testdata/reference/greedy.jsonl, made by llama.cpp's
 * library): with no template, greedy, the reference's number of tokens, standard output must be exactly llama.cpp's
 * text — nothing before or after it — for every committed model, every weights strategy and both kernel sets.
 */
class RunCommandTest {
    private static final String STORIES = "stories260K.gguf";

    private static Reference.Greedy reference(String model) {
        return Reference.greedy(TestData.root().resolve("reference"), model);
    }

    /** Greedy run args for {@code model}'s reference prompt and length, plus {@code extra}. */
    private static String[] greedyArgs(String model, boolean embedded, String... extra) {
        Reference.Greedy ref = reference(model);
        List<String> args = new ArrayList<>(List.of("run", "--template", "plain", "--temp", "0",
                "-n", Integer.toString(ref.genIds().length), "-p", ref.prompt()));
        if (!embedded) {
            args.addAll(List.of("-m", TestData.model(model).toString()));
        }
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void storiesGreedyTextIsLlamaCppText() {
        Tealama run = Tealama.run(greedyArgs(STORIES, false)).assertSuccess();
        assertEquals(reference(STORIES).text(), run.out());
    }

    @Test
    void embeddedModelWithoutDashM() {
        Tealama run = Tealama.run(greedyArgs(STORIES, true)).assertSuccess();
        assertEquals(reference(STORIES).text(), run.out());
        assertTrue(run.err().contains("embedded, in memory"), run.err());
    }

    @Test
    void heapWeights() {
        Tealama run = Tealama.run(greedyArgs(STORIES, false, "--weights", "heap")).assertSuccess();
        assertEquals(reference(STORIES).text(), run.out());
        assertTrue(run.err().contains("heap weights: copying"), run.err());
    }

    @Test
    void hugePageWeights() {
        Tealama run = Tealama.run(greedyArgs(STORIES, false, "--weights", "hugepages")).assertSuccess();
        assertEquals(reference(STORIES).text(), run.out());
        assertTrue(run.err().contains("hugepages weights: read 1.13 MiB into anonymous memory"), run.err());
        assertTrue(run.err().contains("(hugepages, 1.13 MiB)"), run.err());
    }

    @Test
    void scalarKernels() {
        Tealama run = Tealama.run(greedyArgs(STORIES, false, "--kernels", "scalar")).assertSuccess();
        assertEquals(reference(STORIES).text(), run.out());
        assertTrue(run.err().contains("kernels scalar"), run.err());
    }

    @Test
    void oneThreadAndTheRawFlag() {
        Reference.Greedy ref = reference(STORIES);
        Tealama run = Tealama.run("run", "-m", TestData.model(STORIES).toString(), "--raw", "--temp", "0", "-t", "1",
                "-n", Integer.toString(ref.genIds().length), ref.prompt()).assertSuccess();
        assertEquals(ref.text(), run.out());
    }

    /** Every committed model llama.cpp has a greedy reference for: every weights strategy gives llama.cpp's text. */
    @ParameterizedTest
    @ValueSource(strings = {"stories260K.gguf", "llama-2-tiny-random.gguf", "tiny-llama3-F32.gguf",
            "tiny-llama3-Q8_0.gguf", "tiny-llama3-Q4_0.gguf", "tinyk-llama3-Q4_K.gguf"})
    void everyWeightsStrategyGivesLlamaCppText(String model) {
        String expected = reference(model).text();
        for (WeightsStrategy weights : WeightsStrategy.values()) {
            Tealama run = Tealama.run(greedyArgs(model, false, "--weights", weights.cliName())).assertSuccess();
            assertEquals(expected, run.out(), weights.cliName());
        }
    }

    @Test
    void statisticsGoToStandardError() {
        Tealama run = Tealama.run("run", "-m", TestData.model(STORIES).toString(), "-n", "5", "--seed", "1234",
                "-p", "Once upon a time").assertSuccess();
        String err = run.err();
        assertTrue(err.contains("loaded in"), err);
        assertTrue(err.contains("prompt:    5 tokens"), err);   // BOS + 4 tokens, as llama.cpp's prompt_ids
        assertTrue(err.contains("generated: 5 tokens"), err);
        assertTrue(err.contains("finish: max tokens"), err);
        assertTrue(err.contains("seed:      1234"), err);
        assertTrue(err.contains("tok/s"), err);
    }

    @Test
    void aSeedRepeatsASampledRun() {
        String[] args = {"run", "-m", TestData.model(STORIES).toString(), "-n", "24", "--seed", "42", "--temp", "1.2",
                "-p", "Once upon a time"};
        String first = Tealama.run(args).assertSuccess().out();
        assertEquals(first, Tealama.run(args).assertSuccess().out());
    }

    @Test
    void randomSeedIsPrinted() {
        Tealama run = Tealama.run("run", "-m", TestData.model(STORIES).toString(), "-n", "3").assertSuccess();
        assertTrue(run.err().matches("(?s).*seed:      \\d+.*"), run.err());
    }

    @Test
    void stopStringEndsTheTextBeforeIt() {
        // llama.cpp's greedy text: ", there was a little girl named Lily. She loved to play ..."
        Reference.Greedy ref = reference(STORIES);
        Tealama run = Tealama.run("run", "-m", TestData.model(STORIES).toString(), "--temp", "0", "--stop", "Lily",
                "-p", ref.prompt()).assertSuccess();
        assertEquals(ref.text().substring(0, ref.text().indexOf("Lily")), run.out());
        assertTrue(run.err().contains("finish: stop string"), run.err());
    }

    @Test
    void preciseNumericsRun() {
        Tealama run = Tealama.run("run", "-m", TestData.model(STORIES).toString(), "--numerics", "precise", "-n", "4",
                "--temp", "0", "-p", "Once upon a time").assertSuccess();
        assertTrue(run.err().contains("numerics precise"), run.err());
        assertTrue(!run.out().isEmpty());
    }

    @Test
    void contextFullEndsTheRun() {
        Tealama run = Tealama.run("run", "-m", TestData.model(STORIES).toString(), "-c", "12", "--temp", "0",
                "-p", "Once upon a time").assertSuccess();
        assertTrue(run.err().contains("finish: context full"), run.err());
        assertTrue(run.err().contains("generated: 7 tokens"), run.err()); // 5 prompt tokens + 7 = 12 positions
    }
}

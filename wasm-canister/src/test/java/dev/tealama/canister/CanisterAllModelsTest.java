package dev.tealama.canister;

import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Every committed model with a llama.cpp reference, and the Q6_K one of ../shared, in the canister: greedy tokens as
 * llama.cpp's, tokens and last logits as the JVM's. Covers every weight format the test models use (F32, Q8_0, Q4_0,
 * Q4_K, Q6_K) and both tokenizers under TeaVM. Extended: the two models of the default run are in
 * {@link CanisterGenerationTest}.
 */
@Tag("extended")
class CanisterAllModelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama-2-tiny-random.gguf", "tiny-llama3-F32.gguf", "tiny-llama3-Q4_0.gguf",
            "tinyk-llama3-Q4_K.gguf"})
    void greedyAsLlamaCppAndTheJvm(String file) {
        check(TestData.readModel(file), file);
    }

    /** Models of ../shared (not committed): Q6_K, whose matrices run the Q6_K SIMD kernels. */
    @ParameterizedTest
    @ValueSource(strings = {"tinyk-llama3-Q6_K.gguf"})
    void sharedModelsGreedyAsLlamaCppAndTheJvm(String file) {
        check(TestData.readAll(TestData.shared().resolve("models").resolve(file)), file);
    }

    private static void check(byte[] model, String file) {
        TestCanister canister = new TestCanister();
        canister.upload(model, file);
        canister.load();
        Reference.Greedy ref = Reference.greedy(TestData.root().resolve("reference"), file);
        RecordValue greedy = TestCanister.options().set("template", "plain").set("temperature", 0f)
                .set("max_tokens", (long) ref.genIds().length);
        TestCanister.Generation g = canister.generate(TestCanister.USER, ref.prompt(), greedy);
        assertArrayEquals(ref.genIds(), g.tokens(), "greedy token ids against llama.cpp");
        int context = canister.defaultContext();
        JvmReference.Run jvm = JvmReference.generate(model, "plain", ref.prompt(), SamplingOptions.greedy(),
                ref.genIds().length, context);
        assertArrayEquals(jvm.tokens(), g.tokens());
        assertArrayEquals(jvm.logitsSha256(), canister.logitsSha256(TestCanister.USER, g.id()));
        canister.assertNoMessagePassedTheLimit();
    }
}

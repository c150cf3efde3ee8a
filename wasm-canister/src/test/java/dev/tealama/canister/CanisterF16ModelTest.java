package dev.tealama.canister;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.GgufWriter;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.tensor.Float16;
import dev.tealama.tensor.GgmlType;
import dev.tealama.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An F16 model in the canister (its matrices in the F16 Wasm SIMD kernel) against the JVM's scalar path: no F16 test
 * model is committed, so this one is stories260K with its matrices rounded to F16 (norms stay F32, as llama.cpp's
 * converter keeps them). Tokens, greedy and sampled, and the last logits bit for bit as the JVM's on the same file.
 */
class CanisterF16ModelTest {

    /** stories260K.gguf with every 2-D tensor rounded to F16. */
    private static byte[] storiesAsF16() {
        byte[] f32 = TestData.readModel("stories260K.gguf");
        GgufFile gguf = GgufFile.read(new ArrayByteSource(f32));
        GgufWriter writer = new GgufWriter();
        writer.putAll(gguf.metadata());
        writer.remove("general.file_type").putUInt32("general.file_type", 1); // llama.cpp's MOSTLY_F16
        for (TensorInfo t : gguf.tensors()) {
            byte[] data = new byte[(int) t.byteSize()];
            gguf.tensorData(t).read(0, data, 0, data.length);
            if (t.type() == GgmlType.F32 && t.nDims() == 2) {
                byte[] halves = new byte[data.length / 2];
                for (int i = 0; i < halves.length / 2; i++) {
                    short h = Float16.fromFloat(Float.intBitsToFloat((data[4 * i] & 0xFF) | (data[4 * i + 1] & 0xFF) << 8
                            | (data[4 * i + 2] & 0xFF) << 16 | data[4 * i + 3] << 24));
                    halves[2 * i] = (byte) h;
                    halves[2 * i + 1] = (byte) (h >> 8);
                }
                writer.addTensor(t.name(), GgmlType.F16, t.dims(), halves);
            } else {
                writer.addTensor(t.name(), t.type(), t.dims(), data);
            }
        }
        return writer.toByteArray();
    }

    @Test
    void tokensAndLogitsAsTheJvm() {
        byte[] model = storiesAsF16();
        TestCanister canister = new TestCanister();
        canister.upload(model, "stories-f16");
        canister.load();
        assertTrue(String.valueOf(canister.modelInfo().get("weight_types")).contains("F16"),
                "the converted file has F16 matrices: " + canister.modelInfo().get("weight_types"));
        String prompt = "Once upon a time, there was a little girl.";
        TestCanister.Generation g = JvmReference.assertGreedyAsTheJvm(canister, model, prompt, 12);
        System.out.println("stories260K as F16, greedy, 12 tokens after the prompt: " + g.instructions()
                + " instructions");
        int context = canister.defaultContext();
        for (long seed : List.of(3L, 99L)) {
            RecordValue sampled = TestCanister.options().set("template", "plain").set("seed", seed)
                    .set("max_tokens", 12L);
            TestCanister.Generation s = canister.generate(TestCanister.USER, prompt, sampled);
            JvmReference.Run j = JvmReference.generate(model, "plain", prompt, SamplingOptions.defaults(seed), 12,
                    context);
            assertArrayEquals(j.tokens(), s.tokens(), "sampled tokens, seed " + seed);
            assertArrayEquals(j.logitsSha256(), canister.logitsSha256(TestCanister.USER, s.id()), "logits, seed " + seed);
        }
        canister.assertNoMessagePassedTheLimit();
    }
}

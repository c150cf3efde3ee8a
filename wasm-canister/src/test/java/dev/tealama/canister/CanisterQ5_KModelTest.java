package dev.tealama.canister;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.GgufWriter;
import dev.tealama.gguf.TensorInfo;
import dev.tealama.tensor.GgmlType;
import dev.tealama.testing.TestData;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A Q5_K model in the canister (its matrices in the Q5_K Wasm SIMD kernels) against the JVM's scalar path. No Q5_K
 * test model exists, so this one is tinyk-llama3-Q4_K.gguf with each Q4_K super-block given the 32 bytes of fifth
 * bits that make it a Q5_K super-block (Q5_K is Q4_K's layout with those bits before the nibbles): deterministic
 * random bits, so every nibble's fifth bit is exercised. Greedy tokens and the last logits, bit for bit, as the JVM's
 * on the same file.
 */
class CanisterQ5_KModelTest {

    /** tinyk-llama3-Q4_K.gguf with every Q4_K tensor turned into Q5_K (random fifth bits). */
    private static byte[] tinykAsQ5_K() {
        byte[] q4 = TestData.readModel("tinyk-llama3-Q4_K.gguf");
        GgufFile gguf = GgufFile.read(new ArrayByteSource(q4));
        GgufWriter writer = new GgufWriter().alignment(gguf.alignment());
        writer.putAll(gguf.metadata());
        SplittableRandom random = new SplittableRandom(5);
        for (TensorInfo t : gguf.tensors()) {
            byte[] data = new byte[(int) t.byteSize()];
            gguf.tensorData(t).read(0, data, 0, data.length);
            if (t.type() != GgmlType.Q4_K) {
                writer.addTensor(t.name(), t.type(), t.dims(), data);
                continue;
            }
            int blocks = data.length / GgmlType.Q4_K.blockBytes();
            byte[] q5 = new byte[blocks * GgmlType.Q5_K.blockBytes()];
            for (int b = 0; b < blocks; b++) {
                int from = b * GgmlType.Q4_K.blockBytes();
                int to = b * GgmlType.Q5_K.blockBytes();
                System.arraycopy(data, from, q5, to, 16); // d, dmin, the 12 bytes of scales and mins
                for (int i = 0; i < 32; i++) {
                    q5[to + 16 + i] = (byte) random.nextInt(256); // qh
                }
                System.arraycopy(data, from + 16, q5, to + 48, 128); // the nibbles
            }
            writer.addTensor(t.name(), GgmlType.Q5_K, t.dims(), q5);
        }
        return writer.toByteArray();
    }

    @Test
    void tokensAndLogitsAsTheJvm() {
        byte[] model = tinykAsQ5_K();
        TestCanister canister = new TestCanister();
        canister.upload(model, "tinyk-q5_k");
        canister.load();
        assertTrue(String.valueOf(canister.modelInfo().get("weight_types")).contains("Q5_K"),
                "the converted file has Q5_K matrices: " + canister.modelInfo().get("weight_types"));
        TestCanister.Generation g = JvmReference.assertGreedyAsTheJvm(canister, model,
                "Once upon a time, there was a little girl named Lily.", 6);
        System.out.println("tinyk as Q5_K, greedy, 6 tokens after the prompt: " + g.instructions() + " instructions");
        canister.assertNoMessagePassedTheLimit();
    }
}

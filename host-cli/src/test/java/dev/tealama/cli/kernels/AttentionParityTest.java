package dev.tealama.cli.kernels;

import dev.tealama.model.Attention;
import dev.tealama.model.Kernels;
import dev.tealama.model.KvCache;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.ScalarKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HostKernels#attention} and {@link HostKernels#swiglu} against core's scalar code (the {@link Kernels}
 * defaults): random queries and a random F16 cache, heads of 8 to 128 elements (all, some or none of them on the
 * fused multiply-add path), grouped-query heads, batches at several positions, on several threads. SwiGLU is
 * bit-identical; attention may differ in a score's last bit (its dot products are summed in another order),
 * so its outputs are held to 1e-4 of their scale, and almost all must be identical.
 */
class AttentionParityTest {

    @ParameterizedTest(name = "headDim {0}, heads {1}/{2}, positions {3}+{4}, {5} threads")
    @CsvSource({"64, 32, 8, 0, 7, 2", "64, 8, 8, 100, 1, 1", "64, 4, 2, 37, 40, 3", "128, 4, 1, 10, 5, 2",
            "96, 6, 3, 50, 3, 2", "16, 4, 4, 20, 6, 1", "8, 2, 1, 64, 1, 2"})
    void vectorAttentionMatchesCore(int headDim, int heads, int kvHeads, int startPos, int count, int threads) {
        LlamaConfig config = config(headDim, heads, kvHeads);
        Attention attention = newAttention(config);
        int positions = startPos + count;
        KvCache cache = new KvCache(1, positions, config.kvDim(), true);
        SplittableRandom random = new SplittableRandom(headDim * 31L + heads + startPos);
        float[] key = new float[config.kvDim()];
        float[] value = new float[config.kvDim()];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < key.length; i++) {
                key[i] = (float) random.nextGaussian();
                value[i] = (float) random.nextGaussian() * 2;
            }
            cache.store(0, p, key, value);
        }
        float[][] q = new float[count][config.queryDim()];
        for (float[] row : q) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) random.nextGaussian() * 3;
            }
        }
        float[][] expected = new float[count][config.queryDim()];
        float[][] actual = new float[count][config.queryDim()];
        new ScalarKernels().attention(attention, q, count, cache, 0, startPos, expected);
        try (HostKernels kernels = new HostKernels(threads)) {
            kernels.attention(attention, q, count, cache, 0, startPos, actual);
        }
        int same = 0;
        int total = 0;
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < config.queryDim(); i++) {
                total++;
                if (Float.floatToIntBits(expected[t][i]) == Float.floatToIntBits(actual[t][i])) {
                    same++;
                    continue;
                }
                assertEquals(expected[t][i], actual[t][i], 1e-4 * 2, "token " + t + " element " + i);
            }
        }
        assertTrue(same >= 0.99 * total, same + " of " + total + " outputs identical");
    }

    @ParameterizedTest
    @CsvSource({"8192", "2048", "37"})
    void swigluIsBitIdentical(int length) {
        SplittableRandom random = new SplittableRandom(length);
        float[] gate = new float[length];
        float[] up = new float[length];
        for (int i = 0; i < length; i++) {
            gate[i] = (float) (random.nextGaussian() * (i % 7 == 0 ? 40 : 3));
            up[i] = (float) random.nextGaussian();
        }
        gate[0] = Float.NaN;
        if (length > 3) {
            gate[1] = Float.NEGATIVE_INFINITY;
            gate[2] = -100f;
            gate[3] = 100f;
        }
        float[] expected = gate.clone();
        float[] actual = gate.clone();
        new ScalarKernels().swiglu(expected, up, length);
        try (HostKernels kernels = new HostKernels(1)) {
            kernels.swiglu(actual, up, length);
        }
        for (int i = 0; i < length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "element " + i);
        }
    }

    private static LlamaConfig config(int headDim, int heads, int kvHeads) {
        return new LlamaConfig(headDim * heads, 1, heads, kvHeads, headDim, 8, 8, 4096, 1e-5f, 10000f, 1f, 1f);
    }

    private static Attention newAttention(LlamaConfig config) {
        return new Attention(config);
    }
}

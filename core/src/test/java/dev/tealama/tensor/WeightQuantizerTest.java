package dev.tealama.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.TealamaException;
import dev.tealama.testing.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quantizing every quantized tensor of tiny-llama3-F32.gguf gives exactly the bytes llama.cpp's
 * {@code llama-quantize --pure} wrote into tiny-llama3-Q8_0.gguf and tiny-llama3-Q4_0.gguf (tensor offsets from
 * gguf-py, testdata/tensor/quantize-offsets.txt).
 */
class WeightQuantizerTest {
    private static byte[] f32File;
    private static List<long[]> tensors; // elements, F32 offset, Q8_0 offset, Q4_0 offset
    private static List<String> names;

    @BeforeAll
    static void readModels() {
        f32File = TestData.readModel("tiny-llama3-F32.gguf");
        tensors = new ArrayList<>();
        names = new ArrayList<>();
        for (String line : new String(TensorFixtures.bytes("quantize-offsets.txt")).split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            names.add(f[0]);
            tensors.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4])});
        }
        assertEquals(15, tensors.size()); // token_embd and 7 matrices in each of 2 layers
    }

    @Test
    void q8_0MatchesLlamaQuantize() {
        assertQuantizesLike(Q8_0Format.INSTANCE, TestData.readModel("tiny-llama3-Q8_0.gguf"), 2);
    }

    @Test
    void q4_0MatchesLlamaQuantize() {
        assertQuantizesLike(Q4_0Format.INSTANCE, TestData.readModel("tiny-llama3-Q4_0.gguf"), 3);
    }

    private static void assertQuantizesLike(WeightQuantizer quantizer, byte[] quantizedFile, int offsetColumn) {
        GgmlType type = quantizer.type();
        long total = 0;
        for (int t = 0; t < tensors.size(); t++) {
            long[] info = tensors.get(t);
            int n = (int) info[0];
            float[] floats = new float[n];
            ByteBuffer.wrap(f32File, (int) info[1], 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
            byte[] out = new byte[(int) type.bytesFor(n) + 3];
            quantizer.quantize(floats, 0, out, 3, n);
            int expectedStart = (int) info[offsetColumn];
            for (int i = 0; i < type.bytesFor(n); i++) {
                if (out[3 + i] != quantizedFile[expectedStart + i]) {
                    int block = i / type.blockBytes();
                    throw new AssertionError(type + " " + names.get(t) + ": byte " + i + " (block " + block
                            + ") is " + out[3 + i] + ", llama-quantize wrote " + quantizedFile[expectedStart + i]);
                }
            }
            total += n;
        }
        assertTrue(total > 8_000_000);
    }

    @Test
    void offersQ8_0AndQ4_0Only() {
        assertSame(Q8_0Format.INSTANCE, WeightQuantizer.of(GgmlType.Q8_0));
        assertSame(Q4_0Format.INSTANCE, WeightQuantizer.of(GgmlType.Q4_0));
        TealamaException e = assertThrows(TealamaException.class, () -> WeightQuantizer.of(GgmlType.Q4_K));
        assertEquals("cannot quantize to Q4_K (supported: Q8_0, Q4_0)", e.getMessage());
    }

    @Test
    void zeroBlocksQuantizeToZero() {
        byte[] out = new byte[34 + 18];
        Q8_0Format.INSTANCE.quantize(new float[32], 0, out, 0, 32);
        Q4_0Format.INSTANCE.quantize(new float[32], 0, out, 34, 32);
        for (int i = 0; i < 34; i++) {
            assertEquals(0, out[i]);
        }
        // Q4_0 of zeros: d = max / -8 = 0.0f / -8 = -0.0f (fp16 0x8000), every nibble (int) (0 + 8.5) = 8
        assertEquals(0, out[34]);
        assertEquals((byte) 0x80, out[35]);
        for (int i = 36; i < 52; i++) {
            assertEquals((byte) 0x88, out[i]);
        }
    }
}

package dev.tealama.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.TealamaException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightFormatTest {
    /** ggml's type_traits_cpu vec_dot_type of each supported weight type (ggml-cpu/ggml-cpu.c). */
    private static final Map<GgmlType, ActivationType> VEC_DOT_TYPE = Map.of(
            GgmlType.F32, ActivationType.F32,
            GgmlType.F16, ActivationType.F16,
            GgmlType.BF16, ActivationType.BF16,
            GgmlType.Q8_0, ActivationType.Q8_0,
            GgmlType.Q4_0, ActivationType.Q8_0,
            GgmlType.Q4_1, ActivationType.Q8_1,
            GgmlType.Q4_K, ActivationType.Q8_K,
            GgmlType.Q5_K, ActivationType.Q8_K,
            GgmlType.Q6_K, ActivationType.Q8_K);

    @Test
    void everySupportedTypeHasItsFormatAndGgmlsActivationType() {
        for (GgmlType type : GgmlType.values()) {
            if (type.isSupported()) {
                WeightFormat format = WeightFormat.of(type);
                assertEquals(type, format.type());
                assertEquals(VEC_DOT_TYPE.get(type), format.activationType(), type.name());
                assertEquals(type.blockSize(), format.blockSize());
                // a weight block lines up with whole activation blocks
                assertEquals(0, format.blockSize() % format.activationType().blockSize(), type.name());
            }
        }
        assertEquals(VEC_DOT_TYPE.size(), java.util.Arrays.stream(GgmlType.values())
                .filter(GgmlType::isSupported).count());
    }

    @Test
    void unsupportedTypesAreNamed() {
        for (GgmlType type : GgmlType.values()) {
            if (!type.isSupported()) {
                TealamaException e = assertThrows(TealamaException.class, () -> WeightFormat.of(type));
                assertTrue(e.getMessage().startsWith("weights of type " + type + " are not supported"), e.getMessage());
            }
        }
        assertThrows(TealamaException.class, () -> WeightFormat.of(null));
    }

    @Test
    void rejectsRangesOutsideTheArrays() {
        WeightFormat q4 = WeightFormat.of(GgmlType.Q4_0);
        byte[] twoBlocks = new byte[36];
        float[] out = new float[64];
        QuantizedVector x = new QuantizedVector(ActivationType.Q8_0, 64);
        x.quantize(new float[64], 0, 64);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q4.dequantize(twoBlocks, 1, out, 0, 64));
        assertEquals("64 Q4_0 elements (36 bytes) at offset 1 run past the end of a 36-byte array", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> q4.dequantize(twoBlocks, 0, out, 1, 64));
        assertThrows(IllegalArgumentException.class, () -> q4.dequantize(twoBlocks, -18, out, 0, 32));
        e = assertThrows(IllegalArgumentException.class, () -> q4.dequantize(twoBlocks, 0, out, 0, 40));
        assertEquals("40 elements is not a whole number of Q4_0 blocks of 32", e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> q4.dot(twoBlocks, 18, x, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> q4.dot(twoBlocks, 0, x, 32, 64));
        assertThrows(IllegalArgumentException.class, () -> q4.dot(twoBlocks, 0, x, 16, 32));
        e = assertThrows(IllegalArgumentException.class,
                () -> q4.dot(twoBlocks, 0, new QuantizedVector(ActivationType.Q8_1, 64), 0, 64));
        assertEquals("activations are Q8_1, the weights need Q8_0", e.getMessage());
        // x holds 64 elements: asking for the first 32 is fine
        assertEquals(0f, q4.dot(twoBlocks, 0, x, 32, 32));
    }

    @Test
    void everyFormatChecksItsRanges() {
        for (GgmlType type : VEC_DOT_TYPE.keySet()) {
            WeightFormat format = WeightFormat.of(type);
            int n = 256;
            byte[] w = new byte[(int) type.bytesFor(n)];
            QuantizedVector x = new QuantizedVector(format.activationType(), n);
            x.quantize(new float[n], 0, n);
            assertThrows(IllegalArgumentException.class, () -> format.dequantize(w, 1, new float[n], 0, n), type.name());
            assertThrows(IllegalArgumentException.class, () -> format.dequantize(w, 0, new float[n - 1], 0, n), type.name());
            assertThrows(IllegalArgumentException.class, () -> format.dot(w, 1, x, 0, n), type.name());
            assertThrows(IllegalArgumentException.class, () -> format.dot(w, 0, x, 0, 2 * n), type.name());
            // all-zero bytes are valid blocks of every format (scales 0), with dot product 0
            assertEquals(0f, format.dot(w, 0, x, 0, n), type.name());
        }
    }
}

package dev.tealama.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dequantization of real tensor rows (from the project's models) against ggml's {@code dequantize_row_*},
 * which the fixture script also checked against gguf-py's {@code gguf.quants.dequantize}.
 */
class DequantizeTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void matchesGgml(GgmlType type) {
        byte[] weights = TensorFixtures.bytes("weights/" + type + ".bin");
        float[] expected = TensorFixtures.floats("weights/" + type + ".dequant.f32");
        WeightFormat format = WeightFormat.of(type);
        assertEquals(8 * TensorFixtures.columns(type), expected.length); // the first 8 rows of the fixture

        float[] all = new float[expected.length];
        format.dequantize(weights, 0, all, 0, expected.length);
        for (int i = 0; i < expected.length; i++) {
            TensorFixtures.assertSameFloat(expected[i], all[i], type + " element " + i);
        }

        // one row from the middle, into the middle of a larger array
        int columns = TensorFixtures.columns(type);
        int row = 5;
        float[] out = new float[columns + 10];
        format.dequantize(weights, (int) type.bytesFor((long) row * columns), out, 3, columns);
        for (int i = 0; i < columns; i++) {
            TensorFixtures.assertSameFloat(expected[row * columns + i], out[3 + i], type + " row 5 column " + i);
        }
        assertEquals(0f, out[2]);
        assertEquals(0f, out[3 + columns]);
    }
}

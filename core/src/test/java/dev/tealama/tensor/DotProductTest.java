package dev.tealama.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every format's dot product on real weight rows against ggml: bit for bit against the generic C code
 * ({@code ggml_vec_dot_*_generic} / scalar {@code ggml_vec_dot_f32/f16/bf16}, compiled without FMA
 * contraction), and close to the SIMD code llama.cpp runs on x86.
 */
class DotProductTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void matchesGgmlsGenericCode(GgmlType type) {
        WeightFormat format = WeightFormat.of(type);
        byte[] weights = TensorFixtures.bytes("weights/" + type + ".bin");
        float[] x = TensorFixtures.floats("x/" + type + ".f32");
        float[] expected = TensorFixtures.floats("dot/" + type + ".f32");
        int columns = TensorFixtures.columns(type);
        assertEquals(columns, x.length);
        int rowBytes = (int) type.bytesFor(columns);
        int rows = weights.length / rowBytes;
        assertEquals(rows * 3, expected.length);

        QuantizedVector q = new QuantizedVector(format.activationType(), columns);
        q.quantize(x, 0, columns);
        float[] dequantizedWeights = new float[columns];
        float[] dequantizedX = Dequantized.of(q);
        for (int row = 0; row < rows; row++) {
            float dot = format.dot(weights, row * rowBytes, q, 0, columns);
            TensorFixtures.assertSameFloat(expected[3 * row], dot, type + " row " + row);

            // The SIMD kernels sum in another order: within 1e-6 of the sum of the terms' magnitudes. (F16's
            // SIMD kernel on the fixture machine accumulates in half precision, so it is not compared.)
            if (type != GgmlType.F16) {
                format.dequantize(weights, row * rowBytes, dequantizedWeights, 0, columns);
                double magnitude = 0;
                for (int i = 0; i < columns; i++) {
                    magnitude += Math.abs((double) dequantizedWeights[i] * dequantizedX[i]);
                }
                float simd = expected[3 * row + 1];
                assertTrue(Math.abs(simd - dot) <= 1e-6 * magnitude,
                        type + " row " + row + ": SIMD " + simd + " vs " + dot + ", magnitude " + magnitude);
            }
        }
    }

    /**
     * Each block's term alone (a dot product over one block, or 32 elements for the float types): a difference
     * in how a block's term is rounded can hide in a whole row's sum, not here.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void matchesGgmlsGenericCodeBlockByBlock(GgmlType type) {
        WeightFormat format = WeightFormat.of(type);
        byte[] weights = TensorFixtures.bytes("weights/" + type + ".bin");
        float[] x = TensorFixtures.floats("x/" + type + ".f32");
        float[] expected = TensorFixtures.floats("dot/" + type + ".blocks.f32");
        int columns = x.length;
        int segment = type.blockSize() > 1 ? type.blockSize() : 32;
        int segments = columns / segment;
        int rows = weights.length / (int) type.bytesFor(columns);
        assertEquals(rows * segments, expected.length);

        QuantizedVector q = new QuantizedVector(format.activationType(), columns);
        q.quantize(x, 0, columns);
        for (int row = 0; row < rows; row++) {
            for (int s = 0; s < segments; s++) {
                int element = row * columns + s * segment;
                float dot = format.dot(weights, (int) type.bytesFor(element), q, s * segment, segment);
                TensorFixtures.assertSameFloat(expected[row * segments + s], dot, type + " row " + row + " block " + s);
            }
        }
    }

    /**
     * Random blocks against activations correlated with them (testdata/tensor/stress, see ggml_reference.c):
     * large integer block sums, so every float rounding step of ggml's generic code shows in the result.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void matchesGgmlsGenericCodeOnCorrelatedData(GgmlType type) {
        WeightFormat format = WeightFormat.of(type);
        byte[] weights = TensorFixtures.bytes("stress/" + type + ".bin");
        float[] x = TensorFixtures.floats("stress/" + type + ".x.f32");
        float[] expected = TensorFixtures.floats("stress/" + type + ".dots.f32");
        int blocks = x.length / type.blockSize();
        assertEquals(blocks + 2, expected.length);

        QuantizedVector q = new QuantizedVector(format.activationType(), x.length);
        q.quantize(x, 0, x.length);
        for (int b = 0; b < blocks; b++) {
            float dot = format.dot(weights, b * type.blockBytes(), q, b * type.blockSize(), type.blockSize());
            TensorFixtures.assertSameFloat(expected[b], dot, type + " block " + b);
        }
        TensorFixtures.assertSameFloat(expected[blocks], format.dot(weights, 0, q, 0, x.length), type + " all blocks");
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void readsActivationsAtAnOffset(GgmlType type) {
        WeightFormat format = WeightFormat.of(type);
        byte[] weights = TensorFixtures.bytes("weights/" + type + ".bin");
        float[] x = TensorFixtures.floats("x/" + type + ".f32");
        float[] expected = TensorFixtures.floats("dot/" + type + ".f32");
        int columns = x.length;
        int rowBytes = (int) type.bytesFor(columns);

        // x after one row's worth of other values: quantized blocks are independent, so the tail equals q(x)
        float[] longer = new float[2 * columns];
        for (int i = 0; i < columns; i++) {
            longer[i] = (i % 7) - 3.5f;
            longer[columns + i] = x[i];
        }
        QuantizedVector q = new QuantizedVector(format.activationType(), 2 * columns);
        q.quantize(longer, 0, 2 * columns);
        TensorFixtures.assertSameFloat(expected[3 * 2], format.dot(weights, 2 * rowBytes, q, columns, columns),
                type + " row 2 against x at offset " + columns);
    }
}

package dev.tealama.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Activation quantization against ggml's own x86 output ({@code quantize_row_q8_0}, {@code _q8_1},
 * {@code _q8_K}, {@code ggml_cpu_fp32_to_fp16}, {@code ggml_fp32_to_bf16_row_ref}) on the edge cases of
 * {@code testdata/tensor/activations.f32}.
 */
class QuantizedVectorTest {
    private static final float[] X = TensorFixtures.floats("activations.f32");

    /** The fixture vector placed at an offset inside a larger array, to exercise {@code offset}. */
    private static QuantizedVector quantize(ActivationType type) {
        float[] padded = new float[X.length + 7];
        System.arraycopy(X, 0, padded, 5, X.length);
        QuantizedVector v = new QuantizedVector(type, X.length);
        v.quantize(padded, 5, X.length);
        assertEquals(X.length, v.length());
        return v;
    }

    @Test
    void q8_0MatchesGgml() {
        QuantizedVector v = quantize(ActivationType.Q8_0);
        ByteBuffer expected = TensorFixtures.buffer("activations.q8_0.bin");
        for (int block = 0; block < X.length / 32; block++) {
            float d = Float16.toFloat(expected.getShort());
            TensorFixtures.assertSameFloat(d, v.scales()[block], "d of block " + block);
            for (int j = 0; j < 32; j++) {
                assertEquals(expected.get(), v.quants()[block * 32 + j], "quant " + (block * 32 + j));
            }
        }
    }

    @Test
    void q8_1MatchesGgml() {
        QuantizedVector v = quantize(ActivationType.Q8_1);
        ByteBuffer expected = TensorFixtures.buffer("activations.q8_1.bin");
        for (int block = 0; block < X.length / 32; block++) {
            TensorFixtures.assertSameFloat(Float16.toFloat(expected.getShort()), v.scales()[block], "d of " + block);
            TensorFixtures.assertSameFloat(Float16.toFloat(expected.getShort()), v.blockSums()[block], "s of " + block);
            for (int j = 0; j < 32; j++) {
                assertEquals(expected.get(), v.quants()[block * 32 + j], "quant " + (block * 32 + j));
            }
        }
    }

    @Test
    void q8_KMatchesGgml() {
        QuantizedVector v = quantize(ActivationType.Q8_K);
        ByteBuffer expected = TensorFixtures.buffer("activations.q8_K.bin");
        for (int block = 0; block < X.length / 256; block++) {
            TensorFixtures.assertSameFloat(expected.getFloat(), v.scales()[block], "d of block " + block);
            for (int j = 0; j < 256; j++) {
                assertEquals(expected.get(), v.quants()[block * 256 + j], "quant " + (block * 256 + j));
            }
            for (int g = 0; g < 16; g++) {
                assertEquals(expected.getShort(), v.groupSums()[block * 16 + g], "bsum " + g + " of block " + block);
            }
        }
    }

    @Test
    void f16RoundsAsGgmlDoes() {
        QuantizedVector v = quantize(ActivationType.F16);
        ByteBuffer expected = TensorFixtures.buffer("activations.f16.bin");
        for (int i = 0; i < X.length; i++) {
            TensorFixtures.assertSameFloat(Float16.toFloat(expected.getShort()), v.values()[i], "element " + i);
        }
    }

    @Test
    void bf16RoundsAsGgmlDoes() {
        QuantizedVector v = quantize(ActivationType.BF16);
        ByteBuffer expected = TensorFixtures.buffer("activations.bf16.bin");
        for (int i = 0; i < X.length; i++) {
            TensorFixtures.assertSameFloat(BFloat16.toFloat(expected.getShort()), v.values()[i], "element " + i);
        }
    }

    @Test
    void f32IsACopy() {
        QuantizedVector v = quantize(ActivationType.F32);
        assertArrayEquals(X, java.util.Arrays.copyOf(v.values(), X.length));
    }

    @Test
    void reusesItsBuffersForShorterVectors() {
        QuantizedVector v = new QuantizedVector(ActivationType.Q8_0, X.length);
        byte[] quants = v.quants();
        v.quantize(X, 0, X.length);
        v.quantize(X, 512, 64);
        assertEquals(64, v.length());
        QuantizedVector fresh = new QuantizedVector(ActivationType.Q8_0, 64);
        fresh.quantize(X, 512, 64);
        assertArrayEquals(fresh.quants(), java.util.Arrays.copyOf(v.quants(), 64));
        assertEquals(fresh.scales()[1], v.scales()[1]);
        assertEquals(quants, v.quants(), "same buffer");
    }

    @Test
    void unusedBuffersAreEmpty() {
        QuantizedVector q = new QuantizedVector(ActivationType.Q8_0, 64);
        assertEquals(0, q.values().length);
        assertEquals(0, q.groupSums().length);
        assertEquals(0, q.blockSums().length);
        QuantizedVector f = new QuantizedVector(ActivationType.F16, 64);
        assertEquals(0, f.quants().length);
        assertEquals(64, f.values().length);
    }

    @Test
    void rejectsBadLengths() {
        assertThrows(IllegalArgumentException.class, () -> new QuantizedVector(ActivationType.Q8_K, 300));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedVector(ActivationType.Q8_0, -32));
        QuantizedVector v = new QuantizedVector(ActivationType.Q8_0, 64);
        IllegalArgumentException notWhole = assertThrows(IllegalArgumentException.class, () -> v.quantize(X, 0, 40));
        assertEquals("cannot quantize 40 elements to Q8_0: need a multiple of 32 up to the capacity 64",
                notWhole.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.quantize(X, 0, 96));
        assertThrows(IllegalArgumentException.class, () -> v.quantize(new float[40], 16, 32));
        assertThrows(IllegalArgumentException.class, () -> v.quantize(X, -1, 32));
    }
}

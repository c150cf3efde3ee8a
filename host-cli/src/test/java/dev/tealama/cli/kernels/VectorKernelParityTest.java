package dev.tealama.cli.kernels;

import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every vector kernel against its scalar reference, core's {@link WeightFormat#dot}, on random rows: the same value
 * up to the order of float summation (within {@link KernelFixtures#tolerance} of {@code Σ|terms|}), and for the
 * K-quants, whose vector kernels keep the scalar order, the same bits.
 */
class VectorKernelParityTest {

    @Provide
    Arbitrary<GgmlType> types() {
        return Arbitraries.of(KernelFixtures.TYPES);
    }

    @Property(tries = 400)
    void vectorDotMatchesScalarDot(@ForAll("types") GgmlType type, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int blockSize = type.blockSize() == 1 ? 32 : type.blockSize();
        // up to 40 blocks of 32: covers whole rounds of 16 blocks and every tail length
        int cols = blockSize * (1 + random.nextInt(blockSize == 256 ? 6 : 40));
        if (type.blockSize() == 1 && random.nextBoolean()) {
            cols += 1 + random.nextInt(7); // float rows need not be a multiple of the vector length
        }
        check(type, cols, random, KernelFixtures.activations(type, cols, random));
    }

    /**
     * Activations quantized from a block of subnormal floats: x86 ggml's Q8_0 / Q8_1 multiplier overflows and every
     * quant of the block becomes -128, the one value the fast Q8_0 path cannot take.
     */
    @Test
    void quantsOfMinus128AreExact() {
        SplittableRandom random = new SplittableRandom(7);
        for (GgmlType type : KernelFixtures.TYPES) {
            int cols = type.blockSize() == 256 ? 512 : 1024;
            float[] x = new float[cols];
            for (int i = 0; i < cols; i++) {
                x[i] = (float) random.nextGaussian();
            }
            for (int i = 64; i < 96; i++) {
                x[i] = 1e-42f * (i % 3 - 1);
            }
            QuantizedVector q = KernelFixtures.quantize(type, x);
            if (q.type() == ActivationType.Q8_0 || q.type() == ActivationType.Q8_1) {
                assertEquals(-128, q.quants()[64], "the subnormal block quantizes to -128");
            }
            check(type, cols, random, q);
        }
    }

    /** Weights of -128 times activations of -128: the largest int8 product, 16384, in every lane. */
    @Test
    void extremeQ8_0Blocks() {
        int cols = 32 * 20;
        byte[] w = new byte[cols / 32 * 34];
        for (int b = 0; b < cols / 32; b++) {
            w[34 * b] = 0x00;
            w[34 * b + 1] = 0x3C; // fp16 1.0
            for (int j = 0; j < 32; j++) {
                w[34 * b + 2 + j] = (byte) (b % 2 == 0 ? -128 : 127);
            }
        }
        for (float value : new float[] {1e-42f, -1f, 1f}) {
            float[] x = new float[cols];
            java.util.Arrays.fill(x, value);
            QuantizedVector q = KernelFixtures.quantize(GgmlType.Q8_0, x);
            float expected = WeightFormat.of(GgmlType.Q8_0).dot(w, 0, q, 0, cols);
            assertEquals(expected, vectorDot(GgmlType.Q8_0, w, 0, cols, q), Math.abs(expected) * 1e-6);
        }
    }

    /**
     * A batch: rows times 19 tokens, through the kernels' batched path (Q4_0 and Q8_0 multiply each block by groups
     * of 8 tokens, adding each token's terms in the scalar order: the scalar bits), with a token holding -128 quants
     * in the second group (which Q8_0 then computes token by token).
     */
    @Property(tries = 60)
    void batchedMultiplyMatchesScalarDot(@ForAll("types") GgmlType type, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int blockSize = type.blockSize() == 1 ? 32 : type.blockSize();
        int cols = blockSize * (1 + random.nextInt(blockSize == 256 ? 3 : 12));
        int rows = 1 + random.nextInt(20);
        int count = 19;
        QuantizedVector[] x = new QuantizedVector[count];
        for (int t = 0; t < count; t++) {
            x[t] = KernelFixtures.activations(type, cols, random);
        }
        if (type == GgmlType.Q8_0 || type == GgmlType.Q4_0) {
            float[] values = new float[cols];
            for (int i = 0; i < cols; i++) {
                values[i] = i < 32 ? 1e-42f : (float) random.nextGaussian();
            }
            x[10] = KernelFixtures.quantize(type, values);
        }
        byte[] w = KernelFixtures.weights(type, rows, cols, random);
        int rowBytes = (int) type.bytesFor(cols);
        Activations prepared = new Activations();
        prepared.prepare(x, count);
        float[][] out = new float[count][rows];
        WeightKernel.of(WeightFormat.of(type)).multiply(MemorySegment.ofArray(w), rowBytes, cols, 0, rows, prepared,
                out, new Scratch());
        for (int t = 0; t < count; t++) {
            for (int r = 0; r < rows; r++) {
                float scalar = WeightFormat.of(type).dot(w, r * rowBytes, x[t], 0, cols);
                String what = type + " row " + r + " token " + t + " of " + cols + " columns";
                boolean grouped = (type == GgmlType.Q4_0 || type == GgmlType.Q8_0) && t < 16;
                if (grouped || type == GgmlType.Q4_K || type == GgmlType.Q5_K || type == GgmlType.Q6_K) {
                    assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[t][r]),
                            what + ": scalar " + scalar + ", vector " + out[t][r]);
                    continue;
                }
                double tolerance = KernelFixtures.tolerance(cols / 32, KernelFixtures.magnitude(type, w, r * rowBytes, x[t], cols));
                assertTrue(Math.abs(scalar - out[t][r]) <= tolerance, what + ": scalar " + scalar + ", vector "
                        + out[t][r] + ", tolerance " + tolerance);
            }
        }
    }

    static void check(GgmlType type, int cols, SplittableRandom random, QuantizedVector x) {
        int rows = 3;
        byte[] w = KernelFixtures.weights(type, rows, cols, random);
        int rowBytes = (int) type.bytesFor(cols);
        for (int r = 0; r < rows; r++) {
            float scalar = WeightFormat.of(type).dot(w, r * rowBytes, x, 0, cols);
            float vector = vectorDot(type, w, r * rowBytes, cols, x);
            String what = type + " row " + r + " of " + cols + " columns";
            if (type == GgmlType.Q4_K || type == GgmlType.Q5_K || type == GgmlType.Q6_K) {
                assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(vector),
                        what + ": scalar " + scalar + ", vector " + vector);
                continue;
            }
            double magnitude = KernelFixtures.magnitude(type, w, r * rowBytes, x, cols);
            double tolerance = KernelFixtures.tolerance(cols / 32, magnitude);
            boolean bothNaN = Float.isNaN(scalar) && Float.isNaN(vector);
            assertTrue(bothNaN || Math.abs(scalar - vector) <= tolerance, what + ": scalar " + scalar + ", vector "
                    + vector + ", tolerance " + tolerance);
        }
    }

    static float vectorDot(GgmlType type, byte[] w, int offset, int cols, QuantizedVector x) {
        Activations prepared = new Activations();
        prepared.prepare(new QuantizedVector[] {x}, 1);
        WeightKernel kernel = WeightKernel.of(WeightFormat.of(type));
        return kernel.dot(MemorySegment.ofArray(w), offset, cols, prepared, 0, new Scratch());
    }
}

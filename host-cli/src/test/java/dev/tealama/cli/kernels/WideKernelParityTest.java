package dev.tealama.cli.kernels;

import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 16-float-lane one-token kernels ({@link Q8_0Kernel#wideDot}, {@link Q4_0Kernel#wideDot}) against core's scalar
 * dot products, called directly so that they are checked on every machine (where 512-bit vectors are not native
 * the Vector API emulates them: slow, same results). {@link VectorKernelParityTest} checks them again through
 * {@link WeightKernel#dot} where the host uses them; {@link #tokenLanesAcrossTilesAndGroups} checks the prompt kernel.
 */
class WideKernelParityTest {

    @Property(tries = 300)
    void wideDotMatchesScalarDot(@ForAll boolean q8, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GgmlType type = q8 ? GgmlType.Q8_0 : GgmlType.Q4_0;
        int cols = 32 * (1 + random.nextInt(70)); // whole rounds of 16 blocks and every tail length
        check(type, cols, KernelFixtures.activations(type, cols, random), random);
    }

    /** Activations of -128 (a subnormal block) and weights of -128: exact in float lanes too. */
    @Test
    void extremeQuants() {
        SplittableRandom random = new SplittableRandom(11);
        for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
            int cols = 32 * 40;
            float[] x = new float[cols];
            for (int i = 0; i < cols; i++) {
                x[i] = i >= 64 && i < 96 ? 1e-42f * (i % 3 - 1) : (float) random.nextGaussian();
            }
            QuantizedVector q = KernelFixtures.quantize(type, x);
            assertEquals(-128, q.quants()[64], "the subnormal block quantizes to -128");
            check(type, cols, q, random);
        }
        int cols = 32 * 20;
        byte[] w = new byte[cols / 32 * 34];
        for (int b = 0; b < cols / 32; b++) {
            w[34 * b + 1] = 0x3C; // fp16 1.0
            for (int j = 0; j < 32; j++) {
                w[34 * b + 2 + j] = (byte) (b % 2 == 0 ? -128 : 127);
            }
        }
        float[] x = new float[cols];
        java.util.Arrays.fill(x, 1e-42f);
        QuantizedVector q = KernelFixtures.quantize(GgmlType.Q8_0, x);
        float expected = WeightFormat.of(GgmlType.Q8_0).dot(w, 0, q, 0, cols);
        assertEquals(expected, wide(GgmlType.Q8_0, w, 0, cols, q), Math.abs(expected) * 1e-6);
    }

    /**
     * {@link TokenLanes} over two row tiles (the second ending in a short quad of rows) and three groups of 16 tokens
     * (a pair, one of them holding a token of -128 quants, then one alone), then 7 tokens left over: the grouped
     * tokens get the scalar kernels' bits, the others are within the one-token tolerance.
     */
    @Test
    void tokenLanesAcrossTilesAndGroups() {
        SplittableRandom random = new SplittableRandom(5);
        for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
            int cols = 32 * 64;
            int rowBytes = (int) type.bytesFor(cols);
            int rows = TokenLanes.TILE_BYTES / rowBytes + 7;
            int count = 3 * TokenLanes.TOKENS + 7; // a pair of groups (see TokenLanes#PAIRS), then one group
            QuantizedVector[] x = new QuantizedVector[count];
            for (int t = 0; t < count; t++) {
                x[t] = KernelFixtures.activations(type, cols, random);
            }
            float[] subnormal = new float[cols];
            for (int i = 0; i < cols; i++) {
                subnormal[i] = i < 32 ? 1e-42f : (float) random.nextGaussian();
            }
            x[20] = KernelFixtures.quantize(type, subnormal);
            byte[] w = KernelFixtures.weights(type, rows, cols, random);
            Activations prepared = new Activations();
            prepared.prepare(x, count);
            float[][] out = new float[count][rows];
            WeightKernel.of(WeightFormat.of(type)).multiply(MemorySegment.ofArray(w), rowBytes, cols, 0, rows,
                    prepared, out, new Scratch());
            for (int t = 0; t < count; t++) {
                for (int r = 0; r < rows; r++) {
                    float scalar = WeightFormat.of(type).dot(w, r * rowBytes, x[t], 0, cols);
                    String what = type + " row " + r + " token " + t + ": scalar " + scalar + ", vector " + out[t][r];
                    if (Lanes.WIDE && t < 3 * TokenLanes.TOKENS) {
                        assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[t][r]), what);
                    } else {
                        double tolerance = KernelFixtures.tolerance(cols / 32,
                                KernelFixtures.magnitude(type, w, r * rowBytes, x[t], cols));
                        assertTrue(Math.abs(scalar - out[t][r]) <= tolerance, what);
                    }
                }
            }
        }
    }

    private static void check(GgmlType type, int cols, QuantizedVector x, SplittableRandom random) {
        int rows = 3;
        byte[] w = KernelFixtures.weights(type, rows, cols, random);
        int rowBytes = (int) type.bytesFor(cols);
        for (int r = 0; r < rows; r++) {
            float scalar = WeightFormat.of(type).dot(w, r * rowBytes, x, 0, cols);
            float wide = wide(type, w, r * rowBytes, cols, x);
            double tolerance = KernelFixtures.tolerance(cols / 32,
                    KernelFixtures.magnitude(type, w, r * rowBytes, x, cols));
            assertTrue(Math.abs(scalar - wide) <= tolerance, type + " row " + r + " of " + cols + " columns: scalar "
                    + scalar + ", wide " + wide + ", tolerance " + tolerance);
        }
    }

    private static float wide(GgmlType type, byte[] w, int offset, int cols, QuantizedVector x) {
        Activations prepared = new Activations();
        prepared.prepare(new QuantizedVector[] {x}, 1);
        MemorySegment segment = MemorySegment.ofArray(w);
        return type == GgmlType.Q8_0
                ? Q8_0Kernel.wideDot(segment, offset, cols / 32, prepared.floatQuants(0), prepared.scales(0), new Scratch())
                : Q4_0Kernel.wideDot(segment, offset, cols / 32, prepared.floatQuants(0), prepared.scales(0), new Scratch());
    }
}

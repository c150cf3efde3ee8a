package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.F16Format;
import dev.tealama.tensor.F32Format;
import dev.tealama.tensor.Float16;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;


import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The F32 and F16 matrix kernels ({@code f32_rows4_t1}, {@code f16_rows4_t1} of {@code src/main/wat/simd-kernels.wat},
 * as the build assembled them) run metered in the local IC host against core's scalar {@link F32Format#dot} and
 * {@link F16Format#dot} (the reference): every result bit for bit, on values where the order and width of the
 * additions show (signed zeros, subnormals, products far apart in magnitude that cancel), for column counts with and
 * without leftovers after the kernels' 32- and 4-column steps, and the instructions per weight they cost.
 */
class FloatKernelsParityTest {
    private static final int W = 1 << 16;
    private static MeteredLibrary kernels;

    @BeforeAll
    static void load() {
        kernels = BuiltShims.load("simd-kernels", 512);
    }

    /**
     * A value of a random kind: mostly ordinary, sometimes zero or negative zero, a subnormal, a tiny normal, or a
     * large magnitude (F32: products up to ~1e30, where a float sum would lose what the double sum keeps).
     */
    private static float value(Random random, GgmlType type) {
        boolean f32 = type == GgmlType.F32;
        switch (random.nextInt(12)) {
            case 0:
                return random.nextBoolean() ? 0f : -0f;
            case 1: // subnormal (or zero)
                return f32 ? Float.MIN_VALUE * (random.nextInt(1 << 20) - (1 << 19))
                        : Float16.toFloat((short) ((random.nextInt(0x400)) | (random.nextBoolean() ? 0x8000 : 0)));
            case 2:
                return (float) (random.nextGaussian() * (f32 ? 1e-37 : 1e-5));
            case 3:
                return (float) (random.nextGaussian() * (f32 ? 1e15 : 2e4));
            default:
                return (float) random.nextGaussian();
        }
    }

    /** {@code values} encoded as {@code type} (F16: each rounded to the nearest half), little-endian. */
    private static byte[] encode(float[] values, GgmlType type) {
        ByteBuffer b = ByteBuffer.allocate(type.blockBytes() * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (type == GgmlType.F32) {
                b.putFloat(v);
            } else {
                b.putShort(Float16.fromFloat(v));
            }
        }
        return b.array();
    }

    /**
     * Runs the kernel of {@code type} on {@code rows} (a multiple of 4) rows of {@code cols} random weights,
     * {@code stride} bytes apart, times random activations, and checks each result against the scalar dot product of
     * that row; returns the instructions of the call.
     */
    private static long check(GgmlType type, Random random, int rows, int cols, int stride) {
        float[] w = new float[rows * stride / type.blockBytes()];
        for (int i = 0; i < w.length; i++) {
            w[i] = value(random, type);
        }
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = value(random, type);
        }
        return check(type, w, x, rows, cols, stride);
    }

    /**
     * Weights and activations whose result depends on the order of the additions: in each row, products of one
     * large magnitude P that cancel exactly (as many +P as -P, in random places) among small products that an
     * accumulator holding about P partly absorbs (F32: P = 1e20, small products ~1, a double's ulp at 1e20 is 16384;
     * F16: P = 65504², small products ~1e-5, the ulp ~1e-6). The result is what the small products left, so adding
     * them in another order, or in float, gives other bits.
     */
    private static long checkCancelling(GgmlType type, Random random, int rows, int cols) {
        boolean f32 = type == GgmlType.F32;
        float big = f32 ? 1e10f : 65504f;
        float[] x = new float[cols];
        int bigColumns = 0;
        for (int i = 0; i < cols; i++) {
            boolean isBig = random.nextBoolean();
            x[i] = isBig ? big : (float) random.nextGaussian() * (f32 ? 1f : 1e-5f);
            bigColumns += isBig ? 1 : 0;
        }
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            // the big columns' weights, in random order: as many +big as -big, and a zero if their count is odd
            int plus = bigColumns / 2;
            int minus = bigColumns / 2;
            int zero = bigColumns % 2;
            for (int i = 0; i < cols; i++) {
                if (x[i] == big) {
                    int pick = random.nextInt(plus + minus + zero);
                    if (pick < plus) {
                        w[r * cols + i] = big;
                        plus--;
                    } else if (pick < plus + minus) {
                        w[r * cols + i] = -big;
                        minus--;
                    } else {
                        zero--;
                    }
                } else {
                    w[r * cols + i] = (float) random.nextGaussian();
                }
            }
        }
        return check(type, w, x, rows, cols, type.blockBytes() * cols);
    }

    private static long check(GgmlType type, float[] w, float[] x, int rows, int cols, int stride) {
        WeightFormat format = type == GgmlType.F32 ? F32Format.INSTANCE : F16Format.INSTANCE;
        byte[] weights = encode(w, type);
        QuantizedVector activations = new QuantizedVector(format.activationType(), cols);
        activations.quantize(x, 0, cols); // F16: rounded to halves, which the kernel reads as floats
        int xAddress = W + weights.length + 64;
        int out = xAddress + 4 * cols + 64;
        kernels.write(W, weights);
        kernels.write(xAddress, encode(java.util.Arrays.copyOf(activations.values(), cols), GgmlType.F32));
        kernels.write(out, new byte[4 * rows]);
        String name = type == GgmlType.F32 ? "f32_rows4_t1" : "f16_rows4_t1";
        kernels.call(name, W, stride, rows / 4, cols, xAddress, out);
        long instructions = kernels.lastInstructions();
        ByteBuffer results = ByteBuffer.wrap(kernels.read(out, 4 * rows)).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            float expected = format.dot(weights, r * stride, activations, 0, cols);
            float actual = results.getFloat();
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                    name + " row " + r + " of " + rows + " x " + cols + " (stride " + stride + "): " + expected
                            + " vs " + actual);
        }
        return instructions;
    }

    private static void checkShapes(GgmlType type, long seed) {
        Random random = new Random(seed);
        // columns: fewer than 4, leftovers after 4- and 32-column steps, stories260K's 64 and 172, Llama-sized
        int[] columns = {1, 3, 4, 5, 31, 32, 33, 36, 63, 64, 100, 172, 2048};
        int size = type.blockBytes();
        for (int rows : new int[] {4, 8, 20}) {
            for (int cols : columns) {
                for (int round = 0; round < 3; round++) {
                    check(type, random, rows, cols, size * cols);
                }
                check(type, random, rows, cols, size * cols + 12); // rows not back to back: the kernel follows the stride
                checkCancelling(type, random, rows, cols);
            }
        }
    }

    @Test
    void f32RowsAreBitIdenticalToTheScalarDotProduct() {
        checkShapes(GgmlType.F32, 21);
    }

    @Test
    void f16RowsAreBitIdenticalToTheScalarDotProduct() {
        checkShapes(GgmlType.F16, 23);
    }

    @Test
    void noGroupsWritesNothing() {
        for (String name : new String[] {"f32_rows4_t1", "f16_rows4_t1"}) {
            kernels.write(W, encode(new float[] {1f, 2f, 3f, 4f}, GgmlType.F32));
            kernels.write(W + 64, encode(new float[] {5f, 6f, 7f, 8f}, GgmlType.F32));
            kernels.call(name, W, 16, 0, 4, W, W + 64);
            ByteBuffer untouched = ByteBuffer.wrap(kernels.read(W + 64, 16)).order(ByteOrder.LITTLE_ENDIAN);
            for (float expected : new float[] {5f, 6f, 7f, 8f}) {
                assertEquals(expected, untouched.getFloat(), name);
            }
        }
    }

    /**
     * Instructions per weight: a 64 x 2048 matrix (Llama-3.2-1B's width) and stories260K's shapes (64 x 64, 64 x 172),
     * the kernels alone, without the Java around them.
     */
    @Test
    void instructionsPerWeight() {
        Random random = new Random(22);
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16}) {
            for (int[] shape : new int[][] {{64, 2048}, {64, 64}, {64, 172}}) {
                int rows = shape[0];
                int cols = shape[1];
                long instructions = check(type, random, rows, cols, type.blockBytes() * cols);
                double perWeight = (double) instructions / ((long) rows * cols);
                System.out.printf("%s kernel, %d x %d: %d instructions, %.3f per weight%n", type, rows, cols,
                        instructions, perWeight);
                double limit = (type == GgmlType.F32 ? 4.0 : 8.5) + (cols >= 2048 ? 0 : 0.5);
                assertTrue(perWeight < limit, type + " " + rows + " x " + cols + ": " + perWeight + " per weight");
            }
        }
    }
}

package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.F32Format;
import dev.tealama.tensor.QuantizedVector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The F32 matrix kernel ({@code f32_rows4_t1} of {@code src/main/wat/simd-kernels.wat}, as the build assembled it)
 * run metered in the local IC host against core's scalar {@link F32Format#dot} (the reference): every result bit
 * for bit, on values where the order and width of the additions show (signed zeros, subnormals, products far apart
 * in magnitude that cancel), for column counts with and without leftovers after the kernel's 32- and 4-column steps,
 * and the instructions per weight it costs.
 */
class F32KernelParityTest {
    private static final int W = 1 << 16;
    private static MeteredLibrary kernels;

    @BeforeAll
    static void load() {
        Path path = Path.of("target/wasm-build/simd-kernels.wasm");
        try {
            kernels = MeteredLibrary.load(Files.readAllBytes(path), 512);
        } catch (IOException e) {
            throw new UncheckedIOException("the kernels module " + path + " is missing: build the module first", e);
        }
    }

    /**
     * A value of a random kind: mostly ordinary, sometimes zero or negative zero, a subnormal, a tiny normal, or a
     * large magnitude (products up to ~1e30: a float sum would lose what the double sum keeps).
     */
    private static float value(Random random) {
        switch (random.nextInt(12)) {
            case 0:
                return random.nextBoolean() ? 0f : -0f;
            case 1:
                return Float.MIN_VALUE * (random.nextInt(1 << 20) - (1 << 19)); // subnormal (or zero)
            case 2:
                return (float) (random.nextGaussian() * 1e-37);
            case 3:
                return (float) (random.nextGaussian() * 1e15);
            default:
                return (float) random.nextGaussian();
        }
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /**
     * Runs the kernel on {@code rows} (a multiple of 4) rows of {@code cols} random weights, {@code stride} bytes
     * apart, times random activations, and checks each result against the scalar dot product of that row; returns
     * the instructions of the call.
     */
    private static long check(Random random, int rows, int cols, int stride) {
        float[] w = new float[rows * stride / 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = value(random);
        }
        byte[] weights = floats(w);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = value(random);
        }
        QuantizedVector activations = new QuantizedVector(ActivationType.F32, cols);
        activations.quantize(x, 0, cols);
        int xAddress = W + weights.length + 64;
        int out = xAddress + 4 * cols + 64;
        kernels.write(W, weights);
        kernels.write(xAddress, floats(x));
        kernels.write(out, new byte[4 * rows]);
        kernels.call("f32_rows4_t1", W, stride, rows / 4, cols, xAddress, out);
        long instructions = kernels.lastInstructions();
        ByteBuffer results = ByteBuffer.wrap(kernels.read(out, 4 * rows)).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            float expected = F32Format.INSTANCE.dot(weights, r * stride, activations, 0, cols);
            float actual = results.getFloat();
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                    "row " + r + " of " + rows + " x " + cols + " (stride " + stride + "): " + expected + " vs "
                            + actual);
        }
        return instructions;
    }

    @Test
    void rowsAreBitIdenticalToTheScalarDotProduct() {
        Random random = new Random(21);
        // columns: fewer than 4, leftovers after 4- and 32-column steps, stories260K's 64 and 172, Llama-sized
        int[] columns = {1, 3, 4, 5, 31, 32, 33, 36, 63, 64, 100, 172, 2048};
        for (int rows : new int[] {4, 8, 20}) {
            for (int cols : columns) {
                for (int round = 0; round < 3; round++) {
                    check(random, rows, cols, 4 * cols);
                }
                check(random, rows, cols, 4 * cols + 12); // rows not back to back: the kernel follows the stride
            }
        }
    }

    @Test
    void noGroupsWritesNothing() {
        kernels.write(W, floats(new float[] {1f, 2f, 3f, 4f}));
        kernels.write(W + 64, floats(new float[] {5f, 6f, 7f, 8f}));
        kernels.call("f32_rows4_t1", W, 16, 0, 4, W, W + 64);
        ByteBuffer untouched = ByteBuffer.wrap(kernels.read(W + 64, 16)).order(ByteOrder.LITTLE_ENDIAN);
        for (float expected : new float[] {5f, 6f, 7f, 8f}) {
            assertEquals(expected, untouched.getFloat());
        }
    }

    /**
     * Instructions per weight: a 64 x 2048 matrix (Llama-3.2-1B's width) and stories260K's shapes (64 x 64, 64 x 172),
     * the kernel alone, without the Java around it.
     */
    @Test
    void instructionsPerWeight() {
        Random random = new Random(22);
        for (int[] shape : new int[][] {{64, 2048}, {64, 64}, {64, 172}}) {
            int rows = shape[0];
            int cols = shape[1];
            long instructions = check(random, rows, cols, 4 * cols);
            double perWeight = (double) instructions / ((long) rows * cols);
            System.out.printf("F32 kernel, %d x %d: %d instructions, %.3f per weight%n", rows, cols, instructions,
                    perWeight);
            assertTrue(perWeight < (cols >= 2048 ? 4.0 : 4.5), rows + " x " + cols + ": " + perWeight + " per weight");
        }
    }
}

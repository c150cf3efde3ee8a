package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.model.Kernels;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Float16;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.Q4_0Format;
import dev.tealama.tensor.Q8_0Format;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;


import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Wasm SIMD kernels ({@code src/main/wat/simd-kernels.wat}, as the build assembled them) run metered in the local
 * IC host against core's scalar dot products ({@link Q8_0Format#dot}, {@link Q4_0Format#dot}) on random rows and
 * activations: every result bit for bit, F16 scales of every kind (zero, negative zero, subnormal, normal, the largest,
 * infinities and NaNs), and the instructions per weight the kernels cost.
 */
class SimdKernelsParityTest {
    private static final int W = 1 << 16;
    private static MeteredLibrary kernels;

    @BeforeAll
    static void load() {
        kernels = BuiltShims.load("simd-kernels", 512);
    }

    /** A random row set in {@code format}: quants anywhere in their range, scales from {@code scales}. */
    private static byte[] randomRows(Random random, GgmlType type, int rows, int cols, short[] scales) {
        int blockBytes = type.blockBytes();
        int blocks = cols / 32;
        byte[] bytes = new byte[rows * blocks * blockBytes];
        random.nextBytes(bytes);
        for (int b = 0; b < rows * blocks; b++) {
            short h = scales[random.nextInt(scales.length)];
            bytes[b * blockBytes] = (byte) h;
            bytes[b * blockBytes + 1] = (byte) (h >> 8);
        }
        return bytes;
    }

    private static short[] ordinaryScales(Random random) {
        short[] scales = new short[64];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = Float16.fromFloat((float) (random.nextGaussian() * 0.02));
        }
        return scales;
    }

    /**
     * Runs the kernel for {@code tokens} tokens (1 or 4) on {@code rows} (a multiple of 4) and checks each result
     * against the scalar dot product; returns the instructions of the call.
     */
    private static long check(WeightFormat format, byte[] weights, int rows, int cols, int tokens, Random random,
                              boolean allowNaN) {
        return check(format, weights, rows, cols, tokens, random, allowNaN, false);
    }

    /**
     * As above; {@code packed}: the rows go to the kernel repacked by {@link PackedLayout} (the {@code *_packed4_*}
     * kernels, after {@code act_prep} arranged the activations; both counted), the expected values still come from
     * the GGUF rows.
     */
    private static long check(WeightFormat format, byte[] weights, int rows, int cols, int tokens, Random random,
                              boolean allowNaN, boolean packed) {
        int rowBytes = weights.length / rows;
        if (packed) {
            byte[] repacked = new byte[weights.length];
            for (int g = 0; g < rows / 4; g++) {
                PackedLayout.packRows4(format.type(), weights, 4 * g * rowBytes, rowBytes, repacked,
                        4 * g * rowBytes);
            }
            kernels.write(W, repacked);
        } else {
            kernels.write(W, weights);
        }
        QuantizedVector[] q = new QuantizedVector[tokens];
        int[] xq = new int[tokens];
        int[] xd = new int[tokens];
        int[] outs = new int[tokens];
        int free = W + weights.length + 64;
        for (int t = 0; t < tokens; t++) {
            float[] x = new float[cols];
            for (int i = 0; i < cols; i++) {
                x[i] = (float) random.nextGaussian() * (random.nextInt(8) == 0 ? 40 : 1);
            }
            q[t] = new QuantizedVector(ActivationType.Q8_0, cols);
            q[t].quantize(x, 0, cols);
            xq[t] = free;
            xd[t] = xq[t] + cols + 64;
            outs[t] = xd[t] + 4 * (cols / 32) + 64;
            free = outs[t] + 4 * rows + 64;
            kernels.write(xq[t], java.util.Arrays.copyOf(q[t].quants(), cols));
            ByteBuffer scales = ByteBuffer.allocate(4 * (cols / 32)).order(ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < cols / 32; b++) {
                scales.putFloat(q[t].scales()[b]);
            }
            kernels.write(xd[t], scales.array());
        }
        String fmt = format == Q8_0Format.INSTANCE ? "q8_0" : "q4_0";
        String name;
        long instructions;
        if (packed) {
            int blocks = cols / 32;
            long[] prep = new long[2 + 2 * tokens];
            prep[0] = blocks;
            for (int t = 0; t < tokens; t++) {
                prep[1 + t] = xq[t];
                prep[1 + tokens + t] = xd[t];
            }
            prep[1 + 2 * tokens] = free;
            kernels.call("act_prep_t" + tokens, prep);
            instructions = kernels.lastInstructions();
            long[] args = new long[4 + tokens];
            args[0] = W;
            args[1] = rows / 4;
            args[2] = blocks;
            args[3] = free;
            for (int t = 0; t < tokens; t++) {
                args[4 + t] = outs[t];
            }
            name = fmt + "_packed4_t" + tokens;
            kernels.call(name, args);
            instructions += kernels.lastInstructions();
        } else {
            long[] args = new long[4 + 3 * tokens];
            args[0] = W;
            args[1] = rowBytes;
            args[2] = rows / 4;
            args[3] = cols / 32;
            for (int t = 0; t < tokens; t++) {
                args[4 + t] = xq[t];
                args[4 + tokens + t] = xd[t];
                args[4 + 2 * tokens + t] = outs[t];
            }
            name = fmt + "_rows4_t" + tokens;
            kernels.call(name, args);
            instructions = kernels.lastInstructions();
        }
        for (int t = 0; t < tokens; t++) {
            ByteBuffer results = ByteBuffer.wrap(kernels.read(outs[t], 4 * rows)).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                float expected = format.dot(weights, r * rowBytes, q[t], 0, cols);
                float actual = results.getFloat();
                if (allowNaN && Float.isNaN(expected)) {
                    assertTrue(Float.isNaN(actual), "row " + r + ": NaN expected, got " + actual);
                } else {
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                            name + " token " + t + " row " + r + " of " + rows + "x" + cols + ": " + expected
                                    + " vs " + actual);
                }
            }
        }
        return instructions;
    }

    @Test
    void q8_0RowsAreBitIdenticalToTheScalarDotProduct() {
        Random random = new Random(1);
        for (int[] shape : new int[][] {{4, 32}, {8, 96}, {16, 256}, {12, 2048}}) {
            for (int round = 0; round < 5; round++) {
                byte[] w = randomRows(random, GgmlType.Q8_0, shape[0], shape[1], ordinaryScales(random));
                check(Q8_0Format.INSTANCE, w, shape[0], shape[1], 1, random, false);
                check(Q8_0Format.INSTANCE, w, shape[0], shape[1], 4, random, false);
            }
        }
    }

    @Test
    void q4_0RowsAreBitIdenticalToTheScalarDotProduct() {
        Random random = new Random(2);
        for (int[] shape : new int[][] {{4, 32}, {8, 96}, {16, 256}, {12, 2048}}) {
            for (int round = 0; round < 5; round++) {
                byte[] w = randomRows(random, GgmlType.Q4_0, shape[0], shape[1], ordinaryScales(random));
                check(Q4_0Format.INSTANCE, w, shape[0], shape[1], 1, random, false);
                check(Q4_0Format.INSTANCE, w, shape[0], shape[1], 4, random, false);
            }
        }
    }

    @Test
    void packedRowsAreBitIdenticalToTheScalarDotProduct() {
        Random random = new Random(5);
        for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
            WeightFormat format = type == GgmlType.Q8_0 ? Q8_0Format.INSTANCE : Q4_0Format.INSTANCE;
            for (int[] shape : new int[][] {{4, 32}, {8, 96}, {16, 256}, {12, 2048}}) {
                for (int round = 0; round < 5; round++) {
                    byte[] w = randomRows(random, type, shape[0], shape[1], ordinaryScales(random));
                    for (int tokens : new int[] {1, 4, 8, 16}) {
                        check(format, w, shape[0], shape[1], tokens, random, false, true);
                    }
                }
            }
        }
    }

    @Test
    void packedKernelsWidenEveryKindOfHalfScaleAsCoreDoes() {
        short[] finite = {0x0000, (short) 0x8000, 0x0001, (short) 0x8001, 0x03FF, 0x0400, 0x3C00, (short) 0xBC00,
                0x7BFF, (short) 0xFBFF, 0x1234, 0x0200};
        short[] special = {0x7C00, (short) 0xFC00, 0x7C01, 0x7E00, (short) 0xFE00, 0x7FFF, 0x3C00};
        Random random = new Random(6);
        for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
            WeightFormat format = type == GgmlType.Q8_0 ? Q8_0Format.INSTANCE : Q4_0Format.INSTANCE;
            for (int round = 0; round < 10; round++) {
                for (int tokens : new int[] {1, 4, 8, 16}) {
                    check(format, randomRows(random, type, 8, 64, finite), 8, 64, tokens, random, false, true);
                    check(format, randomRows(random, type, 8, 64, special), 8, 64, tokens, random, true, true);
                }
            }
        }
    }

    @Test
    void everyKindOfHalfScaleWidensAsCoreDoes() {
        short[] finite = {0x0000, (short) 0x8000, 0x0001, (short) 0x8001, 0x03FF, 0x0400, 0x3C00, (short) 0xBC00,
                0x7BFF, (short) 0xFBFF, 0x1234, 0x0200};
        short[] special = {0x7C00, (short) 0xFC00, 0x7C01, 0x7E00, (short) 0xFE00, 0x7FFF, 0x3C00};
        Random random = new Random(3);
        for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
            WeightFormat format = type == GgmlType.Q8_0 ? Q8_0Format.INSTANCE : Q4_0Format.INSTANCE;
            for (int round = 0; round < 10; round++) {
                for (int tokens : new int[] {1, 4}) {
                    check(format, randomRows(random, type, 8, 64, finite), 8, 64, tokens, random, false);
                    check(format, randomRows(random, type, 8, 64, special), 8, 64, tokens, random, true);
                }
            }
        }
    }

    /** {@code argmax_f32} on {@code values}, as written at address W. */
    private static int argmax(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        kernels.write(W, bytes.array());
        return (int) kernels.call("argmax_f32", W, values.length)[0];
    }

    /** Core's scan ({@code Kernels.argmax}'s default). */
    private static int scan(float[] values) {
        Kernels scalar = new ScalarKernels();
        return scalar.argmax(values, values.length);
    }

    @Test
    void argmaxIsCoresScan() {
        float ninf = Float.NEGATIVE_INFINITY;
        float inf = Float.POSITIVE_INFINITY;
        float[] specials = {0f, -0f, 1f, -1f, inf, ninf, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.MAX_VALUE, -Float.MAX_VALUE, Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFF800001)};
        Random random = new Random(7);
        for (int n = 1; n <= 70; n++) {
            for (int round = 0; round < 30; round++) {
                float[] values = new float[n];
                int kind = round % 5;
                for (int i = 0; i < n; i++) {
                    values[i] = switch (kind) {
                        case 0 -> (float) random.nextGaussian();
                        case 1 -> random.nextInt(3) - 1; // many ties, -0 never
                        case 2 -> random.nextBoolean() ? 0f : -0f; // ties between the two zeros
                        case 3 -> random.nextInt(4) == 0 ? ninf : (float) random.nextGaussian();
                        default -> specials[random.nextInt(specials.length)];
                    };
                }
                if (kind == 3 && round % 10 == 3) {
                    Arrays.fill(values, ninf);
                }
                assertEquals(scan(values), argmax(values), Arrays.toString(values));
            }
        }
        float[] vocabulary = new float[128_256];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = (float) random.nextGaussian();
        }
        for (int at : new int[] {0, 5, 17, 64_000, 128_239, 128_240, 128_255}) {
            float[] values = vocabulary.clone();
            values[at] = 9f;
            values[Math.min(at + 3, values.length - 1)] = 9f; // a tie after it
            assertEquals(at, argmax(values));
            values[Math.max(0, at - 1)] = Float.NaN;
            assertEquals(-1, argmax(values));
        }
        assertEquals(-1, (int) kernels.call("argmax_f32", W, 0)[0]);
        float[] values = vocabulary.clone();
        values[values.length / 2] = 9f;
        argmax(values);
        System.out.printf("argmax_f32 over 128,256 logits, the largest in the middle: %d instructions, %.3f per"
                + " value%n", kernels.lastInstructions(), kernels.lastInstructions() / 128_256.0);
    }

    @Test
    void firstAboveIsCoresScan() {
        Kernels scalar = new ScalarKernels();
        float[] specials = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.MAX_VALUE, Float.MIN_VALUE};
        Random random = new Random(8);
        for (int n = 0; n <= 70; n++) {
            for (int round = 0; round < 20; round++) {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = round % 3 == 0 ? specials[random.nextInt(specials.length)]
                            : (float) random.nextGaussian() - (round % 3 == 1 ? 2.5f : 0f);
                }
                ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : values) {
                    bytes.putFloat(v);
                }
                kernels.write(W, bytes.array());
                float threshold = round % 4 == 0 ? specials[random.nextInt(specials.length)] : 1.5f;
                for (int from : new int[] {0, 1, n / 2, Math.max(0, n - 1), n, n + 3}) {
                    long[] result = kernels.call("first_above_f32", W, from, n,
                            Float.floatToRawIntBits(threshold) & 0xFFFFFFFFL);
                    assertEquals(scalar.firstAbove(values, from, n, threshold), (int) result[0],
                            "from " + from + " above " + threshold + " in " + Arrays.toString(values));
                }
            }
        }
        float[] vocabulary = new float[128_256];
        ByteBuffer bytes = ByteBuffer.allocate(4 * vocabulary.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = (float) random.nextGaussian();
            bytes.putFloat(vocabulary[i]);
        }
        kernels.write(W, bytes.array());
        long[] result = kernels.call("first_above_f32", W, 0, vocabulary.length,
                Float.floatToRawIntBits(100f) & 0xFFFFFFFFL);
        assertEquals(vocabulary.length, (int) result[0]);
        System.out.printf("first_above_f32 over 128,256 logits, none above: %d instructions, %.3f per value%n",
                kernels.lastInstructions(), kernels.lastInstructions() / 128_256.0);
    }

    /**
     * Instructions per weight and token of a 64 x 2048 matrix (Llama-3.2-1B's width) times one token (generation)
     * and four tokens (a prompt batch): the kernels alone, without the Java around them.
     */
    @Test
    void instructionsPerWeight() {
        Random random = new Random(4);
        int rows = 64;
        int cols = 2048;
        for (GgmlType type : new GgmlType[] {GgmlType.Q8_0, GgmlType.Q4_0}) {
            WeightFormat format = type == GgmlType.Q8_0 ? Q8_0Format.INSTANCE : Q4_0Format.INSTANCE;
            byte[] w = randomRows(random, type, rows, cols, ordinaryScales(random));
            for (boolean packed : new boolean[] {false, true}) {
                for (int tokens : packed ? new int[] {1, 4, 8, 16} : new int[] {1, 4}) {
                    long instructions = check(format, w, rows, cols, tokens, random, false, packed);
                    double perWeight = (double) instructions / ((long) rows * cols * tokens);
                    System.out.printf("%s %s kernel, %d token(s): %d instructions for %d x %d weights, %.3f per"
                            + " weight and token%n", type, packed ? "packed" : "GGUF-layout", tokens, instructions,
                            rows, cols, perWeight);
                    double limit = packed ? (tokens == 1 ? 1.8 : 1.0) : (tokens == 1 ? 2.0 : 1.5);
                    assertTrue(perWeight < limit, type + ": " + perWeight + " instructions per weight and token");
                }
            }
        }
    }
}

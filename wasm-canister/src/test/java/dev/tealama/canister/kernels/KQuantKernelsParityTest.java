package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.Float16;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.Q4_KFormat;
import dev.tealama.tensor.Q5_KFormat;
import dev.tealama.tensor.Q6_KFormat;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;


import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The K-quant Wasm SIMD kernels ({@code q4_k_rows4_t1/t4}, {@code q5_k_rows4_t1/t4}, {@code q6_k_rows4_t1/t4} of
 * {@code src/main/wat/simd-kernels.wat}, as the build assembled them) run metered in the local IC host against core's
 * scalar dot products ({@link Q4_KFormat#dot}, {@link Q5_KFormat#dot}, {@link Q6_KFormat#dot}) with Q8_K activations:
 * every result bit for bit, on random super-blocks (every nibble and fifth bit, 6-bit scale and min, int8 scale),
 * extreme integer ranges, F16 scales of every kind, and the instructions per weight the kernels cost.
 */
class KQuantKernelsParityTest {
    private static final int W = 1 << 16;
    private static final int SENTINEL = 0x7FC0_1234; // a NaN no kernel computes: marks results that must stay unwritten
    private static MeteredLibrary kernels;

    @BeforeAll
    static void load() {
        kernels = BuiltShims.load("simd-kernels", 512);
    }

    private static final GgmlType[] TYPES = {GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K};

    private static WeightFormat format(GgmlType type) {
        return switch (type) {
            case Q4_K -> Q4_KFormat.INSTANCE;
            case Q5_K -> Q5_KFormat.INSTANCE;
            default -> Q6_KFormat.INSTANCE;
        };
    }

    /** Whether the super-block has Q4_K's {@code d}, {@code dmin}, scales and mins (Q4_K, and Q5_K with its qh). */
    private static boolean withMins(GgmlType type) {
        return type == GgmlType.Q4_K || type == GgmlType.Q5_K;
    }

    /** Where a super-block keeps its F16 {@code d} (Q4_K, Q5_K: also {@code dmin} right after it). */
    private static int scaleOffset(GgmlType type) {
        return withMins(type) ? 0 : 208;
    }

    /** Random rows: every byte random (quants, 6-bit scales and mins, int8 scales), F16 d (and dmin) from halves. */
    private static byte[] randomRows(Random random, GgmlType type, int rows, int cols, short[] halves) {
        int blockBytes = type.blockBytes();
        int blocks = rows * (cols / 256);
        byte[] bytes = new byte[blocks * blockBytes];
        random.nextBytes(bytes);
        int at = scaleOffset(type);
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < (withMins(type) ? 2 : 1); i++) {
                short h = halves[random.nextInt(halves.length)];
                bytes[b * blockBytes + at + 2 * i] = (byte) h;
                bytes[b * blockBytes + at + 2 * i + 1] = (byte) (h >> 8);
            }
        }
        return bytes;
    }

    /**
     * Rows at the edge of the integer ranges: every quant, scale and min at its largest (Q4_K: nibble 15, scale and
     * min 63; Q5_K: 31, every fifth bit set; Q6_K: value -32 and scale -128, the largest products), or, one block in
     * two, everything at its smallest.
     */
    private static byte[] extremeRows(Random random, GgmlType type, int rows, int cols, short[] halves) {
        byte[] bytes = randomRows(random, type, rows, cols, halves);
        int blockBytes = type.blockBytes();
        for (int b = 0; b < bytes.length / blockBytes; b++) {
            int p = b * blockBytes;
            boolean high = b % 2 == 0;
            if (withMins(type)) {
                Arrays.fill(bytes, p + 4, p + blockBytes, high ? (byte) 0xFF : 0);
            } else {
                Arrays.fill(bytes, p, p + 192, high ? 0 : (byte) 0xFF); // 6-bit value 0 (-32) or 63 (31)
                Arrays.fill(bytes, p + 192, p + 208, high ? (byte) -128 : 127);
            }
        }
        return bytes;
    }

    private static short[] ordinaryHalves(Random random) {
        short[] halves = new short[64];
        for (int i = 0; i < halves.length; i++) {
            halves[i] = Float16.fromFloat((float) (random.nextGaussian() * 0.02));
        }
        return halves;
    }

    private static final short[] FINITE_HALVES = {0x0000, (short) 0x8000, 0x0001, (short) 0x8001, 0x03FF, 0x0400,
        0x3C00, (short) 0xBC00, 0x7BFF, (short) 0xFBFF, 0x1234, 0x0200};
    private static final short[] SPECIAL_HALVES = {0x7C00, (short) 0xFC00, 0x7C01, 0x7E00, (short) 0xFE00, 0x7FFF,
        0x3C00};

    /** Q8_K activations of random inputs (some large, and one token in five all zero: scale 0). */
    private static QuantizedVector randomActivations(Random random, int cols) {
        float[] x = new float[cols];
        if (random.nextInt(5) != 0) {
            for (int i = 0; i < cols; i++) {
                x[i] = (float) random.nextGaussian() * (random.nextInt(8) == 0 ? 40 : 1);
            }
        }
        QuantizedVector q = new QuantizedVector(ActivationType.Q8_K, cols);
        q.quantize(x, 0, cols);
        return q;
    }

    /**
     * Activations at the edge of the range: quants -128 and 127 (beyond what the quantizer makes, within what the
     * kernels must handle), their group sums recomputed so that the vector stays consistent.
     */
    private static QuantizedVector extremeActivations(Random random, int cols) {
        QuantizedVector q = randomActivations(random, cols);
        byte[] quants = q.quants();
        for (int i = 0; i < cols; i++) {
            quants[i] = random.nextBoolean() ? (byte) -128 : (byte) (random.nextInt(4) == 0 ? 127 : -128);
        }
        short[] sums = q.groupSums();
        for (int g = 0; g < cols / 16; g++) {
            int sum = 0;
            for (int j = 0; j < 16; j++) {
                sum += quants[16 * g + j];
            }
            sums[g] = (short) sum;
        }
        return q;
    }

    /**
     * Runs the {@code tokens}-token kernel (1 or 4) on the first {@code groups} groups of four of {@code rows} rows
     * and checks each result against core's scalar dot product, and that the results of the rows after them stay
     * unwritten; returns the instructions of the call.
     */
    private static long check(GgmlType type, byte[] weights, int rows, int cols, int groups, QuantizedVector[] q,
                              boolean allowNaN) {
        WeightFormat format = format(type);
        int tokens = q.length;
        int rowBytes = weights.length / rows;
        int blocks = cols / 256;
        kernels.write(W, weights);
        int[] xq = new int[tokens];
        int[] xd = new int[tokens];
        int[] xs = new int[tokens];
        int[] outs = new int[tokens];
        int free = W + weights.length + 64;
        ByteBuffer sentinels = ByteBuffer.allocate(4 * rows).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            sentinels.putInt(SENTINEL);
        }
        for (int t = 0; t < tokens; t++) {
            xq[t] = free;
            xd[t] = xq[t] + cols + 64;
            xs[t] = xd[t] + 4 * blocks + 64;
            outs[t] = xs[t] + 2 * (cols / 16) + 64;
            free = outs[t] + 4 * rows + 64;
            kernels.write(xq[t], Arrays.copyOf(q[t].quants(), cols));
            ByteBuffer scales = ByteBuffer.allocate(4 * blocks).order(ByteOrder.LITTLE_ENDIAN);
            for (int b = 0; b < blocks; b++) {
                scales.putFloat(q[t].scales()[b]);
            }
            kernels.write(xd[t], scales.array());
            ByteBuffer sums = ByteBuffer.allocate(2 * (cols / 16)).order(ByteOrder.LITTLE_ENDIAN);
            for (int g = 0; g < cols / 16; g++) {
                sums.putShort(q[t].groupSums()[g]);
            }
            kernels.write(xs[t], sums.array());
            kernels.write(outs[t], sentinels.array());
        }
        boolean q4 = withMins(type);
        long[] args = new long[4 + (q4 ? 4 : 3) * tokens];
        args[0] = W;
        args[1] = rowBytes;
        args[2] = groups;
        args[3] = blocks;
        int a = 4;
        for (int t = 0; t < tokens; t++) {
            args[a + t] = xq[t];
            args[a + tokens + t] = xd[t];
            if (q4) {
                args[a + 2 * tokens + t] = xs[t];
            }
            args[a + (q4 ? 3 : 2) * tokens + t] = outs[t];
        }
        String name = type.name().toLowerCase(Locale.ROOT) + "_rows4_t" + tokens;
        kernels.call(name, args);
        long instructions = kernels.lastInstructions();
        for (int t = 0; t < tokens; t++) {
            ByteBuffer results = ByteBuffer.wrap(kernels.read(outs[t], 4 * rows)).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < rows; r++) {
                int actual = results.getInt();
                if (r >= 4 * groups) {
                    assertEquals(SENTINEL, actual, name + ": row " + r + " is not in the " + groups + " groups");
                    continue;
                }
                float expected = format.dot(weights, r * rowBytes, q[t], 0, cols);
                if (allowNaN && Float.isNaN(expected)) {
                    assertTrue(Float.isNaN(Float.intBitsToFloat(actual)), name + " row " + r + ": NaN expected");
                } else {
                    assertEquals(Float.floatToRawIntBits(expected), actual, name + " token " + t + " row " + r
                            + " of " + rows + "x" + cols + ": " + expected + " vs " + Float.intBitsToFloat(actual));
                }
            }
        }
        return instructions;
    }

    private static QuantizedVector[] activations(Random random, int tokens, int cols, boolean extreme) {
        QuantizedVector[] q = new QuantizedVector[tokens];
        for (int t = 0; t < tokens; t++) {
            q[t] = extreme ? extremeActivations(random, cols) : randomActivations(random, cols);
        }
        return q;
    }

    private static void randomRowsAreBitIdentical(GgmlType type, long seed) {
        Random random = new Random(seed);
        // rows, cols, groups of four computed (rows after them: what CanisterKernels leaves to the scalar kernels)
        for (int[] shape : new int[][] {{4, 256, 1}, {8, 512, 2}, {7, 256, 1}, {13, 768, 3}, {12, 2048, 3}}) {
            for (int round = 0; round < 3; round++) {
                byte[] w = randomRows(random, type, shape[0], shape[1], ordinaryHalves(random));
                for (int tokens : new int[] {1, 4}) {
                    check(type, w, shape[0], shape[1], shape[2], activations(random, tokens, shape[1], false), false);
                }
            }
        }
    }

    @Test
    void q4_kRowsAreBitIdenticalToTheScalarDotProduct() {
        randomRowsAreBitIdentical(GgmlType.Q4_K, 11);
    }

    @Test
    void q5_kRowsAreBitIdenticalToTheScalarDotProduct() {
        randomRowsAreBitIdentical(GgmlType.Q5_K, 16);
    }

    @Test
    void q6_kRowsAreBitIdenticalToTheScalarDotProduct() {
        randomRowsAreBitIdentical(GgmlType.Q6_K, 12);
    }

    @Test
    void extremeQuantsScalesAndActivationsAreExact() {
        Random random = new Random(13);
        for (GgmlType type : TYPES) {
            for (int round = 0; round < 4; round++) {
                byte[] w = extremeRows(random, type, 8, 1024, ordinaryHalves(random));
                for (int tokens : new int[] {1, 4}) {
                    check(type, w, 8, 1024, 2, activations(random, tokens, 1024, true), false);
                    check(type, w, 8, 1024, 2, activations(random, tokens, 1024, false), false);
                }
            }
        }
    }

    @Test
    void everyKindOfHalfScaleWidensAsCoreDoes() {
        Random random = new Random(14);
        for (GgmlType type : TYPES) {
            for (int round = 0; round < 6; round++) {
                for (int tokens : new int[] {1, 4}) {
                    check(type, randomRows(random, type, 8, 512, FINITE_HALVES), 8, 512, 2,
                            activations(random, tokens, 512, false), false);
                    check(type, randomRows(random, type, 8, 512, SPECIAL_HALVES), 8, 512, 2,
                            activations(random, tokens, 512, false), true);
                }
            }
        }
    }

    /**
     * Instructions per weight and token of a 64 x 2048 matrix (Llama-3.2-1B's width) times one token (generation)
     * and four tokens (a prompt batch): the kernels alone, without the Java around them.
     */
    @Test
    void instructionsPerWeight() {
        Random random = new Random(15);
        int rows = 64;
        int cols = 2048;
        for (GgmlType type : TYPES) {
            byte[] w = randomRows(random, type, rows, cols, ordinaryHalves(random));
            for (int tokens : new int[] {1, 4}) {
                long instructions = check(type, w, rows, cols, rows / 4, activations(random, tokens, cols, false),
                        false);
                double perWeight = (double) instructions / ((long) rows * cols * tokens);
                System.out.printf("%s GGUF-layout kernel, %d token(s): %d instructions for %d x %d weights, %.3f per"
                        + " weight and token%n", type, tokens, instructions, rows, cols, perWeight);
                // Q5_K adds a fifth bit to each nibble; Q6_K decodes 6-bit values from two places and keeps 16
                // scales: each costs more than Q4_K
                double limit = switch (type) {
                    case Q4_K -> tokens == 1 ? 1.7 : 1.3;
                    case Q5_K -> tokens == 1 ? 2.0 : 1.4;
                    default -> tokens == 1 ? 2.5 : 1.8;
                };
                assertTrue(perWeight < limit, type + ": " + perWeight + " instructions per weight and token");
            }
        }
    }
}

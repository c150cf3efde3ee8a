package dev.tealama.canister.kernels;

import static dev.tealama.canister.kernels.WasmArrays.floats;
import static dev.tealama.canister.kernels.WasmArrays.readFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.model.KvCache;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.Rope;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The functions of {@code vector-ops.wat} ({@code rms_norm}, {@code add_f32}, {@code rope}, {@code f16_store}), as the
 * build assembled them, run metered in the local IC host against core's Java ({@code Kernels}' defaults, which
 * {@link ScalarKernels} runs, {@link Rope#rotate}, {@link KvCache#store} and {@link Float16#fromFloat}), bit for bit
 * (a NaN only as a NaN where Wasm may pick another NaN payload). Inputs: Gaussian activations and every kind of float
 * (random bit patterns: NaNs, infinities, subnormals, zeros of both signs), and for the F16 store every rounding
 * threshold. Each function's cost per element is printed and bounded.
 */
class VectorOpsParityTest {
    private static final int A = 1 << 16;
    private static final int B = 1 << 18;
    private static final int C = 1 << 19;
    private static final ScalarKernels CORE = new ScalarKernels();
    private static MeteredLibrary vectors;

    @BeforeAll
    static void load() {
        vectors = BuiltShims.load("vector-ops", 64);
    }

    /** A float of kind {@code kind}: Gaussian, huge, tiny (subnormal squares), any bits, a zero, or an exact case. */
    private static float value(Random random, int kind) {
        return switch (kind % 6) {
            case 0, 1 -> (float) random.nextGaussian();
            case 2 -> (float) random.nextGaussian() * 1e19f;  // squares overflow to infinity
            case 3 -> (float) random.nextGaussian() * 1e-22f; // squares underflow
            case 4 -> Float.intBitsToFloat(random.nextInt()); // NaNs, infinities, subnormals
            default -> random.nextBoolean() ? 0f : -0f;
        };
    }

    private static float[] vector(Random random, int n, int kind) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = value(random, kind == 6 ? random.nextInt(6) : kind);
        }
        return v;
    }

    /** Bit for bit; NaNs only as NaNs (Wasm arithmetic may return any NaN for a NaN operand). */
    private static void assertSameFloat(float expected, float actual, String what) {
        if (Float.isNaN(expected) && Float.isNaN(actual)) {
            return;
        }
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void rmsNormIsCores() {
        Random random = new Random(3);
        long instructions = 0;
        long elements = 0;
        for (int n : new int[] {4, 8, 64, 256, 2048}) {
            for (int kind = 0; kind <= 6; kind++) {
                for (float eps : new float[] {1e-5f, 1e-6f, 0f}) {
                    float[] in = vector(random, n, kind);
                    float[] weight = vector(random, n, kind == 4 ? 4 : 0);
                    float[] expected = new float[n];
                    CORE.rmsNorm(expected, in, weight, eps);
                    vectors.write(A, floats(in));
                    vectors.write(B, floats(weight));
                    vectors.call("rms_norm", C, A, B, n, Float.floatToRawIntBits(eps));
                    float[] actual = readFloats(vectors, C, n);
                    for (int i = 0; i < n; i++) {
                        assertSameFloat(expected[i], actual[i], "n " + n + ", kind " + kind + ", eps " + eps
                                + ", element " + i);
                    }
                    instructions += vectors.lastInstructions();
                    elements += n;
                }
            }
        }
        KernelCost.assertPerElement("rms_norm", instructions, elements, 18);
    }

    @Test
    void addIsCores() {
        Random random = new Random(5);
        for (int n : new int[] {4, 12, 64, 4096}) {
            for (int kind = 0; kind <= 6; kind++) {
                float[] acc = vector(random, n, kind);
                float[] delta = vector(random, n, kind == 6 ? 6 : 0);
                float[] expected = acc.clone();
                CORE.add(expected, delta, n);
                vectors.write(A, floats(acc));
                vectors.write(B, floats(delta));
                vectors.call("add_f32", A, B, n);
                float[] actual = readFloats(vectors, A, n);
                for (int i = 0; i < n; i++) {
                    assertSameFloat(expected[i], actual[i], "n " + n + ", kind " + kind + ", element " + i);
                }
                if (n == 4096 && kind == 0) {
                    KernelCost.assertPerElement("add_f32", vectors.lastInstructions(), n, 6);
                }
            }
        }
    }

    @Test
    void ropeIsCores() {
        Random random = new Random(9);
        for (int headDim : new int[] {8, 16, 64, 128}) {
            for (int heads : new int[] {1, 2, 4, 32}) {
                LlamaConfig config = new LlamaConfig(headDim * heads, 1, heads, heads, headDim, 8, 8, 4096, 1e-5f,
                        500000f, 1f, 1f);
                Rope rope = new Rope(config, null);
                int pairs = rope.pairs();
                for (int kind = 0; kind <= 6; kind++) {
                    float[] cos = new float[pairs];
                    float[] sin = new float[pairs];
                    if (kind % 2 == 0) {
                        rope.angles(random.nextInt(5000), cos, sin); // the angles of a position
                    } else {
                        cos = vector(random, pairs, kind);
                        sin = vector(random, pairs, kind);
                    }
                    float[] x = vector(random, headDim * heads, kind);
                    float[] expected = x.clone();
                    CORE.rope(rope, expected, heads, cos, sin);
                    vectors.write(A, floats(x));
                    vectors.write(B, floats(cos));
                    vectors.write(C, floats(sin));
                    vectors.call("rope", A, heads, pairs, B, C);
                    float[] actual = readFloats(vectors, A, x.length);
                    for (int i = 0; i < x.length; i++) {
                        assertSameFloat(expected[i], actual[i], "head size " + headDim + ", " + heads + " heads, kind "
                                + kind + ", element " + i);
                    }
                    if (headDim == 64 && heads == 32 && kind == 0) {
                        KernelCost.assertPerElement("rope", vectors.lastInstructions(), x.length, 8);
                    }
                }
            }
        }
    }

    @Test
    void f16StoreIsFloat16FromFloat() {
        Random random = new Random(13);
        int n = 1 << 15;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int h = random.nextInt(0x10000);
            float half = Float16.toFloat((short) h);
            x[i] = switch (i % 8) {
                case 0 -> (float) random.nextGaussian();
                case 1 -> Float.intBitsToFloat(random.nextInt()); // NaNs (payloads), infinities, subnormals
                // a half exactly, and each side of the ties between it and its neighbours
                case 2 -> half;
                case 3 -> Float.intBitsToFloat(Float.floatToRawIntBits(half) + 0x1000);
                case 4 -> Float.intBitsToFloat(Float.floatToRawIntBits(half) + 0x1000 + (random.nextBoolean() ? 1 : -1));
                case 5 -> (float) random.nextGaussian() * 1e-5f;   // half subnormals
                case 6 -> (float) random.nextGaussian() * 65504f;  // near the largest half and above
                default -> Float.intBitsToFloat((random.nextInt(40) + 90 << 23 | random.nextInt(1 << 23))
                        | (random.nextBoolean() ? 0x8000_0000 : 0)); // exponents across the subnormal halves
            };
        }
        // thresholds by name
        float[] named = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0x1p-25f, 0x1.000002p-25f, 0x1.fffffep-26f,
            0x1p-24f, 0x1.8p-24f, 0x1p-14f, 0x1.ffcp-15f, 0x1.ffep-15f, 0x1.fffffep-15f, 65504f, 65519.996f, 65520f,
            -65520f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7F80_0001), Float.intBitsToFloat(0xFFC1_2345), Float.MIN_NORMAL};
        System.arraycopy(named, 0, x, 0, named.length);

        vectors.write(A, floats(x));
        vectors.call("f16_store", B, A, n);
        ByteBuffer actual = ByteBuffer.wrap(vectors.read(B, 2 * n)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            short expected = Float16.fromFloat(x[i]);
            short got = actual.getShort();
            assertEquals(expected, got, "element " + i + ": " + x[i] + " (0x" + Integer.toHexString(
                    Float.floatToRawIntBits(x[i])) + ")");
        }
        KernelCost.assertPerElement("f16_store", vectors.lastInstructions(), n, 20);

        // as KvCache.store writes a position: keys and values of a kvDim of 32 at position 5
        int kvDim = 32;
        KvCache cache = new KvCache(1, 8, kvDim, true);
        float[] key = vector(random, kvDim, 6);
        float[] value = vector(random, kvDim, 6);
        CORE.storeKeyValue(cache, 0, 5, key, value);
        vectors.write(A, floats(key));
        vectors.call("f16_store", B, A, kvDim);
        ByteBuffer k = ByteBuffer.wrap(vectors.read(B, 2 * kvDim)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < kvDim; i++) {
            assertEquals(cache.keys16(0)[5 * kvDim + i], k.getShort(), "key element " + i);
        }
    }
}

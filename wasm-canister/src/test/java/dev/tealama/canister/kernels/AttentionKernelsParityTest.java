package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.math.DetMath;
import dev.tealama.model.Attention;
import dev.tealama.model.KvCache;
import dev.tealama.model.LlamaConfig;
import dev.tealama.tensor.Float16;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;


import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attention kernels of {@code simd-kernels.wat} ({@code f16_round}, {@code f16_dot}, {@code f16_scale},
 * {@code f16_mad}), run metered in the local IC host, against core: each kernel against the scalar expression it
 * replaces, bit for bit, on every kind of float (normal and subnormal halves, ties, overflow, infinities, NaNs), and a
 * whole attention — the loop of {@code CanisterKernels.attention} spelled out here over the metered kernels — against
 * {@link Attention#attend} with an F16 cache, for heads of 64 elements (the fused multiply-add path) and 16 (the
 * unfused one).
 */
class AttentionKernelsParityTest {
    private static final int A = 1 << 16;
    private static MeteredLibrary kernels;

    @BeforeAll
    static void load() {
        kernels = BuiltShims.load("simd-kernels", 256);
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private static byte[] halves(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    private static float[] readFloats(int address, int n) {
        ByteBuffer b = ByteBuffer.wrap(kernels.read(address, 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    private static float roundToHalf(float x) {
        return Float16.toFloat(Float16.fromFloat(x));
    }

    /** Floats of every kind a rounding to F16 meets, a multiple of 4 of them. */
    private static float[] everyKindOfFloat(Random random) {
        float[] special = {0f, -0f, 1f, -1f, 65504f, -65504f, 65519.996f, 65520f, -65520f, 1e6f, 0x1p-14f, 0x1p-15f,
                0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1.000002p-25f, 0x1.8p-24f, 0x1.4p-24f, 0x1.ffep-15f, 0x1.ffcp-15f,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC12345),
                Float.intBitsToFloat(0x7FBFFFFF), 1.00048828125f, 1.00146484375f, 1.0004883f, 2049f, 2051f, -3.0005f};
        int n = 4096 * 4;
        float[] values = new float[n];
        System.arraycopy(special, 0, values, 0, special.length);
        for (int i = special.length; i < n; i++) {
            switch (i % 4) {
                case 0 -> values[i] = Float.intBitsToFloat(random.nextInt()); // any bits at all
                case 1 -> values[i] = (float) random.nextGaussian() * 1e-5f; // around the subnormal halves
                case 2 -> { // exact ties between two halves (and their neighbours)
                    short h = (short) random.nextInt(0x7C00);
                    float tie = Float.intBitsToFloat(Float.floatToRawIntBits(Float16.toFloat(h)) + 0x1000);
                    values[i] = random.nextBoolean() ? tie : Math.nextUp(tie);
                    values[i] = random.nextBoolean() ? values[i] : -values[i];
                }
                default -> values[i] = (float) random.nextGaussian() * 8;
            }
        }
        return values;
    }

    private static void assertSameBits(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what + ": NaN expected, got " + actual);
            return; // which NaN comes out of arithmetic on NaNs is not specified the same way everywhere
        }
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                what + ": " + expected + " vs " + actual);
    }

    @Test
    void f16RoundIsFloat16RoundTrip() {
        float[] x = everyKindOfFloat(new Random(11));
        kernels.write(A, floats(x));
        kernels.call("f16_round", A, A + 4 * x.length, x.length);
        float[] actual = readFloats(A + 4 * x.length, x.length);
        for (int i = 0; i < x.length; i++) {
            assertSameBits(roundToHalf(x[i]), actual[i], "f16_round(" + x[i] + ", bits "
                    + Integer.toHexString(Float.floatToRawIntBits(x[i])) + ")");
        }
    }

    @Test
    void f16ScaleAndMadAreCoresExpressions() {
        Random random = new Random(12);
        for (int round = 0; round < 200; round++) {
            int n = 4 * (1 + random.nextInt(32));
            int fused = 4 * random.nextInt(n / 4 + 1);
            float[] acc = new float[n];
            short[] v = new short[n];
            float[] kinds = everyKindOfFloat(random);
            for (int i = 0; i < n; i++) {
                acc[i] = roundToHalf(random.nextInt(4) == 0 ? kinds[random.nextInt(kinds.length)]
                        : (float) random.nextGaussian() * 100);
                v[i] = random.nextInt(4) == 0 ? (short) random.nextInt() : Float16.fromFloat((float) random.nextGaussian());
            }
            float s = random.nextInt(8) == 0 ? kinds[random.nextInt(kinds.length)] : random.nextFloat();
            // f16_scale: acc[i] = half(acc[i] * s)
            kernels.write(A, floats(acc));
            kernels.call("f16_scale", A, Float.floatToRawIntBits(s), n);
            float[] scaled = readFloats(A, n);
            for (int i = 0; i < n; i++) {
                assertSameBits(roundToHalf(acc[i] * s), scaled[i], "f16_scale element " + i);
            }
            // f16_mad: core's fused and unfused updates
            kernels.write(A, floats(acc));
            kernels.write(A + 4 * n, halves(v));
            kernels.call("f16_mad", A + 4 * n, Float.floatToRawIntBits(s), A, fused, n);
            float[] mad = readFloats(A, n);
            for (int i = 0; i < n; i++) {
                float expected = i < fused ? roundToHalf(Attention.fma(Float16.toFloat(v[i]), s, acc[i]))
                        : roundToHalf(acc[i] + Float16.toFloat(v[i]) * s);
                assertSameBits(expected, mad[i], "f16_mad element " + i + " of " + n + " (fused below " + fused + ")");
            }
        }
    }

    @Test
    void f16DotSumsInCoresOrder() {
        Random random = new Random(13);
        for (int round = 0; round < 200; round++) {
            int n = 4 * (1 + random.nextInt(32));
            float[] q = new float[n];
            short[] k = new short[n];
            for (int i = 0; i < n; i++) {
                q[i] = roundToHalf((float) random.nextGaussian() * (random.nextInt(8) == 0 ? 3000 : 1));
                k[i] = Float16.fromFloat((float) random.nextGaussian() * (random.nextInt(8) == 0 ? 3000 : 1));
            }
            kernels.write(A, floats(q));
            kernels.write(A + 4 * n, halves(k));
            double actual = Double.longBitsToDouble(kernels.call("f16_dot", A + 4 * n, A, n)[0]);
            double expected = 0;
            for (int i = 0; i < n; i++) {
                expected += (double) (Float16.toFloat(k[i]) * q[i]);
            }
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), "f16_dot of " + n);
        }
    }

    /** The whole attention of {@code CanisterKernels.attention}, over the metered kernels, against core's. */
    @Test
    void attentionOverTheKernelsIsCoresAttention() {
        Random random = new Random(14);
        for (int headDim : new int[] {64, 16, 128}) {
            int heads = 8;
            int kvHeads = 2;
            LlamaConfig config = new LlamaConfig(headDim * heads, 1, heads, kvHeads, headDim, 8, 8, 4096, 1e-5f,
                    10000f, 1f, 1f);
            Attention attention = new Attention(config);
            int positions = 40;
            KvCache cache = new KvCache(1, positions, config.kvDim(), true);
            for (int p = 0; p < positions; p++) {
                float[] key = new float[config.kvDim()];
                float[] value = new float[config.kvDim()];
                for (int i = 0; i < key.length; i++) {
                    key[i] = (float) random.nextGaussian() * (random.nextInt(16) == 0 ? 30 : 2);
                    value[i] = (float) random.nextGaussian() * (random.nextInt(16) == 0 ? 300 : 1);
                }
                cache.store(0, p, key, value);
            }
            for (int pos : new int[] {0, 1, 7, positions - 1}) {
                float[] q = new float[heads * headDim];
                for (int i = 0; i < q.length; i++) {
                    q[i] = (float) random.nextGaussian() * 3;
                }
                float[] expected = new float[q.length];
                attention.attend(q, cache, 0, pos, expected);
                float[] actual = attendOverKernels(attention, q, cache, pos);
                for (int i = 0; i < q.length; i++) {
                    assertSameBits(expected[i], actual[i], "head size " + headDim + ", position " + pos + ", element " + i);
                }
            }
        }
    }

    /** CanisterKernels.attention for one token, with the kernels' memory laid out here. */
    private static float[] attendOverKernels(Attention attention, float[] q, KvCache cache, int pos) {
        int n = attention.headDim();
        int kvDim = attention.kvDim();
        int keys = A;
        int values = keys + 2 * cache.capacity() * kvDim;
        int query = values + 2 * cache.capacity() * kvDim;
        int acc = query + 4 * n;
        int qIn = acc + 4 * n;
        kernels.write(keys, halves(cache.keys16(0)));
        kernels.write(values, halves(cache.values16(0)));
        kernels.write(qIn, floats(q));
        int fused = n & ~63;
        float[] out = new float[q.length];
        for (int h = 0; h < attention.heads(); h++) {
            int kvOffset = (h / attention.groupSize()) * n;
            kernels.call("f16_round", qIn + 4 * h * n, query, n);
            kernels.write(acc, new byte[4 * n]);
            float sum = 0.0f;
            float max = Float.NEGATIVE_INFINITY;
            for (int p = 0; p <= pos; p++) {
                int base = 2 * (p * kvDim + kvOffset);
                float s = (float) Double.longBitsToDouble(kernels.call("f16_dot", keys + base, query, n)[0])
                        * attention.scale();
                float ms = 1.0f;
                float vs = 1.0f;
                if (s > max) {
                    float oldMax = max;
                    max = s;
                    ms = DetMath.expf(oldMax - max);
                    kernels.call("f16_scale", acc, Float.floatToRawIntBits(ms), n);
                } else {
                    vs = DetMath.expf(s - max);
                }
                kernels.call("f16_mad", values + base, Float.floatToRawIntBits(vs), acc, fused, n);
                sum = sum * ms + vs;
            }
            float inverse = sum == 0.0f ? 0.0f : 1.0f / sum;
            float[] a = readFloats(acc, n);
            for (int i = 0; i < n; i++) {
                out[h * n + i] = a[i] * inverse;
            }
        }
        return out;
    }

    /** Instructions of one head's work at one position, 64 elements (Llama-3.2-1B's heads), for the record. */
    @Test
    void instructionsPerPosition() {
        int n = 64;
        kernels.write(A, new byte[4 * 4 * n]);
        kernels.call("f16_dot", A, A + 2 * n, n);
        long dot = kernels.lastInstructions();
        kernels.call("f16_mad", A, Float.floatToRawIntBits(0.5f), A + 4 * n, n, n);
        long mad = kernels.lastInstructions();
        kernels.call("f16_scale", A + 4 * n, Float.floatToRawIntBits(0.5f), n);
        long scale = kernels.lastInstructions();
        System.out.printf("attention kernels, head of %d: f16_dot %d, f16_mad %d, f16_scale %d instructions%n", n, dot,
                mad, scale);
        assertTrue(dot + mad < 64 * 60, "f16_dot + f16_mad: " + (dot + mad) + " instructions for 64 elements");
    }
}

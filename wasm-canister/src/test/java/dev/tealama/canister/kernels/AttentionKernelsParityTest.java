package dev.tealama.canister.kernels;

import static dev.tealama.canister.kernels.WasmArrays.floats;
import static dev.tealama.canister.kernels.WasmArrays.halves;
import static dev.tealama.canister.kernels.WasmArrays.readFloats;
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
 * The attention of {@code simd-attention.wat} ({@code CanisterKernels.attention}), run metered in the local IC host,
 * against core: {@code attn_expf} against {@link DetMath#expf}; {@code attn_query}'s rounding against
 * {@code Float16}'s on every kind of float (normal and subnormal halves, ties, overflow, infinities, NaNs); the scores
 * against core's sum in index order (halves of every kind, cancellations), the online softmax against core's steps
 * (equal, infinite and NaN scores), the value updates against core's rounded fused and unfused updates (every kind of
 * ms and vs); and whole attentions against {@link Attention#attend} with an F16 cache, for head sizes 4 to 128 (the
 * fused path from 64), 1 to 41 positions (odd and even counts) and groups of 1 to 7 query heads per key/value head.
 */
class AttentionKernelsParityTest {
    private static final int A = 1 << 16;
    /**
     * Instructions of the per-position kernels this replaced, per head and position at head size 64: f16_dot 1,087 +
     * f16_mad 2,369 (simd-kernels.wat on main 0367b50; f16_scale's 1,089 when the maximum rose and the Java loop
     * around them not counted).
     */
    private static final long PER_POSITION_KERNELS = 1_087 + 2_369;
    private static MeteredLibrary attn;

    @BeforeAll
    static void load() {
        attn = BuiltShims.load("simd-attention", 256);
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

    // ---- simd-attention.wat: a token's whole attention, all positions and up to four heads of a group per call ----


    private static float attnExpf(float x) {
        return Float.intBitsToFloat((int) attn.call("attn_expf", Float.floatToRawIntBits(x))[0]);
    }

    @Test
    void attnExpfIsDetMathExpf() {
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0xFFC12345), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                -Float.MAX_VALUE, 88.72283f, 88.72284f, 88.7228f, -103.97208f, -103.9721f, -87.33655f, -87.3366f,
                709.78f, 709.79f, -745.13f, -745.14f, 0.34657359f, -0.34657359f, 0.3465736f, 1.0397208f, -1.0397208f,
                1.0397209f, 0x1p-28f, -0x1p-28f, 0x1.2p-29f, -0x1p-30f, 0.5f, -0.5f, 2f, -2f, 10f, -10f, -20f, -50f};
        for (float x : special) {
            assertSameBits(DetMath.expf(x), attnExpf(x), "attn_expf(" + x + ")");
        }
        Random random = new Random(21);
        for (int i = 0; i < 200_000; i++) {
            float x = switch (i % 4) {
                case 0 -> Float.intBitsToFloat(random.nextInt()); // any bits
                case 1 -> -random.nextFloat() * 110; // the softmax's arguments are <= 0
                case 2 -> (random.nextFloat() * 2 - 1) * 2; // around the reduction's cases
                default -> (float) (random.nextGaussian() * Math.scalb(1.0, -random.nextInt(40))); // near 0
            };
            assertSameBits(DetMath.expf(x), attnExpf(x), "attn_expf(" + x + ", bits "
                    + Integer.toHexString(Float.floatToRawIntBits(x)) + ")");
        }
    }

    @Test
    void attnQueryRoundsToHalvesTwice() {
        float[] x = everyKindOfFloat(new Random(22));
        int heads = 4;
        int n = x.length / heads;
        attn.write(A, floats(x));
        int q = A + 4 * x.length;
        attn.call("attn_query", A, heads, n, q);
        float[] got = readFloats(attn, q, 2 * x.length);
        for (int g = 0; g < heads; g++) {
            for (int i = 0; i < n; i++) {
                int at = 8 * (i / 4) * heads + 8 * g + 2 * (i % 4);
                float expected = roundToHalf(x[g * n + i]);
                assertSameBits(expected, got[at], "attn_query head " + g + " element " + i + " (" + x[g * n + i] + ")");
                assertSameBits(expected, got[at + 1], "attn_query head " + g + " element " + i + ", second copy");
            }
        }
    }

    /** A half of any kind now and then (subnormal, large, infinite, NaN when {@code specials}), else a normal one. */
    private static short anyHalf(Random random, boolean specials) {
        return switch (random.nextInt(10)) {
            case 0 -> specials ? (short) random.nextInt() : (short) (random.nextInt(0x7C00) | (random.nextInt(2) << 15));
            case 1 -> (short) (random.nextInt(0x400) | (random.nextInt(2) << 15)); // subnormal
            case 2 -> Float16.fromFloat((float) random.nextGaussian() * 3000);
            default -> Float16.fromFloat((float) random.nextGaussian());
        };
    }

    /**
     * ±2048, ±2^-24 (the smallest subnormal), 1 or 0: products of ±2^22 swallow those of 2^-48 in a double sum until
     * they cancel, so a sum of them changes with the order of its additions (and the float it is cast to with it).
     */
    private static short cancelling(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> (short) 0x6800;
            case 1 -> (short) 0xE800;
            case 2, 3 -> (short) 0x0001;
            case 4 -> (short) 0x8001;
            case 5 -> (short) 0x3C00;
            default -> (short) 0;
        };
    }

    private static int record(int heads) {
        return 16 * heads + 8;
    }

    @Test
    void attnScoresSumInCoresOrder() {
        Random random = new Random(23);
        for (int round = 0; round < 120; round++) {
            int heads = 1 + round % 4;
            int n = 4 * (1 + random.nextInt(random.nextBoolean() ? 4 : 40));
            int count = 1 + random.nextInt(round % 3 == 0 ? 3 : 40);
            int kvHeads = 1 + random.nextInt(3);
            int kvHead = random.nextInt(kvHeads);
            int kvDim = kvHeads * n;
            int mode = round % 3; // 1, 2: sums whose value depends on the order of their additions
            short[] k = new short[count * kvDim];
            for (int i = 0; i < k.length; i++) {
                k[i] = mode == 1 ? cancelling(random) : anyHalf(random, round % 5 == 0);
            }
            float[] q = new float[heads * n];
            for (int i = 0; i < q.length; i++) {
                q[i] = roundToHalf(Float16.toFloat(mode == 1 ? cancelling(random) : anyHalf(random, false)));
            }
            if (mode == 2) {
                // q: 2048 at even elements, 2^-24 at odd ones; each key head: at even elements as many +2048 as
                // -2048 (products +-2^22, summing to 0), at odd ones +-2^-24 or 0 (products +-2^-48): a tiny product
                // survives only if added while the big ones cancel, so the score (a float) tells the order
                for (int i = 0; i < q.length; i++) {
                    q[i] = i % 2 == 0 ? 2048f : 0x1p-24f;
                }
                for (int head = 0; head < count * kvHeads; head++) {
                    short[] bigs = new short[n / 2];
                    int pairs = random.nextInt(n / 4 + 1);
                    for (int j = 0; j < 2 * pairs; j++) {
                        bigs[j] = (short) (j % 2 == 0 ? 0x6800 : 0xE800);
                    }
                    for (int j = bigs.length - 1; j > 0; j--) {
                        int r = random.nextInt(j + 1);
                        short t = bigs[j];
                        bigs[j] = bigs[r];
                        bigs[r] = t;
                    }
                    for (int i = 0; i < n; i++) {
                        k[head * n + i] = i % 2 == 0 ? bigs[i / 2]
                                : (short) new int[] {0x0001, 0x8001, 0, 0x0001}[random.nextInt(4)];
                    }
                }
            }
            float scale = 1.0f / (float) Math.sqrt((float) n);
            int keys = A;
            int qIn = keys + 2 * k.length;
            int qBuf = qIn + 4 * q.length;
            int rec = qBuf + 8 * q.length;
            attn.write(keys, halves(k));
            attn.write(qIn, floats(q));
            attn.call("attn_query", qIn, heads, n, qBuf);
            attn.call("attn_scores_g" + heads, keys + 2 * kvHead * n, 2 * kvDim, qBuf, n, count,
                    Float.floatToRawIntBits(scale), rec);
            float[] records = readFloats(attn, rec, record(heads) / 4 * count);
            for (int p = 0; p < count; p++) {
                for (int g = 0; g < heads; g++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += (double) (Float16.toFloat(k[p * kvDim + kvHead * n + i]) * q[g * n + i]);
                    }
                    float expected = (float) dot * scale;
                    assertSameBits(expected, records[p * record(heads) / 4 + g], "score of head " + g + " of " + heads
                            + ", position " + p + " of " + count + ", n " + n);
                }
            }
        }
    }

    @Test
    void attnSoftmaxIsCoresOnlineSoftmax() {
        Random random = new Random(24);
        for (int round = 0; round < 200; round++) {
            int heads = 1 + round % 4;
            int count = 1 + random.nextInt(round % 3 == 0 ? 4 : 60);
            int r = record(heads);
            float[] scores = new float[count * heads];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = switch (random.nextInt(12)) {
                    case 0 -> Float.NEGATIVE_INFINITY;
                    case 1 -> round % 7 == 0 ? Float.NaN : 0f;
                    case 2 -> round % 5 == 0 ? Float.POSITIVE_INFINITY : -0f;
                    case 3 -> i >= heads ? scores[i - heads] : 1f; // the previous position's score again
                    case 4 -> (float) random.nextGaussian() * 100;
                    default -> (float) random.nextGaussian() * 4;
                };
            }
            ByteBuffer b = ByteBuffer.allocate(r * count).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < count; p++) {
                for (int g = 0; g < heads; g++) {
                    b.putFloat(p * r + 4 * g, scores[p * heads + g]);
                }
                b.putInt(p * r + 16 * heads, 0x5A5A5A5A); // overwritten
            }
            int rec = A;
            int inv = A + r * count + 64;
            attn.write(rec, b.array());
            attn.call("attn_softmax_g" + heads, rec, count, inv);
            ByteBuffer got = ByteBuffer.wrap(attn.read(rec, r * count)).order(ByteOrder.LITTLE_ENDIAN);
            float[] gotInv = readFloats(attn, inv, heads);
            float[] max = new float[heads];
            float[] sum = new float[heads];
            java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
            for (int p = 0; p < count; p++) {
                int rise = 0;
                for (int g = 0; g < heads; g++) {
                    float s = scores[p * heads + g];
                    float ms = 1.0f;
                    float vs = 1.0f;
                    if (s > max[g]) {
                        float oldMax = max[g];
                        max[g] = s;
                        ms = DetMath.expf(oldMax - max[g]);
                        rise = 1;
                    } else {
                        vs = DetMath.expf(s - max[g]);
                    }
                    sum[g] = sum[g] * ms + vs;
                    String at = "head " + g + " of " + heads + ", position " + p;
                    assertSameBits(ms, got.getFloat(p * r + 4 * g), "ms, " + at);
                    assertSameBits(vs, got.getFloat(p * r + 4 * heads + 4 * g), "vs, " + at);
                    assertSameBits(vs, (float) got.getDouble(p * r + 8 * heads + 8 * g), "vs (f64), " + at);
                    if (!Float.isNaN(vs)) {
                        assertEquals((double) vs, got.getDouble(p * r + 8 * heads + 8 * g), "vs (f64), " + at);
                    }
                }
                assertEquals(rise, got.getInt(p * r + 16 * heads), "flag at position " + p);
            }
            for (int g = 0; g < heads; g++) {
                assertSameBits(sum[g] == 0.0f ? 0.0f : 1.0f / sum[g], gotInv[g], "1 / sum of head " + g);
            }
        }
    }

    @Test
    void attnValuesAreCoresUpdates() {
        Random random = new Random(25);
        float[] kinds = everyKindOfFloat(random);
        int[] sizes = {4, 8, 12, 16, 64, 68, 72, 128, 132};
        for (int round = 0; round < 150; round++) {
            int heads = 1 + round % 4;
            int n = sizes[round % sizes.length];
            int fused = n & ~63;
            int count = 1 + random.nextInt(round % 3 == 0 ? 3 : 30);
            int kvHeads = 1 + random.nextInt(2);
            int kvHead = random.nextInt(kvHeads);
            int kvDim = kvHeads * n;
            int r = record(heads);
            short[] v = new short[count * kvDim];
            for (int i = 0; i < v.length; i++) {
                v[i] = anyHalf(random, round % 6 == 0);
            }
            float[][] ms = new float[count][heads];
            float[][] vs = new float[count][heads];
            int[] flag = new int[count];
            ByteBuffer b = ByteBuffer.allocate(r * count).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < count; p++) {
                flag[p] = random.nextInt(4) == 0 ? 1 : 0; // set where no head's ms differs from 1, too
                for (int g = 0; g < heads; g++) {
                    ms[p][g] = 1f;
                    vs[p][g] = random.nextFloat();
                    if (flag[p] == 1 && random.nextBoolean()) {
                        ms[p][g] = random.nextInt(6) == 0 ? kinds[random.nextInt(kinds.length)] : random.nextFloat();
                        vs[p][g] = 1f;
                    } else if (random.nextInt(10) == 0) {
                        vs[p][g] = kinds[random.nextInt(kinds.length)];
                    }
                    b.putFloat(p * r + 4 * g, ms[p][g]);
                    b.putFloat(p * r + 4 * heads + 4 * g, vs[p][g]);
                    b.putDouble(p * r + 8 * heads + 8 * g, vs[p][g]);
                }
                b.putInt(p * r + 16 * heads, flag[p]);
            }
            float[] inv = new float[heads];
            for (int g = 0; g < heads; g++) {
                inv[g] = random.nextInt(5) == 0 ? 0f : 1f / (1 + random.nextFloat() * count);
            }
            int values = A;
            int rec = values + 2 * v.length;
            int invAt = rec + r * count;
            int out = invAt + 16;
            attn.write(values, halves(v));
            attn.write(rec, b.array());
            attn.write(invAt, floats(inv));
            attn.call("attn_values_g" + heads, values + 2 * kvHead * n, 2 * kvDim, n, count, fused, rec, invAt, out);
            float[] got = readFloats(attn, out, heads * n);
            for (int g = 0; g < heads; g++) {
                for (int i = 0; i < n; i++) {
                    float acc = 0f;
                    for (int p = 0; p < count; p++) {
                        if (flag[p] == 1) {
                            acc = roundToHalf(acc * ms[p][g]);
                        }
                        float x = Float16.toFloat(v[p * kvDim + kvHead * n + i]);
                        acc = i < fused ? roundToHalf(Attention.fma(x, vs[p][g], acc)) : roundToHalf(acc + x * vs[p][g]);
                    }
                    assertSameBits(acc * inv[g], got[g * n + i], "head " + g + " of " + heads + ", element " + i
                            + " of " + n + ", " + count + " positions");
                }
            }
        }
    }

    /** The whole attention of {@code CanisterKernels.attention} over simd-attention.wat against core's, bit for bit. */
    @Test
    void attnKernelsAreCoresAttention() {
        Random random = new Random(26);
        int[][] shapes = { // head size, query heads, key/value heads
            {64, 8, 2}, {16, 8, 4}, {8, 8, 4}, {64, 4, 4}, {12, 7, 1}, {68, 6, 2}, {128, 4, 1}, {4, 2, 1}, {8, 10, 2}};
        for (int[] shape : shapes) {
            int headDim = shape[0];
            int heads = shape[1];
            int kvHeads = shape[2];
            LlamaConfig config = new LlamaConfig(headDim * heads, 1, heads, kvHeads, headDim, 8, 8, 4096, 1e-5f,
                    10000f, 1f, 1f);
            Attention attention = new Attention(config);
            int positions = 41;
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
            for (int pos : new int[] {0, 1, 2, 6, 39, positions - 1}) {
                float[] q = new float[heads * headDim];
                for (int i = 0; i < q.length; i++) {
                    q[i] = (float) random.nextGaussian() * 3;
                }
                float[] expected = new float[q.length];
                attention.attend(q, cache, 0, pos, expected);
                float[] actual = attendOverAttentionKernels(attention, q, cache, pos);
                for (int i = 0; i < q.length; i++) {
                    assertSameBits(expected[i], actual[i], "head size " + headDim + ", " + heads + "/" + kvHeads
                            + " heads, position " + pos + ", element " + i);
                }
            }
        }
    }

    /** CanisterKernels.attention for one token, with the memory laid out here; its instructions in {@link #spent}. */
    private static long spent;
    /** The same by kernel: query, scores, softmax, values. */
    private static final long[] spentBy = new long[4];

    private static float[] attendOverAttentionKernels(Attention attention, float[] q, KvCache cache, int pos) {
        int n = attention.headDim();
        int kvDim = attention.kvDim();
        int group = attention.groupSize();
        int keys = A;
        int values = keys + 2 * cache.capacity() * kvDim;
        int qIn = values + 2 * cache.capacity() * kvDim;
        int out = qIn + 4 * q.length;
        int qBuf = out + 4 * q.length;
        int inv = qBuf + 32 * n;
        int rec = inv + 16;
        attn.write(keys, halves(cache.keys16(0)));
        attn.write(values, halves(cache.values16(0)));
        attn.write(qIn, floats(q));
        spent = 0;
        java.util.Arrays.fill(spentBy, 0);
        for (int h = 0; h < attention.heads(); ) {
            int kvHead = h / group;
            int g = Math.min(Math.min(4, (kvHead + 1) * group - h), attention.heads() - h);
            int kv = 2 * kvHead * n;
            attn.call("attn_query", qIn + 4 * h * n, g, n, qBuf);
            spent += attn.lastInstructions();
            spentBy[0] += attn.lastInstructions();
            attn.call("attn_scores_g" + g, keys + kv, 2 * kvDim, qBuf, n, pos + 1,
                    Float.floatToRawIntBits(attention.scale()), rec);
            spent += attn.lastInstructions();
            spentBy[1] += attn.lastInstructions();
            attn.call("attn_softmax_g" + g, rec, pos + 1, inv);
            spent += attn.lastInstructions();
            spentBy[2] += attn.lastInstructions();
            attn.call("attn_values_g" + g, values + kv, 2 * kvDim, n, pos + 1, n & ~63, rec, inv, out + 4 * h * n);
            spent += attn.lastInstructions();
            spentBy[3] += attn.lastInstructions();
            h += g;
        }
        return readFloats(attn, out, q.length);
    }

    /**
     * Instructions per head and position of a whole attention at head size 64 (Llama-3.2-1B: 32 query heads, 8 key/value
     * heads; and with 8/8 and 8/4 heads), for 1, 64 and 1,000 positions, against the per-position kernels' before.
     */
    @Test
    void attnInstructionsPerHeadAndPosition() {
        Random random = new Random(27);
        int n = 64;
        for (int[] shape : new int[][] {{32, 8}, {8, 8}, {8, 4}}) {
            int heads = shape[0];
            int kvHeads = shape[1];
            LlamaConfig config = new LlamaConfig(n * heads, 1, heads, kvHeads, n, 8, 8, 4096, 1e-5f, 10000f, 1f, 1f);
            Attention attention = new Attention(config);
            int positions = 1000;
            KvCache cache = new KvCache(1, positions, config.kvDim(), true);
            for (int p = 0; p < positions; p++) {
                float[] key = new float[config.kvDim()];
                float[] value = new float[config.kvDim()];
                for (int i = 0; i < key.length; i++) {
                    key[i] = (float) random.nextGaussian();
                    value[i] = (float) random.nextGaussian();
                }
                cache.store(0, p, key, value);
            }
            float[] q = new float[heads * n];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) random.nextGaussian();
            }
            for (int count : new int[] {1, 64, 1000}) {
                attendOverAttentionKernels(attention, q, cache, count - 1);
                double perHeadAndPosition = (double) spent / heads / count;
                double hp = (double) heads * count;
                System.out.printf("attention, head 64, %d/%d heads, %d positions: %d instructions, %.1f per head and"
                        + " position (query %.1f, scores %.1f, softmax %.1f, values %.1f; per-position kernels before:"
                        + " %d)%n", heads, kvHeads, count, spent, perHeadAndPosition, spentBy[0] / hp,
                        spentBy[1] / hp, spentBy[2] / hp, spentBy[3] / hp, PER_POSITION_KERNELS);
                if (count == 1000) {
                    assertTrue(perHeadAndPosition < PER_POSITION_KERNELS / (heads == kvHeads ? 1.5 : 2.0),
                            perHeadAndPosition + " per head and position");
                }
            }
        }
    }
}

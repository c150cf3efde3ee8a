package dev.tealama.tensor;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For random blocks and activations, every format's dot product equals the exact (double) sum of its own
 * dequantized weights times the dequantized activations, to within float rounding: dot, dequantize and the
 * activation quantizers agree on what the bytes mean.
 */
class DotProductPropertyTest {

    @Provide
    Arbitrary<GgmlType> formats() {
        return Arbitraries.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
                GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
    }

    @Property(tries = 300)
    void dotIsTheSumOfDequantizedProducts(@ForAll("formats") GgmlType type, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        WeightFormat format = WeightFormat.of(type);
        int blocks = 1 + random.nextInt(type.blockSize() == 256 ? 3 : 8);
        int n = type.blockSize() == 1 ? 32 * blocks : blocks * type.blockSize();
        byte[] w = randomWeights(type, n, random);
        float scale = (float) Math.pow(10, random.nextInt(-3, 3));
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (random.nextGaussian() * scale);
        }
        QuantizedVector q = new QuantizedVector(format.activationType(), n);
        q.quantize(x, 0, n);

        float[] wf = new float[n];
        format.dequantize(w, 0, wf, 0, n);
        float[] xf = Dequantized.of(q);
        double exact = 0;
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            exact += (double) wf[i] * xf[i];
            magnitude += Math.abs((double) wf[i] * xf[i]);
        }
        double tolerance = 1e-5 * magnitude + 1e-30;
        if (type == GgmlType.Q4_1) {
            // Q4_1's kernel uses the activation block sum as stored (fp16 of d * sum(q)), not d * sum(q) itself
            for (int b = 0; b < blocks; b++) {
                int sum = 0;
                for (int j = 0; j < 32; j++) {
                    sum += q.quants()[32 * b + j];
                }
                double m = Float16.toFloat(w, 20 * b + 2);
                tolerance += Math.abs(m * (q.blockSums()[b] - (double) q.scales()[b] * sum));
            }
        }
        float dot = format.dot(w, 0, q, 0, n);
        if (!(Math.abs(dot - exact) <= tolerance)) {
            throw new AssertionError(type + ": dot " + dot + ", exact " + exact + ", tolerance " + tolerance);
        }
    }

    @Property(tries = 200)
    void weightQuantizersRoundTripWithinHalfAStep(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[64];
        float scale = (float) Math.pow(10, random.nextInt(-4, 4));
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * scale);
        }
        for (WeightQuantizer quantizer : new WeightQuantizer[] {Q8_0Format.INSTANCE, Q4_0Format.INSTANCE}) {
            GgmlType type = quantizer.type();
            byte[] bytes = new byte[(int) type.bytesFor(64)];
            quantizer.quantize(x, 0, bytes, 0, 64);
            float[] back = new float[64];
            WeightFormat.of(type).dequantize(bytes, 0, back, 0, 64);
            for (int b = 0; b < 2; b++) {
                double step = Math.abs(Float16.toFloat(bytes, b * type.blockBytes()));
                // half a step (Q4_0: a whole one, its top level is 7 while the block's extreme may map to 8),
                // plus the largest level times the scale's fp16 rounding error (2^-11 relative, or 2^-25 absolute
                // once the scale is an fp16 subnormal)
                double scaleError = Math.max(step * 0x1p-11, 0x1p-25);
                double allowed = type == GgmlType.Q8_0 ? 0.5 * step + 127 * scaleError : step + 8 * scaleError;
                allowed *= 1.0001;
                for (int j = 0; j < 32; j++) {
                    int i = 32 * b + j;
                    if (!(Math.abs(back[i] - x[i]) <= allowed)) {
                        throw new AssertionError(type + " element " + i + ": " + x[i] + " came back as " + back[i]
                                + " (step " + step + ")");
                    }
                }
            }
        }
    }

    /** Random blocks: Q8_0 and Q4_0 from the quantizers, the others random bytes with sane fp16 scales. */
    private static byte[] randomWeights(GgmlType type, int n, SplittableRandom random) {
        byte[] w = new byte[(int) type.bytesFor(n)];
        switch (type) {
            case F32:
                for (int i = 0; i < n; i++) {
                    int bits = Float.floatToRawIntBits((float) random.nextGaussian());
                    for (int k = 0; k < 4; k++) {
                        w[4 * i + k] = (byte) (bits >>> (8 * k));
                    }
                }
                return w;
            case F16:
            case BF16:
                for (int i = 0; i < n; i++) {
                    float f = (float) random.nextGaussian();
                    short h = type == GgmlType.F16 ? Float16.fromFloat(f) : BFloat16.fromFloat(f);
                    w[2 * i] = (byte) h;
                    w[2 * i + 1] = (byte) (h >> 8);
                }
                return w;
            case Q8_0:
            case Q4_0:
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) random.nextGaussian();
                }
                ((WeightQuantizer) WeightFormat.of(type)).quantize(f, 0, w, 0, n);
                return w;
            default:
                random.nextBytes(w);
                for (int b = 0; b < w.length / type.blockBytes(); b++) {
                    int p = b * type.blockBytes();
                    if (type == GgmlType.Q6_K) {
                        putHalf(w, p + 208, random.nextDouble(0.0005, 0.01));
                    } else {
                        putHalf(w, p, random.nextDouble(0.0005, 0.05));
                        putHalf(w, p + 2, type == GgmlType.Q4_1 ? -random.nextDouble(0, 0.5) : random.nextDouble(0, 0.01));
                    }
                }
                return w;
        }
    }

    private static void putHalf(byte[] w, int p, double value) {
        short h = Float16.fromFloat((float) value);
        w[p] = (byte) h;
        w[p + 1] = (byte) (h >> 8);
    }
}

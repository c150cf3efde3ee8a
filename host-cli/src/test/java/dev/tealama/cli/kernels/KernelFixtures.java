package dev.tealama.cli.kernels;

import dev.tealama.tensor.BFloat16;
import dev.tealama.tensor.Float16;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;
import dev.tealama.tensor.WeightQuantizer;

import java.util.SplittableRandom;

/** Random weights and activations for the kernel parity tests, and the scale against which differences are judged. */
final class KernelFixtures {
    private KernelFixtures() {
    }

    static final GgmlType[] TYPES = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
            GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K};

    /**
     * {@code rows} random rows of {@code cols} elements: Q8_0 and Q4_0 from core's quantizers, the other quantized
     * types random bytes with sane fp16 scales (every bit pattern of their quants is valid), float types from
     * Gaussian values.
     */
    static byte[] weights(GgmlType type, int rows, int cols, SplittableRandom random) {
        int n = rows * cols;
        byte[] w = new byte[(int) type.bytesFor(n)];
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    int bits = Float.floatToRawIntBits((float) random.nextGaussian());
                    for (int k = 0; k < 4; k++) {
                        w[4 * i + k] = (byte) (bits >>> (8 * k));
                    }
                }
            }
            case F16, BF16 -> {
                for (int i = 0; i < n; i++) {
                    float f = (float) random.nextGaussian();
                    short h = type == GgmlType.F16 ? Float16.fromFloat(f) : BFloat16.fromFloat(f);
                    w[2 * i] = (byte) h;
                    w[2 * i + 1] = (byte) (h >> 8);
                }
            }
            case Q8_0, Q4_0 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) random.nextGaussian();
                }
                ((WeightQuantizer) WeightFormat.of(type)).quantize(f, 0, w, 0, n);
            }
            default -> {
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
            }
        }
        return w;
    }

    /** Random activations in the form {@code type}'s weights take, as core's quantizer makes them. */
    static QuantizedVector activations(GgmlType type, int cols, SplittableRandom random) {
        float scale = (float) Math.pow(10, random.nextInt(-3, 3));
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) (random.nextGaussian() * scale);
        }
        if (random.nextInt(4) == 0) {
            // an outlier, as real activations have
            x[random.nextInt(cols)] *= 50;
        }
        return quantize(type, x);
    }

    static QuantizedVector quantize(GgmlType type, float[] x) {
        QuantizedVector q = new QuantizedVector(WeightFormat.of(type).activationType(), x.length);
        q.quantize(x, 0, x.length);
        return q;
    }

    /**
     * The scale of a dot product's rounding: the sum of the magnitudes of its terms, {@code Σ |w_j · x_j|} over
     * dequantized weights and activations (plus, for Q4_1, the magnitudes of the per-block minimum terms).
     */
    static double magnitude(GgmlType type, byte[] w, int wOffset, QuantizedVector x, int cols) {
        float[] wf = new float[cols];
        WeightFormat.of(type).dequantize(w, wOffset, wf, 0, cols);
        float[] xf = dequantized(x);
        double sum = 0;
        for (int i = 0; i < cols; i++) {
            sum += Math.abs((double) wf[i] * xf[i]);
        }
        if (type == GgmlType.Q4_1) {
            for (int b = 0; b < cols / 32; b++) {
                sum += Math.abs((double) Float16.toFloat(w, wOffset + 20 * b + 2) * x.blockSums()[b]);
            }
        }
        return sum;
    }

    static float[] dequantized(QuantizedVector v) {
        int n = v.length();
        float[] out = new float[n];
        switch (v.type()) {
            case F32, F16, BF16 -> System.arraycopy(v.values(), 0, out, 0, n);
            default -> {
                int block = v.type().blockSize();
                for (int i = 0; i < n; i++) {
                    out[i] = v.quants()[i] * v.scales()[i / block];
                }
            }
        }
        return out;
    }

    /**
     * How far two summation orders of {@code blocks} terms may drift apart: each order's partial sums round by at
     * most 2^-24 relative to {@code Σ|terms|} per addition, so together within {@code 2 · (blocks + 8) · 2^-24}
     * of it (the 8 covers a vector's lanes being added at the end).
     */
    static double tolerance(int blocks, double magnitude) {
        return 2.0 * (blocks + 8) * 0x1p-24 * magnitude + 1e-30;
    }

    private static void putHalf(byte[] w, int p, double value) {
        short h = Float16.fromFloat((float) value);
        w[p] = (byte) h;
        w[p + 1] = (byte) (h >> 8);
    }
}

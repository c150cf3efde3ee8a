package dev.tealama.canister.kernels;

import static dev.tealama.canister.kernels.WasmArrays.floats;
import static dev.tealama.canister.kernels.WasmArrays.readFloats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.math.DetMath;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.QuantizedVector;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernels of {@code activations.wat} ({@code q8_0_quantize}, {@code q8_k_quantize}, {@code swiglu}), as the build
 * assembled them, run metered in the local IC host against core's scalar code, bit for bit: {@link
 * QuantizedVector#quantize} for Q8_0 and Q8_K, and
 * {@link dev.tealama.model.Kernels#swiglu}'s expression with {@link DetMath#expf}. The inputs cover every kind of
 * float (random bit patterns: normals, subnormals, infinities, NaNs), blocks whose scale underflows or overflows, and
 * every branch of fdlibm's exp, swept float by float across its thresholds. Each kernel's cost per element is
 * printed and bounded.
 */
class ActivationKernelsParityTest {
    private static final int X = 1 << 16;
    private static MeteredLibrary kernels;

    @BeforeAll
    static void load() {
        kernels = BuiltShims.load("activations", 256);
    }

    @Test
    void quantizesQ8_0AsCoreDoes() {
        Random random = new Random(7);
        int blocks = 4096;
        float[] x = new float[blocks * 32];
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < 32; j++) {
                x[b * 32 + j] = switch (b % 8) {
                    case 0, 1 -> (float) random.nextGaussian();             // activations as they are
                    case 2 -> (float) random.nextGaussian() * 1e30f;        // huge: the scale overflows
                    case 3 -> (float) random.nextGaussian() * 1e-40f;       // subnormal: the multiplier is infinity
                    case 4 -> Float.intBitsToFloat(random.nextInt());       // any bits: NaNs and infinities too
                    case 5 -> j == b % 32 ? (float) random.nextGaussian() : 0f; // one element, the rest zero
                    case 6 -> 0f;                                           // all zero: multiplier 0
                    default -> (random.nextInt(255) - 127) / 127f * 3.5f;   // ties: exact halves after scaling
                };
            }
        }
        QuantizedVector expected = new QuantizedVector(ActivationType.Q8_0, x.length);
        expected.quantize(x, 0, x.length);

        int quants = X + 4 * x.length;
        int scales = quants + x.length;
        kernels.write(X, floats(x));
        kernels.call("q8_0_quantize", X, quants, scales, blocks);

        byte[] actualQuants = kernels.read(quants, x.length);
        float[] actualScales = readFloats(kernels, scales, blocks);
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < 32; j++) {
                int i = b * 32 + j;
                assertEquals(expected.quants()[i], actualQuants[i], "block " + b + " (kind " + b % 8 + "), quant " + j
                        + " of " + x[i]);
            }
            // bit for bit; NaN scales (blocks holding a NaN) only as NaN: Java's Math.max returns the NaN it met,
            // Wasm's max any NaN
            assertEquals(Float.floatToIntBits(expected.scales()[b]), Float.floatToIntBits(actualScales[b]),
                    "block " + b + " (kind " + b % 8 + "), scale");
        }
        KernelCost.assertPerElement("q8_0_quantize", kernels.lastInstructions(), x.length, 10); // TeaVM Java: ~190
    }

    @Test
    void quantizesQ8_KAsCoreDoes() {
        Random random = new Random(11);
        int blocks = 512;
        float[] x = new float[blocks * 256];
        for (int b = 0; b < blocks; b++) {
            int peak = random.nextInt(256);
            for (int j = 0; j < 256; j++) {
                x[b * 256 + j] = switch (b % 10) {
                    case 0, 1 -> (float) random.nextGaussian();              // activations as they are
                    case 2 -> (float) random.nextGaussian() * 1e30f;         // huge
                    case 3 -> (float) random.nextGaussian() * 1e-40f;        // subnormal: iscale overflows
                    case 4 -> Float.intBitsToFloat(random.nextInt());        // any bits: NaNs and infinities too
                    case 5 -> j == peak ? (float) random.nextGaussian() : 0f; // one element, the rest zero
                    case 6 -> j % 3 == 0 ? Float.NaN : j % 3 == 1 ? -0f : 0f; // nothing to scale by
                    // the largest magnitude twice, with both signs: the first one's sign counts
                    case 7 -> j == peak ? -4.5f : j == (peak + 37) % 256 ? 4.5f : (float) random.nextGaussian();
                    case 8 -> j == peak ? Float.NEGATIVE_INFINITY : (float) random.nextGaussian(); // d = +inf
                    default -> (random.nextInt(255) - 127) / 127f * 3.5f;    // ties: exact halves after scaling
                };
            }
        }
        QuantizedVector expected = new QuantizedVector(ActivationType.Q8_K, x.length);
        expected.quantize(x, 0, x.length);

        int quants = X + 4 * x.length;
        int scales = quants + x.length;
        int sums = scales + 4 * blocks;
        kernels.write(X, floats(x));
        kernels.call("q8_k_quantize", X, quants, scales, sums, blocks);

        byte[] actualQuants = kernels.read(quants, x.length);
        float[] actualScales = readFloats(kernels, scales, blocks);
        byte[] actualSums = kernels.read(sums, 2 * x.length / 16);
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < 256; j++) {
                int i = b * 256 + j;
                assertEquals(expected.quants()[i], actualQuants[i], "block " + b + " (kind " + b % 10 + "), quant " + j
                        + " of " + x[i]);
            }
            assertEquals(Float.floatToRawIntBits(expected.scales()[b]), Float.floatToRawIntBits(actualScales[b]),
                    "block " + b + " (kind " + b % 10 + "), scale");
            for (int g = 0; g < 16; g++) {
                int at = 2 * (b * 16 + g);
                short actual = (short) ((actualSums[at] & 0xFF) | actualSums[at + 1] << 8);
                assertEquals(expected.groupSums()[b * 16 + g], actual, "block " + b + " (kind " + b % 10 + "), sum " + g);
            }
        }
        KernelCost.assertPerElement("q8_k_quantize", kernels.lastInstructions(), x.length, 10);
    }

    @Test
    void swigluOfEveryKindOfFloat() {
        Random random = new Random(11);
        int n = 1 << 14;
        float[] gate = new float[n];
        float[] up = new float[n];
        for (int i = 0; i < n; i++) {
            gate[i] = switch (i % 4) {
                case 0 -> Float.intBitsToFloat(random.nextInt());   // any bits
                case 1 -> (float) random.nextGaussian() * 4;        // activations as they are
                case 2 -> (float) (random.nextDouble() * 240 - 120); // across the computed range and past its ends
                default -> (float) random.nextGaussian() * 1e-6f;   // near zero: e^x's 1 + x and k = 0 branches
            };
            up[i] = random.nextInt(8) == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) random.nextGaussian();
        }
        float[] actual = swiglu(gate, up);
        for (int i = 0; i < n; i++) {
            assertSame(gate[i], up[i], actual[i]);
        }
        KernelCost.assertPerElement("swiglu", kernels.lastInstructions(), n, 70); // TeaVM Java: ~235
    }

    /**
     * Float by float across each threshold of fdlibm's exp (on the argument -gate): |x| = ln2/2 and 3ln2/2 (where
     * DetMath tests high words), 2^-28, this kernel's own limits 100 and -110, and where the float result overflows
     * (88.72) or becomes subnormal or zero (-87.34, -103.97).
     */
    @Test
    void swigluAcrossExpsThresholds() {
        float[] thresholds = {0.34657359f, 1.0397208f, 0x1p-28f, 100f, 110f, 88.72284f, 87.33655f, 103.97208f};
        int each = 2048;
        float[] gate = new float[thresholds.length * 2 * each];
        int i = 0;
        for (float t : thresholds) {
            for (float sign : new float[] {1f, -1f}) {
                int start = Float.floatToIntBits(t) - each / 2;
                for (int k = 0; k < each; k++) {
                    gate[i++] = sign * Float.intBitsToFloat(start + k);
                }
            }
        }
        float[] up = new float[gate.length];
        java.util.Arrays.fill(up, 1f);
        float[] actual = swiglu(gate, up);
        for (int k = 0; k < gate.length; k++) {
            assertSame(gate[k], up[k], actual[k]);
        }
    }

    private static void assertSame(float g, float u, float actual) {
        float expected = g / (1.0f + DetMath.expf(-g)) * u;
        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual),
                () -> "swiglu(" + g + " [0x" + Integer.toHexString(Float.floatToRawIntBits(g)) + "], " + u + "): "
                        + expected + " expected, " + actual + " (expf(" + -g + ") = " + DetMath.expf(-g) + ")");
    }

    private static float[] swiglu(float[] gate, float[] up) {
        int upAddress = X + 4 * gate.length;
        kernels.write(X, floats(gate));
        kernels.write(upAddress, floats(up));
        kernels.call("swiglu", X, upAddress, gate.length);
        return readFloats(kernels, X, gate.length);
    }
}

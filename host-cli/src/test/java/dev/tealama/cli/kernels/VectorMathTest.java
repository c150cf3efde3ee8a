package dev.tealama.cli.kernels;

import dev.tealama.math.DetMath;
import dev.tealama.tensor.Float16;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vector functions give the scalar originals' bits: every half widened, and for exp and rounding to half,
 * floats sampled across the whole bit space (every 61st pattern, so every exponent and both signs), the special
 * values, and the arguments attention and SwiGLU actually pass (up to ±120).
 */
class VectorMathTest {

    @Test
    void expfIsDetMathExpf() {
        int stride = 61;
        float[] x = new float[(int) ((1L << 32) / stride) + 64];
        int n = 0;
        for (long bits = 0; bits < 1L << 32; bits += stride) {
            x[n++] = Float.intBitsToFloat((int) bits);
        }
        for (float special : new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 88.72283f, 88.72284f, -87.33655f,
                -103.97208f, -103.97209f, 0.34657359f, -0.34657359f, 1.0397207f, -1.0397207f, 3.7252903e-9f}) {
            x[n++] = special;
        }
        SplittableRandom random = new SplittableRandom(1);
        while (n < x.length) {
            x[n++] = (float) (random.nextDouble(-120, 20));
        }
        float[] vector = new float[n];
        VectorMath.expf(x, vector, n);
        for (int i = 0; i < n; i++) {
            float expected = DetMath.expf(x[i]);
            if (Float.floatToIntBits(expected) != Float.floatToIntBits(vector[i])) {
                assertEquals(expected, vector[i], "expf(" + x[i] + ") (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(x[i])) + ")");
            }
        }
    }

    @Test
    void roundToHalfIsFloat16RoundTrip() {
        float[] lanes = new float[1024];
        float[] out = new float[1024];
        int filled = 0;
        for (long bits = 0; bits < 1L << 32; bits += 7) {
            lanes[filled++] = Float.intBitsToFloat((int) bits);
            if (filled == lanes.length) {
                System.arraycopy(lanes, 0, out, 0, filled);
                VectorMath.roundToHalf(out, filled);
                for (int i = 0; i < filled; i++) {
                    float expected = Float16.toFloat(Float16.fromFloat(lanes[i]));
                    if (Float.floatToIntBits(expected) != Float.floatToIntBits(out[i])) {
                        assertEquals(expected, out[i], "round " + lanes[i] + " (0x"
                                + Integer.toHexString(Float.floatToRawIntBits(lanes[i])) + ")");
                    }
                }
                filled = 0;
            }
        }
    }

    @Test
    void everyHalfWidensExactly() {
        short[] halves = new short[1 << 16];
        for (int h = 0; h < halves.length; h++) {
            halves[h] = (short) h;
        }
        float[] out = new float[halves.length];
        VectorMath.widenHalves(halves, 0, out, halves.length);
        for (int h = 0; h < halves.length; h++) {
            float expected = Float16.toFloat(halves[h]);
            if (Float.floatToIntBits(expected) != Float.floatToIntBits(out[h])) {
                assertEquals(expected, out[h], "half 0x" + Integer.toHexString(h));
            }
        }
    }
}

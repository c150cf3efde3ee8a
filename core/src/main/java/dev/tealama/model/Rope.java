package dev.tealama.model;

import dev.tealama.math.DetMath;

/**
 * Rotary position embedding as llama.cpp applies it to Llama models ("normal" mode: adjacent pairs
 * {@code (x[2i], x[2i+1])} of each head are rotated by the angle {@code pos · θ_i}).
 *
 * <p>The angles follow ggml's recipe to the bit: {@code θ_0 = pos}, {@code θ_{i+1} = θ_i · base^(-2/d)} by repeated
 * float multiplication, each divided by the model's frequency factor (Llama 3.1/3.2 {@code rope_freqs}) and scaled
 * by the linear position scale, with cos and sin from our deterministic math.
 */
public final class Rope {
    private final int pairs;
    private final float thetaScale;
    private final float freqScale;
    private final float attnFactor;
    private final float[] freqFactors;

    public Rope(LlamaConfig config, float[] freqFactors) {
        this.pairs = config.headDim() / 2;
        float exponent = -2.0f / config.headDim();
        this.thetaScale = (float) DetMath.pow(config.ropeTheta(), exponent);
        this.freqScale = config.ropeFreqScale();
        this.attnFactor = config.ropeAttnFactor();
        this.freqFactors = freqFactors;
    }

    /** Pairs per head: {@code headDim / 2}, the length of {@link #angles}' cos and sin. */
    public int pairs() {
        return pairs;
    }

    /** Fills {@code cos[i]} and {@code sin[i]} ({@code i < headDim/2}) for position {@code pos}. */
    public void angles(int pos, float[] cos, float[] sin) {
        float theta = pos;
        for (int i = 0; i < pairs; i++) {
            float ff = freqFactors != null ? freqFactors[i] : 1.0f;
            float angle = freqScale * (theta / ff);
            cos[i] = (float) DetMath.cos(angle) * attnFactor;
            sin[i] = (float) DetMath.sin(angle) * attnFactor;
            theta *= thetaScale;
        }
    }

    /** Rotates {@code heads} consecutive heads of {@code headDim = 2 · pairs} values starting at {@code x[offset]}. */
    public void rotate(float[] x, int offset, int heads, float[] cos, float[] sin) {
        for (int h = 0; h < heads; h++) {
            int base = offset + h * 2 * pairs;
            for (int i = 0; i < pairs; i++) {
                float x0 = x[base + 2 * i];
                float x1 = x[base + 2 * i + 1];
                x[base + 2 * i] = x0 * cos[i] - x1 * sin[i];
                x[base + 2 * i + 1] = x0 * sin[i] + x1 * cos[i];
            }
        }
    }
}

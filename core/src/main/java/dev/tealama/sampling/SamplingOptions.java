package dev.tealama.sampling;

import dev.tealama.TealamaException;

/**
 * How the next token is chosen from the model's logits; the meanings and defaults are llama.cpp's.
 *
 * @param temperature   divides the logits before the draw; {@code 0} means greedy: always the most likely token
 * @param topK          keep only the {@code topK} most likely tokens; {@code 0} keeps all
 * @param topP          keep the most likely tokens until their probability adds up to {@code topP}; {@code 1} is off
 * @param minP          drop tokens less likely than {@code minP} times the most likely one; {@code 0} is off
 * @param repeatPenalty make the tokens seen in the last {@code repeatLastN} accepted tokens less likely (divide a
 *                      positive logit by it, multiply a negative one); {@code 1} is off
 * @param repeatLastN   how many of the most recently accepted tokens the repetition penalty looks at; {@code 0} is off
 * @param seed          seeds the random draws: the same seed, logits and accepted tokens give the same tokens
 */
public record SamplingOptions(float temperature, int topK, float topP, float minP, float repeatPenalty,
                              int repeatLastN, long seed) {

    /** The largest {@code repeatLastN} accepted (the penalty's history is allocated up front). */
    public static final int MAX_REPEAT_LAST_N = 1 << 20;

    public SamplingOptions {
        if (!(temperature >= 0) || temperature == Float.POSITIVE_INFINITY) {
            throw new TealamaException("temperature must be a finite number >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw new TealamaException("top_k must be >= 0 (0 = keep all tokens), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new TealamaException("top_p must be in (0, 1] (1 = off), got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new TealamaException("min_p must be in [0, 1] (0 = off), got " + minP);
        }
        // Like llama.cpp, also refuse a penalty so small that dividing by it overflows.
        if (!(repeatPenalty > 0) || !Float.isFinite(repeatPenalty) || !Float.isFinite(1f / repeatPenalty)) {
            throw new TealamaException("repeat_penalty must be a finite number > 0 (1 = off), got " + repeatPenalty);
        }
        if (repeatLastN < 0 || repeatLastN > MAX_REPEAT_LAST_N) {
            throw new TealamaException("repeat_last_n must be between 0 and " + MAX_REPEAT_LAST_N
                    + " (0 = off), got " + repeatLastN);
        }
    }

    /** Always the most likely token (temperature 0); no repetition penalty. */
    public static SamplingOptions greedy() {
        return defaults(0).withTemperature(0);
    }

    /**
     * llama.cpp's defaults ({@code common/common.h}, {@code common_params_sampling}): temperature 0.8, top-k 40,
     * top-p 0.95, min-p 0.05, repetition penalty 1.0 (off) over the last 64 tokens.
     */
    public static SamplingOptions defaults(long seed) {
        return new SamplingOptions(0.8f, 40, 0.95f, 0.05f, 1.0f, 64, seed);
    }

    /** True when sampling always takes the most likely token (temperature 0). */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** True when the repetition penalty changes anything. */
    public boolean penalizesRepetition() {
        return repeatLastN > 0 && repeatPenalty != 1;
    }

    public SamplingOptions withTemperature(float newTemperature) {
        return new SamplingOptions(newTemperature, topK, topP, minP, repeatPenalty, repeatLastN, seed);
    }

    public SamplingOptions withSeed(long newSeed) {
        return new SamplingOptions(temperature, topK, topP, minP, repeatPenalty, repeatLastN, newSeed);
    }
}

package dev.tealama.session;

import dev.tealama.TealamaException;
import dev.tealama.sampling.SamplingOptions;

import java.util.List;

/**
 * What to generate after the prompt.
 *
 * @param maxTokens   stop after this many generated tokens
 * @param sampling    how to pick each token (greedy, temperature, top-k, ...)
 * @param stopStrings stop when the text contains one of these (the stop string is not output)
 */
public record GenerationOptions(int maxTokens, SamplingOptions sampling, List<String> stopStrings) {

    public GenerationOptions {
        if (maxTokens < 0) {
            throw new TealamaException("max tokens must not be negative (got " + maxTokens + ")");
        }
        if (sampling == null) {
            throw new TealamaException("sampling options are required");
        }
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new TealamaException("a stop string must not be empty");
            }
        }
    }

    /** Greedy decoding of up to {@code maxTokens} tokens, no stop strings. */
    public static GenerationOptions greedy(int maxTokens) {
        return new GenerationOptions(maxTokens, SamplingOptions.greedy(), List.of());
    }
}

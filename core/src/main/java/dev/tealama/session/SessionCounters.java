package dev.tealama.session;

/**
 * Progress of a generation.
 *
 * @param promptTokens          tokens of the prompt
 * @param promptTokensEvaluated prompt tokens run through the model (fewer when a chat reuses its cached prefix)
 * @param promptTokensDone      prompt tokens evaluated so far
 * @param generatedTokens       tokens generated (not counting an end-of-generation token)
 * @param workUnits             work done, in weight multiply-adds (attention included)
 * @param steps                 calls to {@code step}
 */
public record SessionCounters(
        int promptTokens,
        int promptTokensEvaluated,
        int promptTokensDone,
        int generatedTokens,
        long workUnits,
        int steps) {
}

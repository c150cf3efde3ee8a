package dev.tealama.session;

/**
 * What one {@link GenerationSession#step} produced.
 *
 * @param tokens       tokens generated during this step (an end-of-generation token is not included)
 * @param text         their text, complete UTF-8 characters only, with any stop string cut off
 * @param done         whether the generation has finished
 * @param finishReason why it finished (null while not done)
 * @param counters     progress so far
 */
public record StepResult(int[] tokens, String text, boolean done, FinishReason finishReason, SessionCounters counters) {
}

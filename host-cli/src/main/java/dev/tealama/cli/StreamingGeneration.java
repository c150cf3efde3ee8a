package dev.tealama.cli;

import dev.tealama.session.FinishReason;
import dev.tealama.session.GenerationOptions;
import dev.tealama.session.GenerationSession;
import dev.tealama.session.SessionCounters;
import dev.tealama.session.StepBudget;
import dev.tealama.session.StepResult;

import java.io.PrintStream;

/**
 * Drives a {@link GenerationSession} on the JVM: one token per step, each step's text written and flushed at once,
 * timing the prompt and the generation apart.
 */
public final class StreamingGeneration {
    private StreamingGeneration() {
    }

    /**
     * What a generation did.
     *
     * @param text            all the generated text
     * @param finishReason    why it ended
     * @param counters        the session's counters at the end
     * @param promptNanos     time of the first step: the prompt's evaluation (only the tokens not already cached)
     *                        and the choice of the first token
     * @param generationNanos time of the later steps, each evaluating one generated token and choosing the next
     * @param decodeSteps     how many later steps there were (tokens evaluated after the prompt)
     */
    public record Result(String text, FinishReason finishReason, SessionCounters counters, long promptNanos,
                         long generationNanos, int decodeSteps) {

        /** Prompt tokens evaluated per second. */
        public String promptRate() {
            return Sizes.rate(counters.promptTokensEvaluated(), promptNanos);
        }

        /** Generated tokens evaluated per second. */
        public String generationRate() {
            return Sizes.rate(decodeSteps, generationNanos);
        }
    }

    /** Why a generation ended, in words. */
    public static String describe(FinishReason reason) {
        if (reason == null) {
            return "not finished";
        }
        switch (reason) {
            case END_OF_GENERATION:
                return "end of text (the model ended it)";
            case MAX_TOKENS:
                return "max tokens (-n)";
            case STOP_STRING:
                return "stop string";
            case CONTEXT_FULL:
                return "context full (--ctx-size)";
            case CANCELLED:
                return "cancelled";
            default:
                return reason.name();
        }
    }

    /** Generates after {@code prompt}, writing text to {@code out} as it comes; {@code out} is flushed per step. */
    public static Result run(GenerationSession session, int[] prompt, GenerationOptions options, PrintStream out) {
        session.start(prompt, options);
        OneTokenBudget budget = new OneTokenBudget(session);
        StringBuilder text = new StringBuilder();
        long promptNanos = 0;
        long generationNanos = 0;
        int decodeSteps = 0;
        boolean first = true;
        StepResult result;
        do {
            budget.beginStep();
            long start = System.nanoTime();
            result = session.step(budget);
            long elapsed = System.nanoTime() - start;
            if (first) {
                promptNanos = elapsed;
                first = false;
            } else {
                generationNanos += elapsed;
                decodeSteps++;
            }
            if (!result.text().isEmpty()) {
                out.print(result.text());
                out.flush();
                text.append(result.text());
            }
        } while (!result.done());
        return new Result(text.toString(), result.finishReason(), result.counters(), promptNanos, generationNanos,
                decodeSteps);
    }

    /**
     * Ends a step as soon as it has generated a token, so that text streams token by token. Until then the budget
     * is unlimited: the whole prompt is evaluated in the first step, in full batches.
     */
    private static final class OneTokenBudget implements StepBudget {
        private final GenerationSession session;
        private int generatedBefore;

        OneTokenBudget(GenerationSession session) {
            this.session = session;
        }

        void beginStep() {
            generatedBefore = session.counters().generatedTokens();
        }

        @Override
        public long remaining() {
            return session.counters().generatedTokens() > generatedBefore ? 0 : Long.MAX_VALUE;
        }

        @Override
        public long capacity() {
            return Long.MAX_VALUE;
        }
    }
}

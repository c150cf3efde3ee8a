package dev.tealama.cli.canister;

import dev.tealama.cli.canister.CanisterTypes.Counters;
import dev.tealama.cli.canister.CanisterTypes.SessionOptions;
import dev.tealama.cli.canister.CanisterTypes.SessionStarted;
import dev.tealama.cli.canister.CanisterTypes.StepReply;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A generation on the canister: {@code session_start}, then {@code session_step} until done, each step's text
 * written to {@code out} as it returns. Each step runs as much prompt ingestion and decoding as fits the canister's
 * instruction budget for one message.
 */
public final class RemoteGeneration {
    private RemoteGeneration() {
    }

    /**
     * What a generation did.
     *
     * @param text         all the generated text
     * @param tokens       the generated token ids
     * @param steps        each session_step's reply, in order
     * @param instructions Wasm instructions of all the session_step calls (as the canister counted them)
     */
    public record Result(SessionStarted started, String text, int[] tokens, String finishReason, List<StepReply> steps,
                         long instructions) {

        /** The last step's counters. */
        public Counters counters() {
            return steps.get(steps.size() - 1).counters();
        }

        /** Update calls: session_start and the steps. */
        public int updateCalls() {
            return 1 + steps.size();
        }
    }

    /**
     * Starts a session for {@code prompt} and steps it to the end, printing text as it comes.
     *
     * @param onStart told the session's id as soon as it exists (to cancel it if the generation is interrupted)
     */
    public static Result run(TealamaCanister canister, String prompt, SessionOptions options, PrintStream out,
                             Consumer<SessionStarted> onStart) {
        SessionStarted started = canister.sessionStart(prompt, options);
        onStart.accept(started);
        List<StepReply> steps = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        List<int[]> tokens = new ArrayList<>();
        long instructions = 0;
        StepReply step;
        do {
            step = canister.sessionStep(started.id());
            steps.add(step);
            instructions += step.counters().instructions();
            tokens.add(step.tokens());
            if (!step.text().isEmpty()) {
                out.print(step.text());
                out.flush();
                text.append(step.text());
            }
        } while (!step.done());
        int count = 0;
        for (int[] t : tokens) {
            count += t.length;
        }
        int[] all = new int[count];
        int at = 0;
        for (int[] t : tokens) {
            System.arraycopy(t, 0, all, at, t.length);
            at += t.length;
        }
        return new Result(started, text.toString(), all, step.finishReason(), List.copyOf(steps), instructions);
    }

    /** Why a generation ended, in words. */
    public static String describe(String finishReason) {
        switch (finishReason) {
            case "end_of_generation":
                return "end of text (the model ended it)";
            case "max_tokens":
                return "max tokens (-n)";
            case "stop_string":
                return "stop string";
            case "context_full":
                return "context full (--ctx-size)";
            case "cancelled":
                return "cancelled";
            default:
                return finishReason.isEmpty() ? "not finished" : finishReason;
        }
    }
}

package dev.tealama.canister.api;

import dev.tealama.model.ForwardPass;
import dev.tealama.session.GenerationSession;

import java.util.Arrays;

/** One caller's generation: the core session (KV cache, sampler, position) and what the canister reports of it. */
final class Session {
    final long id;
    final byte[] owner;
    final GenerationSession generation;
    final ForwardPass forward;
    final long seed;
    final String template;
    private int[] tokens = new int[64];
    private int tokenCount;
    private long instructions;

    Session(long id, byte[] owner, GenerationSession generation, ForwardPass forward, long seed, String template) {
        this.id = id;
        this.owner = owner;
        this.generation = generation;
        this.forward = forward;
        this.seed = seed;
        this.template = template;
    }

    boolean ownedBy(byte[] caller) {
        return Arrays.equals(owner, caller);
    }

    void recordStep(int[] stepTokens, long stepInstructions) {
        if (tokenCount + stepTokens.length > tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(tokens.length * 2, tokenCount + stepTokens.length));
        }
        System.arraycopy(stepTokens, 0, tokens, tokenCount, stepTokens.length);
        tokenCount += stepTokens.length;
        instructions += stepInstructions;
    }

    /** Every token generated so far. */
    int[] tokens() {
        return Arrays.copyOf(tokens, tokenCount);
    }

    /** Instructions of all steps so far. */
    long instructions() {
        return instructions;
    }
}

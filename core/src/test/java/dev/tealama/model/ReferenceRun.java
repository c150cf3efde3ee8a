package dev.tealama.model;

import dev.tealama.session.GenerationOptions;
import dev.tealama.session.GenerationSession;
import dev.tealama.session.StepBudget;
import dev.tealama.session.StepResult;

import java.util.Arrays;

/** Runs a model the way llama.cpp's reference generator did: prompt ids in, greedy ids and last logits out. */
public final class ReferenceRun {
    final int[] generated;
    final float[] promptLogits;

    private ReferenceRun(int[] generated, float[] promptLogits) {
        this.generated = generated;
        this.promptLogits = promptLogits;
    }

    /** Logits of the last prompt position only. */
    public static float[] promptLogits(LlamaModel model, Kernels kernels, NumericScheme scheme, int[] promptIds) {
        ForwardPass fp = model.newForwardPass(kernels, scheme, Math.max(64, promptIds.length), promptIds.length);
        fp.beginBatch(promptIds, 0, promptIds.length, 0);
        for (int l = 0; l < model.config().layers(); l++) {
            fp.runLayer(l);
        }
        fp.prepareOutput();
        fp.computeLogits(0, model.config().vocabularySize());
        return fp.logits().clone();
    }

    /**
     * Teacher forcing: the prompt, then each of {@code forced} in turn, as llama.cpp's generator feeds them; returns
     * the argmax after the prompt and after each forced token ({@code forced.length + 1} choices, the last unused).
     */
    public static int[] teacherForcedArgmax(LlamaModel model, Kernels kernels, NumericScheme scheme, int[] prompt, int[] forced) {
        ForwardPass fp = model.newForwardPass(kernels, scheme, prompt.length + forced.length + 1, prompt.length);
        int vocab = model.config().vocabularySize();
        int[] out = new int[forced.length];
        int[] tokens = java.util.Arrays.copyOf(prompt, prompt.length + forced.length);
        System.arraycopy(forced, 0, tokens, prompt.length, forced.length);
        int pos = 0;
        for (int step = 0; step < forced.length; step++) {
            int count = step == 0 ? prompt.length : 1;
            fp.beginBatch(tokens, pos, count, pos);
            for (int l = 0; l < model.config().layers(); l++) {
                fp.runLayer(l);
            }
            fp.prepareOutput();
            fp.computeLogits(0, vocab);
            out[step] = dev.tealama.testing.Reference.argmax(fp.logits());
            pos += count;
        }
        return out;
    }

    /** Greedy generation of {@code count} tokens through a session with an unlimited budget. */
    public static int[] greedy(LlamaModel model, Kernels kernels, NumericScheme scheme, int[] promptIds, int count) {
        ForwardPass fp = model.newForwardPass(kernels, scheme, promptIds.length + count + 8, 32);
        GenerationSession session = new GenerationSession(model, fp);
        session.start(promptIds, GenerationOptions.greedy(count));
        int[] out = new int[0];
        while (!session.isDone()) {
            StepResult r = session.step(StepBudget.unlimited());
            int n = out.length;
            out = Arrays.copyOf(out, n + r.tokens().length);
            System.arraycopy(r.tokens(), 0, out, n, r.tokens().length);
        }
        return out;
    }
}

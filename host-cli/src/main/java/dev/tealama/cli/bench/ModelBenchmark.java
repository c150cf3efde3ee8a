package dev.tealama.cli.bench;

import dev.tealama.model.ForwardPass;

import java.util.SplittableRandom;

/**
 * llama-bench's two tests, on a forward pass:
 * <ul>
 *   <li>prompt processing ({@code ppN}): N random tokens from an empty context, in batches of up to the pass's
 *       batch size, logits for the last one only;</li>
 *   <li>text generation ({@code tgN}): N tokens one at a time from an empty context, each with its full logits;
 *       the next token is random (no sampling cost is timed), as llama-bench does.</li>
 * </ul>
 * Each repetition starts again at position 0 of the same pass (its KV cache is reused, not reallocated). A first,
 * shorter, untimed run warms the JIT compiler up, as llama-bench's warmup run warms caches.
 */
public final class ModelBenchmark {
    /** The warmup's length: long enough to compile the hot loops, short enough not to matter. */
    private static final int WARMUP_PROMPT = 64;
    private static final int WARMUP_GENERATED = 16;

    private final ForwardPass forward;
    private final int vocabulary;
    private final int layers;
    private final SplittableRandom random;

    public ForwardPass forward() {
        return forward;
    }

    public ModelBenchmark(ForwardPass forward, long seed) {
        this.forward = forward;
        this.vocabulary = forward.config().vocabularySize();
        this.layers = forward.config().layers();
        this.random = new SplittableRandom(seed);
    }

    /** An untimed short run of both tests. */
    public void warmUp(int promptTokens, int generatedTokens) {
        if (promptTokens > 0) {
            promptSeconds(Math.min(promptTokens, WARMUP_PROMPT));
        }
        if (generatedTokens > 0) {
            generationSeconds(Math.min(generatedTokens, WARMUP_GENERATED));
        }
    }

    /** {@code repetitions} runs of {@code ppN}. */
    public Throughput prompt(int tokens, int repetitions) {
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            rates[r] = tokens / promptSeconds(tokens);
        }
        return Throughput.of(tokens, 0, rates);
    }

    /** {@code repetitions} runs of {@code tgN}. */
    public Throughput generation(int tokens, int repetitions) {
        double[] rates = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            rates[r] = tokens / generationSeconds(tokens);
        }
        return Throughput.of(0, tokens, rates);
    }

    private double promptSeconds(int count) {
        int[] tokens = randomTokens(count);
        long start = System.nanoTime();
        for (int done = 0; done < count; ) {
            int n = Math.min(forward.maxBatch(), count - done);
            forward.beginBatch(tokens, done, n, done);
            for (int l = 0; l < layers; l++) {
                forward.runLayer(l);
            }
            done += n;
        }
        forward.prepareOutput();
        forward.computeLogits(0, vocabulary);
        return (System.nanoTime() - start) / 1e9;
    }

    private double generationSeconds(int count) {
        int[] token = new int[1];
        long start = System.nanoTime();
        for (int pos = 0; pos < count; pos++) {
            token[0] = random.nextInt(vocabulary);
            forward.beginBatch(token, 0, 1, pos);
            for (int l = 0; l < layers; l++) {
                forward.runLayer(l);
            }
            forward.prepareOutput();
            forward.computeLogits(0, vocabulary);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private int[] randomTokens(int count) {
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = random.nextInt(vocabulary);
        }
        return tokens;
    }
}

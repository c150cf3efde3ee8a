package dev.tealama.cli.bench;

import java.util.Arrays;

/**
 * The tokens per second of one benchmark test over its repetitions, as llama-bench reports them: the test name
 * ({@code pp512}: 512 prompt tokens; {@code tg128}: 128 generated tokens), the mean and the sample standard
 * deviation of the per-repetition rates.
 *
 * @param samples tokens per second of each repetition (empty when only the summary is known, as for llama-bench)
 */
public record Throughput(String test, int promptTokens, int generatedTokens, double mean, double stddev,
                         double[] samples) {

    /** The summary of {@code samples}. */
    public static Throughput of(int promptTokens, int generatedTokens, double[] samples) {
        double mean = Arrays.stream(samples).average().orElse(0);
        double squares = 0;
        for (double s : samples) {
            squares += (s - mean) * (s - mean);
        }
        double stddev = samples.length > 1 ? Math.sqrt(squares / (samples.length - 1)) : 0;
        return new Throughput(name(promptTokens, generatedTokens), promptTokens, generatedTokens, mean, stddev,
                samples.clone());
    }

    /** llama-bench's name of a test: {@code pp512}, {@code tg128}, or {@code pp512+tg128}. */
    public static String name(int promptTokens, int generatedTokens) {
        if (generatedTokens == 0) {
            return "pp" + promptTokens;
        }
        return promptTokens == 0 ? "tg" + generatedTokens : "pp" + promptTokens + "+tg" + generatedTokens;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Throughput t && test.equals(t.test) && mean == t.mean && stddev == t.stddev
                && Arrays.equals(samples, t.samples);
    }

    @Override
    public int hashCode() {
        return test.hashCode() * 31 + Double.hashCode(mean);
    }

    @Override
    public String toString() {
        return test + ": " + mean + " ± " + stddev + " t/s";
    }
}

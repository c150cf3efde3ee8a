package dev.tealama.cli;

import dev.tealama.sampling.SamplingOptions;
import dev.tealama.session.GenerationOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How to generate: length, sampling (llama.cpp's meanings and defaults), seed, stop strings. A picocli mixin;
 * call {@link #validate()} first, then {@link #toOptions(long)} with {@link #seed()}.
 */
public final class GenerationSettings {
    private static final SamplingOptions DEFAULTS = SamplingOptions.defaults(0);

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N",
            description = "Generate at most N tokens (default: -1, until the model ends its text or the context "
                    + "is full).")
    private int maxTokens = -1;

    @Option(names = "--temp", paramLabel = "T",
            description = "Temperature: higher is more random; 0 always takes the most likely token "
                    + "(greedy). Default: ${DEFAULT-VALUE}.")
    private float temperature = DEFAULTS.temperature();

    @Option(names = "--top-k", paramLabel = "K",
            description = "Sample among the K most likely tokens; 0 = all. Default: ${DEFAULT-VALUE}.")
    private int topK = DEFAULTS.topK();

    @Option(names = "--top-p", paramLabel = "P",
            description = "Sample among the most likely tokens that together reach probability P; 1 = off. "
                    + "Default: ${DEFAULT-VALUE}.")
    private float topP = DEFAULTS.topP();

    @Option(names = "--min-p", paramLabel = "P",
            description = "Drop tokens less likely than P times the most likely one; 0 = off. "
                    + "Default: ${DEFAULT-VALUE}.")
    private float minP = DEFAULTS.minP();

    @Option(names = "--repeat-penalty", paramLabel = "X",
            description = "Make recently seen tokens less likely by this factor; 1 = off. Default: ${DEFAULT-VALUE}.")
    private float repeatPenalty = DEFAULTS.repeatPenalty();

    @Option(names = "--repeat-last-n", paramLabel = "N",
            description = "How many recent tokens the repeat penalty looks at; 0 = off. Default: ${DEFAULT-VALUE}.")
    private int repeatLastN = DEFAULTS.repeatLastN();

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the random draws (default: a random one, printed with the statistics so that a "
                    + "run can be repeated).")
    private Long seed;

    @Option(names = "--stop", paramLabel = "TEXT",
            description = "Stop when the text contains TEXT (not printed). Repeatable.")
    private List<String> stopStrings = new ArrayList<>();

    /** Checks the values picocli cannot check by type; a usage error names the option. */
    public void validate() {
        if (maxTokens < -1) {
            throw usage("--max-tokens must be -1 (no limit) or more, got " + maxTokens);
        }
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw usage("--temp must be a number >= 0 (0 = greedy), got " + temperature);
        }
        if (topK < 0) {
            throw usage("--top-k must be >= 0 (0 = all tokens), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw usage("--top-p must be in (0, 1] (1 = off), got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw usage("--min-p must be in [0, 1] (0 = off), got " + minP);
        }
        if (!(repeatPenalty > 0) || !Float.isFinite(repeatPenalty) || !Float.isFinite(1f / repeatPenalty)) {
            throw usage("--repeat-penalty must be a number > 0 (1 = off), got " + repeatPenalty);
        }
        if (repeatLastN < 0 || repeatLastN > SamplingOptions.MAX_REPEAT_LAST_N) {
            throw usage("--repeat-last-n must be between 0 and " + SamplingOptions.MAX_REPEAT_LAST_N + ", got "
                    + repeatLastN);
        }
        for (String stop : stopStrings) {
            if (stop.isEmpty()) {
                throw usage("--stop needs a non-empty text");
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    /** {@code --seed}, or a random seed chosen once (the same on every call). */
    public long seed() {
        if (seed == null) {
            seed = ThreadLocalRandom.current().nextLong(1L << 32); // short enough to retype
        }
        return seed;
    }

    /** Whether sampling is greedy ({@code --temp 0}): the seed then changes nothing. */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** The generation options, with the draws seeded by {@code seed}. */
    public GenerationOptions toOptions(long seed) {
        SamplingOptions sampling = new SamplingOptions(temperature, topK, topP, minP, repeatPenalty, repeatLastN, seed);
        return new GenerationOptions(maxTokens < 0 ? Integer.MAX_VALUE : maxTokens, sampling, stopStrings);
    }
}

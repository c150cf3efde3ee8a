package dev.tealama.cli;

import dev.tealama.model.LlamaConfig;
import dev.tealama.model.NumericScheme;
import dev.tealama.session.GenerationSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;

/**
 * The options of every command that runs a model: which file, how its weights are held, which kernels on how many
 * threads, how long a context and which arithmetic. A picocli mixin: a command adds it with {@code @Mixin}, calls
 * {@link #validate()} first, then {@link #load} and {@link #newSession}.
 */
public final class ModelOptions {
    /** The default context is the model's, but no longer than this (the KV cache is allocated up front). */
    public static final int DEFAULT_MAX_CONTEXT = 4096;
    /** Prompt tokens evaluated together: each weight row is read once per batch. */
    public static final int PROMPT_BATCH = 64;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Mixin
    private ModelFileOption file;

    @Option(names = "--weights", paramLabel = "auto|mmap|hugepages|heap", converter = WeightsStrategy.Converter.class,
            description = "auto: hugepages if the file fits in the available memory, else mmap (default); mmap: "
                    + "map the file, no copy; hugepages: read it into memory outside the heap in 2 MiB pages "
                    + "(Linux; else mmap); heap: copy it into the Java heap. A copy (hugepages or heap) has its "
                    + "Q4_0 and Q8_0 matrices repacked for the fastest kernels: generation ~1.4-1.6x as fast as in "
                    + "the file's layout. The embedded model is always in memory.")
    private WeightsStrategy weights = WeightsStrategy.AUTO;

    @Option(names = "--kernels", paramLabel = "vector|scalar", converter = KernelChoice.Converter.class,
            description = "vector: the fast multithreaded kernels (default); scalar: the deterministic reference "
                    + "kernels the canister runs.")
    private KernelChoice kernels = KernelChoice.VECTOR;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "Threads for the vector kernels (default: one per core).")
    private Integer threads;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "Context size in tokens, prompt and reply together (default: the model's, at most "
                    + DEFAULT_MAX_CONTEXT + "). Its KV cache is allocated up front.")
    private Integer contextSize;

    @Option(names = "--numerics", paramLabel = "llama-cpp|precise", converter = NumericsConverter.class,
            description = "llama-cpp: llama.cpp's arithmetic (8-bit activations, F16 KV cache), same tokens "
                    + "(default); precise: float activations, F32 KV cache, closer to exact math.")
    private NumericScheme numerics = NumericScheme.LLAMA_CPP;

    /** Checks the values picocli cannot check by type; a usage error names the option. */
    public void validate() {
        if (threads != null && threads < 1) {
            throw usage("--threads must be at least 1, got " + threads);
        }
        if (contextSize != null && contextSize < 1) {
            throw usage("--ctx-size must be at least 1, got " + contextSize);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    public ModelFileOption file() {
        return file;
    }

    public WeightsStrategy weights() {
        return weights;
    }

    public KernelChoice kernels() {
        return kernels;
    }

    public NumericScheme numerics() {
        return numerics;
    }

    /** {@code --ctx-size} as given, or null. */
    public Integer requestedContextSize() {
        return contextSize;
    }

    /** {@code --threads}, or the number of cores. */
    public int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Opens, checks and prepares the model; notes (heap size, ...) go to {@code log}. */
    public LoadedModel load(PrintStream log) {
        return LoadedModel.load(file.path(), weights, kernels, threads(), numerics, log);
    }

    /**
     * The context size: {@code --ctx-size}, or the model's trained context capped at {@value #DEFAULT_MAX_CONTEXT}.
     * A size beyond the trained context is allowed (llama.cpp allows it too), with a warning.
     */
    public int contextSize(LlamaConfig config, PrintStream log) {
        if (contextSize == null) {
            return Math.min(config.contextLength(), DEFAULT_MAX_CONTEXT);
        }
        if (contextSize > config.contextLength()) {
            log.println("warning: --ctx-size " + contextSize + " is beyond the " + config.contextLength()
                    + " positions the model was trained for; expect poor text past that point");
        }
        return contextSize;
    }

    /** A session over {@code model} with this context size (see {@link LoadedModel#newSession}). */
    public GenerationSession newSession(LoadedModel model, PrintStream log) {
        int context = contextSize(model.model().config(), log);
        return model.newSession(context, Math.min(PROMPT_BATCH, context), log);
    }
}

package dev.tealama.cli.canister;

import dev.tealama.cli.ChatOptions;
import dev.tealama.cli.GenerationSettings;
import dev.tealama.cli.Main;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.Terminal;
import dev.tealama.cli.canister.CanisterTypes.SessionOptions;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.session.GenerationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code tealama canister generate "prompt"}: one generation on the canister, with {@code run}'s options. The text
 * streams to standard output as each {@code session_step} returns; the statistics (tokens, calls, instructions and
 * what they cost in cycles) go to standard error.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Generate text on the canister and print it as each step returns.", "",
                "Options as for `tealama run`. Each session_step call runs as much of the prompt and the generation "
                        + "as fits one message's instruction budget. At the end: tokens, calls, instructions per "
                        + "token and the cycles they cost.", ""},
        footer = {"", "Example:", "  tealama canister generate --raw --temp 0 -n 32 \"Once upon a time\""})
final class GenerateCommand implements Callable<Integer> {
    @ParentCommand
    private CanisterCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The prompt (or give it as the argument).")
    private String promptOption;

    @Parameters(arity = "0..1", paramLabel = "PROMPT", description = "The prompt (default: none).")
    private String promptArgument;

    @Option(names = "--raw", description = "Feed the prompt as it is, without a chat template (--template plain).")
    private boolean raw;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "Positions the session's KV cache holds (default: the canister's maximum, min(the "
                    + "model's context, its max_context)).")
    private Integer contextSize;

    @Mixin
    private GenerationSettings generation;

    @Mixin
    private ChatOptions chat;

    @Mixin
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        generation.validate();
        chat.validate();
        connection.validate();
        if (promptOption != null && promptArgument != null) {
            throw new ParameterException(spec.commandLine(), "give the prompt either with -p or as the argument, "
                    + "not both");
        }
        if (raw && chat.isExplicit()) {
            throw new ParameterException(spec.commandLine(), "--raw and --template exclude each other");
        }
        checkContextSize(spec, contextSize);
        String prompt = promptOption != null ? promptOption : promptArgument != null ? promptArgument : "";
        Terminal terminal = parent.terminal();
        PrintStream log = terminal.err();
        ConnectionOptions.Connection c = connection.connect(log);
        SessionOptions options = sessionOptions(generation, chat, raw, contextSize);

        SessionGuard guard = new SessionGuard(c.canister());
        RemoteGeneration.Result r;
        try {
            r = RemoteGeneration.run(c.canister(), prompt, options, terminal.out(), guard::started);
        } finally {
            guard.close();
        }
        if (terminal.interactive() && !r.text().endsWith("\n")) {
            terminal.out().println();
        }
        terminal.out().flush();
        printStatistics(log, c, r, guard.cancelCalls());
        return Main.EXIT_OK;
    }

    private void printStatistics(PrintStream log, ConnectionOptions.Connection c, RemoteGeneration.Result r,
                                 int cancelCalls) {
        CanisterTypes.SessionStarted s = r.started();
        CanisterTypes.Counters counters = r.counters();
        log.println();
        log.println("canister:     " + c.canisterId() + " at " + c.url());
        log.println("session:      " + s.id() + ", template " + s.template() + ", context " + Sizes.count(s.contextSize())
                + " tokens, seed " + s.seed() + (generation.isGreedy() ? " (greedy: the seed changes nothing)" : ""));
        log.println("prompt:       " + Sizes.count(s.promptTokens()) + " tokens");
        log.println("generated:    " + Sizes.count(counters.generatedTokens()) + " tokens, finish: "
                + RemoteGeneration.describe(r.finishReason()));
        long updates = r.updateCalls() + cancelCalls;
        log.println("calls:        " + updates + " update calls: session_start, " + r.steps().size() + " session_step"
                + (cancelCalls > 0 ? ", session_cancel" : ""));
        printCost(log, r.instructions(), counters.generatedTokens(), s.promptTokens(), updates);
    }

    /** Instructions, per token, and what they cost in cycles (with the assumption). */
    static void printCost(PrintStream log, long instructions, long generated, long promptTokens, long updateCalls) {
        String perToken;
        if (generated > 0) {
            perToken = Numbers.big((double) instructions / generated) + " per generated token, prompt included";
        } else if (promptTokens > 0) {
            perToken = Numbers.big((double) instructions / promptTokens) + " per prompt token";
        } else {
            perToken = "no tokens";
        }
        log.println("instructions: " + Sizes.count(instructions) + " in session_step (" + perToken + ")");
        CostModel cost = CostModel.THIRTEEN_NODE_SUBNET;
        long cycles = cost.cycles(instructions, updateCalls);
        log.println("cycles:       ≈ " + Numbers.big(cycles) + (generated > 0 ? " (≈ " + Numbers.big((double) cycles
                / generated) + " per generated token)" : "") + "; assumes " + cost.assumption());
    }

    /** The session options of {@code run}'s command-line options. */
    static SessionOptions sessionOptions(GenerationSettings generation, ChatOptions chat, boolean raw,
                                         Integer contextSize) {
        long seed = generation.seed();
        GenerationOptions o = generation.toOptions(seed);
        SamplingOptions s = o.sampling();
        return new SessionOptions(raw ? "plain" : chat.templateName(), chat.system(), s.temperature(),
                (long) s.topK(), s.topP(), s.minP(), s.repeatPenalty(), (long) s.repeatLastN(), seed,
                o.maxTokens() == Integer.MAX_VALUE ? null : (long) o.maxTokens(),
                o.stopStrings().isEmpty() ? null : o.stopStrings(),
                contextSize == null ? null : (long) contextSize, null, null);
    }

    static void checkContextSize(CommandSpec spec, Integer contextSize) {
        if (contextSize != null && contextSize < 1) {
            throw new ParameterException(spec.commandLine(), "--ctx-size must be at least 1, got " + contextSize);
        }
    }
}

package dev.tealama.cli.canister;

import dev.tealama.TealamaException;
import dev.tealama.cli.ChatOptions;
import dev.tealama.cli.GenerationSettings;
import dev.tealama.cli.Main;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.Terminal;
import dev.tealama.cli.canister.CanisterTypes.SessionOptions;
import dev.tealama.ichost.CallResult;
import dev.tealama.ichost.CanisterLimits;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tealama canister simulate MODEL.gguf}: what the canister would cost, without a replica. The built
 * {@code tealama.wasm} runs in this JVM's metered local IC host (ic-host: instruction counting as the IC does, its
 * limits, traps rolled back), the model is uploaded and loaded through the same client code as {@code upload}, the
 * prompt is generated as {@code generate} would, and two more short generations measure the cost of a prompt token
 * and of a generated token by difference (so that fixed costs cancel out).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Run the canister in a metered local IC host: upload, load and generate, then report Wasm "
                + "instructions per token, tokens per 40 B-instruction call and cycles per token. No replica needed.",
                "",
                "The module is wasm-canister/target/tealama.wasm of this project (or --wasm FILE). Generation options "
                        + "as for `tealama run`; without -n, " + SimulateCommand.DEFAULT_TOKENS + " tokens.", ""},
        footer = {"", "Example:", "  tealama canister simulate model.gguf --raw --temp 0 \"Once upon a time\""})
final class SimulateCommand implements Callable<Integer> {
    static final int DEFAULT_TOKENS = 32;
    /** The IC's instruction limit of an update call. */
    static final long UPDATE_LIMIT = 40_000_000_000L;
    /** Appended to the prompt to measure a prompt token's cost by difference. */
    static final String FILLER = " She loved to play outside in the park. One day, she saw a big red ball in the tree."
            + " She wanted to play with it, but it was too high for her to reach.";

    @ParentCommand
    private CanisterCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.gguf", description = "The GGUF model file.")
    private Path model;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROMPT", description = "The prompt (default: none).")
    private String promptArgument;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The prompt (or give it as the argument).")
    private String promptOption;

    @Option(names = "--raw", description = "Feed the prompt as it is, without a chat template (--template plain).")
    private boolean raw;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "Positions the session's KV cache holds (default: the canister's maximum).")
    private Integer contextSize;

    @Option(names = "--wasm", paramLabel = "FILE",
            description = "The canister module (default: wasm-canister/target/tealama.wasm of this project).")
    private Path wasm;

    @Option(names = "--step-instructions", paramLabel = "N",
            description = "The canister's instruction budget per session_step (Config.step_instructions; default: "
                    + "the canister's, 30 B).")
    private Long stepInstructions;

    @Mixin
    private GenerationSettings generation;

    @Mixin
    private ChatOptions chat;

    @Override
    public Integer call() {
        generation.validate();
        chat.validate();
        GenerateCommand.checkContextSize(spec, contextSize);
        if (promptOption != null && promptArgument != null) {
            throw new ParameterException(spec.commandLine(), "give the prompt either with -p or as the argument, "
                    + "not both");
        }
        if (raw && chat.isExplicit()) {
            throw new ParameterException(spec.commandLine(), "--raw and --template exclude each other");
        }
        if (stepInstructions != null && (stepInstructions < 1_000_000 || stepInstructions >= UPDATE_LIMIT)) {
            throw new ParameterException(spec.commandLine(), "--step-instructions must be at least 1,000,000 and "
                    + "below the IC's 40 B limit, got " + stepInstructions);
        }
        String prompt = promptOption != null ? promptOption : promptArgument != null ? promptArgument : "";
        Terminal terminal = parent.terminal();
        PrintStream log = terminal.err();

        ModelUpload.CheckedModel checked = ModelUpload.check(model);
        CanisterWasm.Module module = CanisterWasm.read(wasm);
        log.println("module:   " + module.path() + " (" + Sizes.count(module.bytes().length) + " bytes), in the "
                + "metered local IC host");
        Principal controller = Principal.selfAuthenticating("tealama canister simulate".getBytes(
                StandardCharsets.UTF_8));
        LocalCanister canister = LocalCanister.builder().limits(CanisterLimits.ic()).debugSink(text -> { }).build();
        CallResult installed = canister.install(module.bytes(), new byte[0], Set.of(controller));
        if (installed instanceof CallResult.Reject reject) {
            throw new TealamaException("the canister module " + module.path() + " did not install: "
                    + reject.message());
        }
        LocalCanisterCalls calls = new LocalCanisterCalls(canister, controller);
        TealamaCanister api = new TealamaCanister(calls);
        if (stepInstructions != null) {
            api.configure(new CanisterTypes.Config(stepInstructions, null, null, null));
        }

        ModelUpload.Result upload = new ModelUpload(api, checked, model.getFileName().toString(),
                ModelUpload.MAX_CHUNK_BYTES, log, terminal.interactive()).run();

        SessionOptions options = GenerateCommand.sessionOptions(generation, chat, raw, contextSize);
        if (options.maxTokens() == null) {
            options = withLength(options, DEFAULT_TOKENS);
        }
        RemoteGeneration.Result run = RemoteGeneration.run(api, prompt, options, terminal.out(), started -> { });
        if (terminal.interactive() && !run.text().endsWith("\n")) {
            terminal.out().println();
        }
        terminal.out().flush();

        // the measurements: one token after the prompt, and after a longer prompt
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        SessionOptions oneToken = withLength(options, 1);
        RemoteGeneration.Result shortRun = RemoteGeneration.run(api, prompt, oneToken, nowhere, started -> { });
        RemoteGeneration.Result longRun = RemoteGeneration.run(api, prompt + FILLER, oneToken, nowhere,
                started -> { });

        long promptDifference = longRun.started().promptTokens() - shortRun.started().promptTokens();
        double perPromptToken = (double) (longRun.instructions() - shortRun.instructions()) / promptDifference;
        long generated = run.counters().generatedTokens();
        double perGeneratedToken = generated >= 2
                ? (double) (run.instructions() - shortRun.instructions()) / (generated - 1) : Double.NaN;

        CostModel cost = CostModel.THIRTEEN_NODE_SUBNET;
        log.println();
        log.println("load:                 " + upload.loadCalls() + " call" + (upload.loadCalls() == 1 ? "" : "s") + ", "
                + Numbers.big(upload.loadInstructions()) + " instructions");
        log.println("this run:             " + run.started().promptTokens() + " prompt tokens, " + generated
                + " generated in " + run.steps().size() + " session_step call" + (run.steps().size() == 1 ? "" : "s")
                + ", " + Numbers.big(run.instructions()) + " instructions (finish: "
                + RemoteGeneration.describe(run.finishReason()) + ")");
        log.println("per prompt token:     " + Numbers.big(perPromptToken) + " instructions (" + promptDifference
                + " more prompt tokens, by difference)");
        if (Double.isNaN(perGeneratedToken)) {
            log.println("per generated token:  not measured: the run generated fewer than 2 tokens (raise -n, or "
                    + "choose a prompt the model continues)");
        } else {
            long perCall = (long) Math.floor(UPDATE_LIMIT / perGeneratedToken);
            log.println("per generated token:  " + Numbers.big(perGeneratedToken) + " instructions (" + (generated - 1)
                    + " tokens, by difference)");
            log.println("tokens per 40 B call: " + Sizes.count(perCall) + " (the IC's limit for one update call; "
                    + "a session_step stops at its budget, step_instructions, 30 B by default)");
            double cyclesPerToken = perGeneratedToken * cost.cyclesPerInstruction()
                    + (double) cost.cyclesPerUpdateCall() / Math.max(1, perCall);
            log.println("cycles per token:     ≈ " + Numbers.big(cyclesPerToken) + " (assumes " + cost.assumption()
                    + ", " + Sizes.count(perCall) + " tokens per call)");
        }
        log.println("largest message:      " + Numbers.big(calls.maxInstructions()) + " instructions (the IC stops an "
                + "update at 40 B)");
        return Main.EXIT_OK;
    }

    private static SessionOptions withLength(SessionOptions o, long maxTokens) {
        return new SessionOptions(o.template(), o.systemPrompt(), o.temperature(), o.topK(), o.topP(), o.minP(),
                o.repeatPenalty(), o.repeatLastN(), o.seed(), maxTokens, o.stop(), o.contextSize(), o.history(),
                o.continueFrom());
    }
}

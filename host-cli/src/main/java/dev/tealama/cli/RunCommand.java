package dev.tealama.cli;

import dev.tealama.TealamaException;
import dev.tealama.chat.ChatMessage;
import dev.tealama.chat.ChatTemplate;
import dev.tealama.session.GenerationSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tealama run}: one prompt, one reply. The reply streams to standard output and nothing else goes there;
 * statistics go to standard error.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Generate text from a prompt and print it as it comes.", "",
                "With a chat template (detected from the model, or --template), the prompt is the user's message "
                        + "and the model replies to it; with --template plain (or --raw) the model continues the "
                        + "prompt's text. Text goes to standard output, statistics to standard error.", ""},
        footer = {"", "Examples:", "  tealama run                                   a story from the embedded model",
                "  tealama run -p \"Once upon a time\" -n 64 --temp 0",
                "  tealama run -m Llama-3.2-1B-Instruct-Q8_0.gguf \"Why is the sky blue?\""})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The prompt (or give it as the argument).")
    private String promptOption;

    @Parameters(arity = "0..1", paramLabel = "PROMPT", description = "The prompt (default: none; the model starts "
            + "from the beginning-of-text token).")
    private String promptArgument;

    @Option(names = "--raw", description = "Feed the prompt as it is, without a chat template (--template plain).")
    private boolean raw;

    @Mixin
    private ModelOptions modelOptions;

    @Mixin
    private GenerationSettings generation;

    @Mixin
    private ChatOptions chat;

    @Override
    public Integer call() {
        modelOptions.validate();
        generation.validate();
        chat.validate();
        if (promptOption != null && promptArgument != null) {
            throw new ParameterException(spec.commandLine(), "give the prompt either with -p or as the argument, "
                    + "not both");
        }
        if (raw && chat.isExplicit()) {
            throw new ParameterException(spec.commandLine(), "--raw and --template exclude each other");
        }
        String prompt = promptOption != null ? promptOption : promptArgument != null ? promptArgument : "";
        Terminal terminal = main.terminal();
        PrintStream log = terminal.err();

        try (LoadedModel model = modelOptions.load(log)) {
            ChatTemplate template = raw ? ChatTemplate.named("plain") : chat.template(model.model());
            ChatPromptEncoder encoder = new ChatPromptEncoder(model.model().tokenizer(), template);
            List<ChatMessage> messages = chat.openingMessages();
            messages.add(ChatMessage.user(prompt));
            int[] tokens = encoder.encode(messages, true);

            GenerationSession session = modelOptions.newSession(model, log);
            if (tokens.length > session.contextSize()) {
                throw new TealamaException("the prompt is " + Sizes.count(tokens.length) + " tokens long but the "
                        + "context holds " + Sizes.count(session.contextSize()) + " (--ctx-size); shorten the prompt "
                        + "or raise --ctx-size (the model was trained for "
                        + Sizes.count(model.model().config().contextLength()) + ")");
            }
            long seed = generation.seed();
            StreamingGeneration.Result result =
                    StreamingGeneration.run(session, tokens, generation.toOptions(seed), terminal.out());
            if (terminal.interactive() && !result.text().endsWith("\n")) {
                terminal.out().println();
            }
            terminal.out().flush();
            printStatistics(log, model, template, session.contextSize(), result, seed);
        }
        return Main.EXIT_OK;
    }

    private void printStatistics(PrintStream log, LoadedModel model, ChatTemplate template, int contextSize,
                                 StreamingGeneration.Result r, long seed) {
        log.println();
        log.println("model:     " + model.describe());
        log.println("context:   " + Sizes.count(contextSize) + " tokens, template " + template.name());
        log.println("prompt:    " + r.counters().promptTokens() + " tokens in " + Sizes.millis(r.promptNanos())
                + " (" + r.promptRate() + ")");
        log.println("generated: " + r.counters().generatedTokens() + " tokens in "
                + Sizes.millis(r.generationNanos()) + " (" + r.generationRate() + "), finish: "
                + StreamingGeneration.describe(r.finishReason()));
        log.println("seed:      " + seed + (generation.isGreedy() ? " (greedy: the seed changes nothing)" : ""));
    }
}

package dev.tealama.cli;

import dev.tealama.TealamaException;
import dev.tealama.chat.ChatMessage;
import dev.tealama.chat.ChatTemplate;
import dev.tealama.session.FinishReason;
import dev.tealama.session.GenerationSession;
import dev.tealama.session.SessionCounters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tealama chat}: a conversation, one line of standard input per user message (typed, or piped in).
 *
 * <p>Each turn re-renders the whole conversation with the chat template and starts the session over it; the session
 * keeps the KV cache of the tokens the new prompt shares with the previous one, so only the new turn is evaluated.
 * Replies go to standard output, one per line; prompts, notices and statistics to standard error.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Talk with a model: each line you type is a message, the model replies.", "",
                "Reads standard input line by line (a pipe works too). Commands: /reset starts a new conversation, "
                        + "/help lists the commands, /exit (or the end of input) quits.", ""})
final class ChatCommand implements Callable<Integer> {
    private static final String HELP = "commands: /reset starts a new conversation, /exit quits (so does the end of "
            + "input), /help shows this";

    @ParentCommand
    private Main main;

    @Mixin
    private ModelOptions modelOptions;

    @Mixin
    private GenerationSettings generation;

    @Mixin
    private ChatOptions chat;

    /** The counters of each turn's generation, in order (tests check that turns reuse the cache). */
    private final List<SessionCounters> turns = new ArrayList<>();

    @Override
    public Integer call() {
        modelOptions.validate();
        generation.validate();
        chat.validate();
        Terminal terminal = main.terminal();
        PrintStream out = terminal.out();
        PrintStream log = terminal.err();

        try (LoadedModel model = modelOptions.load(log)) {
            ChatTemplate template = chat.template(model.model());
            ChatPromptEncoder encoder = new ChatPromptEncoder(model.model().tokenizer(), template);
            GenerationSession session = modelOptions.newSession(model, log);
            long seed = generation.seed();
            log.println("chat with " + model.name() + " (template " + template.name() + ", context "
                    + Sizes.count(session.contextSize()) + " tokens, seed " + seed + "); " + HELP);

            BufferedReader in = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8));
            List<ChatMessage> conversation = chat.openingMessages();
            String line;
            while ((line = prompt(terminal, in)) != null) {
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (trimmed.startsWith("/")) {
                    if (trimmed.equals("/exit") || trimmed.equals("/quit")) {
                        break;
                    } else if (trimmed.equals("/reset")) {
                        conversation = chat.openingMessages();
                        log.println("(new conversation)");
                    } else if (trimmed.equals("/help")) {
                        log.println(HELP);
                    } else {
                        log.println("unknown command " + trimmed + "; " + HELP);
                    }
                    continue;
                }
                conversation.add(ChatMessage.user(line));
                int[] tokens = encoder.encode(conversation, true);
                if (tokens.length >= session.contextSize()) {
                    conversation.remove(conversation.size() - 1);
                    log.println("(the conversation with this message is " + Sizes.count(tokens.length)
                            + " tokens and leaves no room for a reply in the context of "
                            + Sizes.count(session.contextSize()) + " tokens: /reset starts a new conversation, "
                            + "or restart with a larger --ctx-size)");
                    continue;
                }
                StreamingGeneration.Result reply = StreamingGeneration.run(session, tokens,
                        generation.toOptions(seed + turns.size()), out);
                out.println();
                out.flush();
                turns.add(reply.counters());
                conversation.add(ChatMessage.assistant(reply.text()));
                log.println("(" + reply.counters().promptTokensEvaluated() + " of " + reply.counters().promptTokens()
                        + " prompt tokens evaluated, " + reply.promptRate() + "; " + reply.counters().generatedTokens()
                        + " generated, " + reply.generationRate() + ")");
                if (reply.finishReason() == FinishReason.CONTEXT_FULL) {
                    log.println("(the context of " + Sizes.count(session.contextSize()) + " tokens is full: /reset "
                            + "starts a new conversation, or restart with a larger --ctx-size)");
                }
            }
        }
        return Main.EXIT_OK;
    }

    /** Shows a prompt when a person is typing, and reads the next line (null at the end of input). */
    private static String prompt(Terminal terminal, BufferedReader in) {
        if (terminal.interactive()) {
            terminal.out().flush();
            terminal.err().print("> ");
            terminal.err().flush();
        }
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new TealamaException("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Counters of every turn so far. */
    List<SessionCounters> turnCounters() {
        return List.copyOf(turns);
    }
}

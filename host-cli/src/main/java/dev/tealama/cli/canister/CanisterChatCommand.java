package dev.tealama.cli.canister;

import dev.tealama.TealamaException;
import dev.tealama.cli.ChatOptions;
import dev.tealama.cli.GenerationSettings;
import dev.tealama.cli.Main;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.Terminal;
import dev.tealama.cli.canister.CanisterTypes.SessionOptions;
import dev.tealama.cli.canister.CanisterTypes.Turn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tealama canister chat}: a conversation with the canister, one line of standard input per message.
 *
 * <p>Each turn starts a session with the conversation so far ({@code history}) that continues from the previous
 * turn's session ({@code continue_from}): the canister keeps that session's KV cache, so a turn evaluates only its new
 * tokens. Replies go to standard output, one per line; prompts, notices and costs to standard error.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Talk with the model on the canister: each line you type is a message.", "",
                "Reads standard input line by line (a pipe works too). Each turn reuses the canister's cache of the "
                        + "conversation so far. Commands: /reset starts a new conversation, /help lists the commands, "
                        + "/exit (or the end of input) quits.", ""})
final class CanisterChatCommand implements Callable<Integer> {
    private static final String HELP = "commands: /reset starts a new conversation, /exit quits (so does the end of "
            + "input), /help shows this";

    @ParentCommand
    private CanisterCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "Positions the conversation's KV cache holds (default: the canister's maximum).")
    private Integer contextSize;

    @Mixin
    private GenerationSettings generation;

    @Mixin
    private ChatOptions chat;

    @Mixin
    private ConnectionOptions connection;

    /** Each turn's generation, in order (tests check that turns reuse the cache). */
    private final List<RemoteGeneration.Result> turns = new ArrayList<>();

    @Override
    public Integer call() {
        generation.validate();
        chat.validate();
        connection.validate();
        GenerateCommand.checkContextSize(spec, contextSize);
        Terminal terminal = parent.terminal();
        PrintStream out = terminal.out();
        PrintStream log = terminal.err();
        ConnectionOptions.Connection c = connection.connect(log);
        SessionOptions base = GenerateCommand.sessionOptions(generation, chat, false, contextSize);
        log.println("chat with the model on canister " + c.canisterId() + " at " + c.url() + " (seed " + base.seed()
                + "); " + HELP);

        long instructions = 0;
        long updateCalls = 0;
        long generated = 0;
        try (SessionGuard guard = new SessionGuard(c.canister())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8));
            List<Turn> history = new ArrayList<>();
            Long previous = null;
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
                        guard.release();
                        history.clear();
                        previous = null;
                        log.println("(new conversation)");
                    } else if (trimmed.equals("/help")) {
                        log.println(HELP);
                    } else {
                        log.println("unknown command " + trimmed + "; " + HELP);
                    }
                    continue;
                }
                SessionOptions options = base.withHistory(history, previous).withSeed(base.seed() + turns.size());
                RemoteGeneration.Result reply;
                try {
                    reply = RemoteGeneration.run(c.canister(), line, options, out, guard::started);
                } catch (CanisterCallException e) {
                    if (e.kind() != CanisterCallException.Kind.REJECTED || !e.getMessage().contains("session_start")) {
                        throw e;
                    }
                    updateCalls++;
                    log.println("(" + e.getMessage() + "; /reset starts a new conversation)");
                    continue;
                }
                out.println();
                out.flush();
                turns.add(reply);
                history.add(Turn.user(line));
                history.add(Turn.assistant(reply.text()));
                previous = reply.started().id();
                instructions += reply.instructions();
                updateCalls += reply.updateCalls();
                generated += reply.counters().generatedTokens();
                CanisterTypes.SessionStarted s = reply.started();
                log.println("(" + Sizes.count(s.promptTokens() - s.promptTokensCached()) + " of "
                        + Sizes.count(s.promptTokens()) + " prompt tokens evaluated, " + reply.counters().generatedTokens()
                        + " generated in " + reply.steps().size() + " step" + (reply.steps().size() == 1 ? "" : "s")
                        + "; " + Numbers.big(reply.instructions()) + " instructions, ≈ "
                        + Numbers.big(CostModel.THIRTEEN_NODE_SUBNET.cycles(reply.instructions(),
                        reply.updateCalls())) + " cycles)");
                if ("context_full".equals(reply.finishReason())) {
                    log.println("(the context of " + Sizes.count(s.contextSize()) + " tokens is full: /reset starts a "
                            + "new conversation, or restart with a larger --ctx-size)");
                }
            }
            guard.release();
            updateCalls += guard.cancelCalls();
        }
        if (!turns.isEmpty()) {
            log.println();
            log.println("conversation: " + turns.size() + " turn" + (turns.size() == 1 ? "" : "s") + ", "
                    + updateCalls + " update calls");
            GenerateCommand.printCost(log, instructions, generated, 0, updateCalls);
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

    /** Each turn's generation so far. */
    List<RemoteGeneration.Result> turns() {
        return List.copyOf(turns);
    }
}

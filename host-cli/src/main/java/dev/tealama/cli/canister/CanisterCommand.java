package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import dev.tealama.cli.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tealama canister}: the Tealama canister on the Internet Computer (or a local replica), driven through
 * DFINITY's JVM agent; and {@code simulate}, which runs the canister in this JVM's metered local IC host.
 */
@Command(name = "canister", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Use the Tealama canister: upload a model, generate, chat, see its state; or simulate it "
                + "locally to learn what a token costs before deploying.", ""},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Deploy the canister with dfx first (scripts/canister-deploy), then:",
                "  tealama canister upload model.gguf --identity <(dfx identity export default)",
                "  tealama canister generate \"Once upon a time\" -n 32",
                "Run 'tealama canister COMMAND --help' for a command's options."},
        subcommands = {UploadCommand.class, GenerateCommand.class, CanisterChatCommand.class, StatusCommand.class,
                InfoCommand.class, SimulateCommand.class})
public final class CanisterCommand implements Runnable {
    @ParentCommand
    private Main main;

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a canister command is required (upload, generate, chat, "
                + "status, info, simulate)");
    }

    /** The streams of this run. */
    Terminal terminal() {
        return main.terminal();
    }
}

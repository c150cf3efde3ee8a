package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.Terminal;
import dev.tealama.cli.canister.CanisterTypes.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/** {@code tealama canister info}: the model on the canister, its shape, and the canister's state (a query). */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Describe the model on the canister (architecture, sizes, weight types, chat template) and "
                + "the canister's state, sessions and memory. A query: it costs nothing.", ""})
final class InfoCommand implements Callable<Integer> {
    @ParentCommand
    private CanisterCommand parent;

    @Mixin
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        connection.validate();
        Terminal terminal = parent.terminal();
        ConnectionOptions.Connection c = connection.connect(terminal.err());
        ModelInfo info = c.canister().modelInfo();
        PrintStream out = terminal.out();
        out.println("canister:       " + c.canisterId() + " at " + c.url());
        out.println("state:          " + StatusCommand.describe(info.state()));
        if (!info.name().isEmpty()) {
            out.println("file:           " + info.name() + ", " + Sizes.bytes(info.size()) + " ("
                    + Sizes.count(info.size()) + " bytes)");
            out.println("sha-256:        " + HexFormat.of().formatHex(info.sha256()));
        }
        if (info.isLoaded()) {
            out.println("model:          " + (info.modelName() == null ? "(unnamed)" : info.modelName()) + ", "
                    + info.architecture());
            out.println("layers:         " + info.layers());
            out.println("dim:            " + Sizes.count(info.dim()) + " (feed-forward " + Sizes.count(info.ffnDim())
                    + ")");
            out.println("heads:          " + info.heads() + " (" + info.kvHeads() + " key/value)");
            out.println("vocabulary:     " + Sizes.count(info.vocabulary()) + " tokens");
            out.println("context:        " + Sizes.count(info.contextLength()) + " tokens (trained)");
            out.println("weights:        " + String.join(", ", info.weightTypes()));
            out.println("chat template:  " + info.chatTemplate());
        }
        out.println("sessions:       " + info.sessions());
        out.println("memory:         " + StatusCommand.memory(info.memory()));
        out.println("config:         " + StatusCommand.config(info.config()));
        out.flush();
        return Main.EXIT_OK;
    }
}

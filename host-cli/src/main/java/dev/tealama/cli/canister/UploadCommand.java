package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tealama canister upload MODEL.gguf}: puts a model on the canister and loads it, resuming if interrupted. */
@Command(name = "upload", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Upload a GGUF model to the canister and load it (controllers only).", "",
                "The file is checked first (nothing is sent if the canister could not load it). Chunks of at most "
                        + "1.9 MB go out with a progress bar; transient failures are retried. If the upload is "
                        + "interrupted, running the same command again sends only what is missing. Then `load` is "
                        + "called until the model is ready.", ""})
final class UploadCommand implements Callable<Integer> {
    @ParentCommand
    private CanisterCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "MODEL.gguf", description = "The GGUF model file.")
    private Path model;

    @Option(names = "--name", paramLabel = "NAME", description = "What the canister calls the model (default: the "
            + "file's name).")
    private String name;

    @Option(names = "--chunk-size", paramLabel = "BYTES", description = "Bytes per upload_chunk call, at most "
            + "1900000 (a message to the IC may be 2 MiB). Default: ${DEFAULT-VALUE}.")
    private int chunkSize = ModelUpload.MAX_CHUNK_BYTES;

    @Mixin
    private ConnectionOptions connection;

    @Override
    public Integer call() {
        if (chunkSize < 1 || chunkSize > ModelUpload.MAX_CHUNK_BYTES) {
            throw new ParameterException(spec.commandLine(), "--chunk-size must be between 1 and "
                    + ModelUpload.MAX_CHUNK_BYTES + ", got " + chunkSize);
        }
        connection.validate();
        Terminal terminal = parent.terminal();
        String modelName = name != null ? name : model.getFileName().toString();
        // before connecting: a file the canister could not load fails fast, whatever the network does
        ModelUpload.CheckedModel checked = ModelUpload.check(model);
        ConnectionOptions.Connection c = connection.connect(terminal.err());
        ModelUpload.Result r = new ModelUpload(c.canister(), checked, modelName, chunkSize, terminal.err(),
                terminal.interactive()).run();
        CanisterCalls.CallCount count = c.canister().calls().count();
        terminal.err().println("done:     " + (r.alreadyLoaded() ? "nothing sent" : Sizes.bytes(r.bytesSent())
                + " sent in " + r.chunksSent() + " chunk" + (r.chunksSent() == 1 ? "" : "s")
                + (r.alreadyOnCanister() > 0 ? " (" + Sizes.bytes(r.alreadyOnCanister()) + " were there already)" : "")
                + ", loaded in " + r.loadCalls() + " load call" + (r.loadCalls() == 1 ? "" : "s")) + "; "
                + count.updates() + " update call" + (count.updates() == 1 ? "" : "s") + ", " + count.queries()
                + (count.queries() == 1 ? " query" : " queries"));
        return Main.EXIT_OK;
    }
}

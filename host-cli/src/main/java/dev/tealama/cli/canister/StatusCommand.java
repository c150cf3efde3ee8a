package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.Terminal;
import dev.tealama.cli.canister.CanisterTypes.Config;
import dev.tealama.cli.canister.CanisterTypes.Memory;
import dev.tealama.cli.canister.CanisterTypes.ModelInfo;
import dev.tealama.cli.canister.CanisterTypes.UploadStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/** {@code tealama canister status}: the upload, the model's state, sessions and memory (two queries, no cost). */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Main.Version.class,
        description = {"Show the canister's state: the upload, the model (uploaded, loading, loaded), sessions, "
                + "memory and configuration. Queries only: it costs nothing.", ""})
final class StatusCommand implements Callable<Integer> {
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
        UploadStatus upload = c.canister().uploadStatus();
        PrintStream out = terminal.out();
        out.println("canister: " + c.canisterId() + " at " + c.url());
        out.println("caller:   " + c.caller());
        out.println("model:    " + (info.name().isEmpty() ? "none" : info.name() + ", " + Sizes.bytes(info.size())
                + ", sha-256 " + HexFormat.of().formatHex(info.sha256())) + ": " + describe(info.state()));
        out.println("upload:   " + upload(upload));
        out.println("sessions: " + info.sessions() + " (at most " + orDefault(info.config().maxSessions(), "4")
                + ", of at most " + orDefault(info.config().maxContext(), "2,048") + " positions each)");
        out.println("memory:   " + memory(info.memory()));
        out.println("config:   " + config(info.config()));
        out.flush();
        return Main.EXIT_OK;
    }

    static String describe(String state) {
        switch (state) {
            case "none": return "no model (upload one: tealama canister upload MODEL.gguf)";
            case "uploading": return "uploading (run the upload again to finish it)";
            case "uploaded": return "uploaded, not loaded (tealama canister upload finishes with load)";
            case "loading": return "loading (call load until done: run the upload again)";
            case "loaded": return "loaded, ready to generate";
            default: return state;
        }
    }

    static String upload(UploadStatus u) {
        if ("none".equals(u.state())) {
            return "none";
        }
        String text = u.state() + ", " + Sizes.bytes(u.received()) + " of " + Sizes.bytes(u.size()) + " received";
        if (!u.isComplete()) {
            text += ", " + Sizes.count(u.missingCount()) + " range" + (u.missingCount() == 1 ? "" : "s") + " missing";
        }
        return text;
    }

    static String memory(Memory m) {
        return "Wasm memory " + Sizes.bytes(m.wasmMemory()) + " (Java heap " + Sizes.bytes(m.javaHeap())
                + ", of which KV caches " + Sizes.bytes(m.kvCaches()) + "; weight arena "
                + Sizes.bytes(m.weightArena()) + "), stable memory " + Sizes.bytes(m.stableMemory());
    }

    static String config(Config c) {
        return "step_instructions " + instructions(c.stepInstructions()) + ", load_instructions "
                + instructions(c.loadInstructions()) + ", max_sessions " + orDefault(c.maxSessions(), "4")
                + ", max_context " + orDefault(c.maxContext(), "2,048");
    }

    private static String instructions(Long value) {
        return value == null ? "30 B (default)" : Numbers.big(value);
    }

    private static String orDefault(Long value, String fallback) {
        return value == null ? fallback + " (default)" : Sizes.count(value);
    }
}

package dev.tealama.icreplica;

import dev.tealama.ichost.CallResult;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the stand-in replica from the command line with one canister, for trying a client by hand:
 *
 * <pre>
 * java -cp ... dev.tealama.icreplica.ReplicaMain --wasm tealama.wasm [--port 4943] [--controller PRINCIPAL]...
 *     [--canister-id PRINCIPAL] [--init-arg-hex HEX]
 * </pre>
 *
 * It prints the URL, the canister id and the root key, then serves until it is killed.
 */
public final class ReplicaMain {

    private static final String USAGE = "usage: ReplicaMain --wasm FILE [--port N] [--controller PRINCIPAL]..."
            + " [--canister-id PRINCIPAL] [--init-arg-hex HEX]";

    private ReplicaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalReplica replica;
        try {
            replica = start(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("ReplicaMain: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(replica::close));
        new CountDownLatch(1).await();
    }

    /** Installs the canister, starts the replica and prints where it is; the caller closes it. */
    static LocalReplica start(String[] args, PrintStream out) {
        Path wasm = null;
        int port = 0;
        Set<Principal> controllers = new LinkedHashSet<>();
        Principal canisterId = Principal.canisterId(1);
        byte[] initArg = new byte[0];
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--wasm":
                    wasm = Path.of(value);
                    break;
                case "--port":
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port takes a number, not " + value);
                    }
                    break;
                case "--controller":
                    controllers.add(Principal.fromText(value));
                    break;
                case "--canister-id":
                    canisterId = Principal.fromText(value);
                    break;
                case "--init-arg-hex":
                    initArg = HexFormat.of().parseHex(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (wasm == null) {
            throw new IllegalArgumentException("--wasm is required");
        }
        byte[] module;
        try {
            module = Files.readAllBytes(wasm);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + wasm + ": " + e.getMessage());
        }
        LocalCanister canister = LocalCanister.builder().canisterId(canisterId).build();
        CallResult installed = canister.install(module, initArg, controllers);
        if (installed instanceof CallResult.Reject) {
            throw new IllegalArgumentException("the canister could not be installed: "
                    + ((CallResult.Reject) installed).message());
        }
        LocalReplica replica = LocalReplica.builder().canister(canister).port(port).start();
        out.println("url " + replica.url());
        out.println("canister " + canisterId);
        out.println("root-key " + HexFormat.of().formatHex(replica.rootKeyDer()));
        out.flush();
        return replica;
    }
}

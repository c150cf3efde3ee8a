package dev.tealama.cli.canister;

import dev.tealama.TealamaException;
import org.ic4j.agent.Agent;
import org.ic4j.agent.AgentBuilder;
import org.ic4j.agent.AgentError;
import org.ic4j.agent.NonceFactory;
import org.ic4j.agent.identity.Identity;
import org.ic4j.types.Principal;
import org.ic4j.types.PrincipalError;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Which replica, which canister, and who calls: {@code --network local|ic} or {@code --url}, the canister id from
 * {@code --canister} or from dfx's files, the identity from {@code --identity PEM} (or a fresh key, with a warning).
 * A picocli mixin; {@link #connect} gives the canister to call.
 */
public final class ConnectionOptions {
    /** The canister's name in this project's dfx.json. */
    public static final String DEFAULT_CANISTER_NAME = "tealama";

    /** The networks dfx knows by name. */
    public enum Network {
        /** A replica on this machine ({@code dfx start}); its root key is fetched from it. */
        LOCAL("local", "http://127.0.0.1:4943"),
        /** The Internet Computer; certificates are checked against the IC's root key built into ic4j. */
        IC("ic", "https://icp-api.io");

        final String dfxName;
        final String defaultUrl;

        Network(String dfxName, String defaultUrl) {
            this.dfxName = dfxName;
            this.defaultUrl = defaultUrl;
        }
    }

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--network", paramLabel = "local|ic",
            description = "local: a replica on this machine (dfx start; the default), its root key fetched from it; "
                    + "ic: the Internet Computer, certificates checked against the IC's own root key.")
    private Network network = Network.LOCAL;

    @Option(names = "--url", paramLabel = "URL",
            description = "The replica's URL (default: http://127.0.0.1:4943, or the port dfx recorded for this "
                    + "project's local network; https://icp-api.io with --network ic).")
    private String url;

    @Option(names = "--canister", paramLabel = "ID|NAME",
            description = "The canister: its id, or its name in dfx's canister_ids.json files (default: "
                    + DEFAULT_CANISTER_NAME + ", looked up in .dfx/local/canister_ids.json, then canister_ids.json).")
    private String canister;

    @Option(names = "--identity", paramLabel = "PEM",
            description = "The key that signs the calls, a PEM file as `dfx identity export NAME` writes it "
                    + "(secp256k1, Ed25519 or P-256). Default: a new random key, which is not a controller.")
    private Path identity;

    @Option(names = "--project", paramLabel = "DIR",
            description = "The dfx project whose canister_ids.json files name the canister (default: the nearest "
                    + "directory upwards with a dfx.json, or the current one).")
    private Path project;

    @Option(names = "--retries", paramLabel = "N",
            description = "Retries of a request after a transient failure (replica unreachable, HTTP 429/5xx), "
                    + "with backoff from 0.25 s to 8 s. Default: ${DEFAULT-VALUE}.")
    private int retries = 5;

    /** The canister to call, and who calls it. */
    public record Connection(TealamaCanister canister, String canisterId, String url, String caller) {
    }

    /** Checks option values picocli cannot check by type. */
    public void validate() {
        if (retries < 0 || retries > 100) {
            throw new ParameterException(command.commandLine(), "--retries must be between 0 and 100, got "
                    + retries);
        }
        if (url != null) {
            try {
                URI uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new URISyntaxException(url, "expected http://HOST:PORT or https://HOST");
                }
            } catch (URISyntaxException e) {
                throw new ParameterException(command.commandLine(), "--url " + url + " is not a replica URL ("
                        + e.getReason() + ")");
            }
        }
    }

    /** Connects: reads the identity, finds the canister id and, on a local network, fetches the root key. */
    public Connection connect(PrintStream log) {
        validate();
        Identity signer = identity(log);
        return connect(replicaUrl(), canisterId(), signer, network == Network.LOCAL, RetryPolicy.standard(retries),
                log);
    }

    /**
     * Connects to canister {@code canisterId} on the replica at {@code url} as {@code signer}.
     *
     * @param fetchRootKey true for a local replica (its root key is fetched from it; certificates are still
     *                     verified), false for the IC (the root key built into ic4j)
     * @param log          where retries are announced
     */
    public static Connection connect(String url, String canisterId, Identity signer, boolean fetchRootKey,
                                     RetryPolicy retry, PrintStream log) {
        Principal canisterPrincipal;
        try {
            canisterPrincipal = Principal.fromString(canisterId);
        } catch (PrincipalError | RuntimeException e) {
            throw new TealamaException("'" + canisterId + "' is not a canister id (" + e.getMessage() + ")");
        }
        HttpTransport transport = new HttpTransport(url, retry, notice -> log.println("tealama: " + notice));
        Agent agent = new AgentBuilder().transport(transport).identity(signer).nonceFactory(new NonceFactory())
                .build();
        if (fetchRootKey) {
            try {
                agent.fetchRootKey();
            } catch (AgentError e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof CanisterCallException c) {
                        throw new TealamaException("cannot fetch the root key of the local replica: " + c.getMessage(),
                                c);
                    }
                }
                throw new TealamaException("cannot fetch the root key of the local replica at " + url + ": "
                        + e.getMessage(), e);
            }
        }
        AgentCalls calls = new AgentCalls(agent, canisterPrincipal, url, signer.sender());
        return new Connection(new TealamaCanister(calls), canisterPrincipal.toString(), url,
                signer.sender().toString());
    }

    private Identity identity(PrintStream log) {
        if (identity != null) {
            return Identities.fromPemFile(identity);
        }
        Identity fresh = Identities.fresh();
        log.println("tealama: warning: no --identity, so calls are signed with a new random key (principal "
                + fresh.sender() + "); it is not a controller: to upload, pass a controller's key, e.g. --identity "
                + "<(dfx identity export default)");
        return fresh;
    }

    /** {@code --url}, or the network's. */
    String replicaUrl() {
        if (url != null) {
            return url;
        }
        if (network == Network.LOCAL) {
            // a project-specific local network records the port its webserver listens on
            Path port = projectDir().resolve(".dfx").resolve("network").resolve("local").resolve("webserver-port");
            if (Files.isRegularFile(port)) {
                try {
                    String text = Files.readString(port, StandardCharsets.US_ASCII).strip();
                    if (text.matches("[0-9]{1,5}")) {
                        return "http://127.0.0.1:" + text;
                    }
                } catch (IOException e) {
                    // fall back to the default port
                }
            }
        }
        return network.defaultUrl;
    }

    /** {@code --canister} as an id, or the id dfx's files record for it (or for "tealama"). */
    String canisterId() {
        String given = canister == null ? DEFAULT_CANISTER_NAME : canister;
        if (looksLikePrincipal(given)) {
            return given;
        }
        Path dir = projectDir();
        Optional<String> found = CanisterIds.find(dir, given, network.dfxName);
        if (found.isPresent()) {
            return found.get();
        }
        throw new TealamaException("which canister? No canister named '" + given + "' on network " + network.dfxName
                + " in " + String.join(" or ", CanisterIds.files(dir, network.dfxName).stream().map(Path::toString)
                .toList()) + ": pass its id with --canister ID, or run this in the dfx project that deployed it "
                + "(or give it with --project DIR)");
    }

    private Path projectDir() {
        return project != null ? project.toAbsolutePath().normalize() : CanisterIds.projectOf(Path.of(""));
    }

    private static boolean looksLikePrincipal(String text) {
        return text.toLowerCase(Locale.ROOT).matches("[a-z2-7]{5}(-[a-z2-7]{1,5})+") || text.equals("aaaaa-aa");
    }
}

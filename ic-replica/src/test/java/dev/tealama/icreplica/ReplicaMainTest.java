package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ic4j.agent.Agent;
import org.ic4j.agent.AgentBuilder;
import org.ic4j.agent.http.ReplicaApacheHttpTransport;
import org.ic4j.agent.identity.AnonymousIdentity;
import org.ic4j.types.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line entry: installs a module from a file and serves it. */
class ReplicaMainTest {

    @Test
    void servesTheModuleOfTheFile(@TempDir Path dir) throws Exception {
        Path wasm = Files.write(dir.resolve("test.wasm"), TestCanister.wasm());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (LocalReplica replica = ReplicaMain.start(new String[] {"--wasm", wasm.toString(), "--canister-id",
            "ryjl3-tyaaa-aaaaa-aaaba-cai"}, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String output = printed.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains("url " + replica.url()), output);
            assertTrue(output.contains("canister ryjl3-tyaaa-aaaaa-aaaba-cai"), output);
            Agent agent = new AgentBuilder().transport(ReplicaApacheHttpTransport.create(replica.url()))
                    .identity(new AnonymousIdentity()).build();
            agent.fetchRootKey();
            Principal canister = Principal.fromString("ryjl3-tyaaa-aaaaa-aaaba-cai");
            assertArrayEquals(new byte[] {5}, agent.queryRaw(canister, canister, "echo_query", new byte[] {5},
                    Optional.empty()).get());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ReplicaMain.start(new String[0], System.out));
        assertTrue(missing.getMessage().contains("--wasm is required"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ReplicaMain.start(new String[] {"--colour", "blue"}, System.out));
        assertTrue(unknown.getMessage().contains("unknown option --colour"));
    }
}

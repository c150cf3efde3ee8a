package dev.tealama.cli.canister;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.chat.ChatMessage;
import dev.tealama.chat.ChatPromptEncoder;
import dev.tealama.chat.ChatTemplate;
import dev.tealama.cli.Main;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.canister.CanisterTypes.Range;
import dev.tealama.cli.canister.CanisterTypes.SessionOptions;
import dev.tealama.cli.canister.CanisterTypes.UploadStatus;
import dev.tealama.model.ForwardPass;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.NumericScheme;
import dev.tealama.model.ScalarKernels;
import dev.tealama.sampling.SamplingOptions;
import dev.tealama.session.GenerationOptions;
import dev.tealama.session.GenerationSession;
import dev.tealama.session.StepBudget;
import dev.tealama.testing.Reference;
import dev.tealama.testing.TestData;
import org.ic4j.agent.identity.Identity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client end to end against a replica running the real canister: the {@code tealama canister} commands
 * in-process and the client classes underneath, through ic4j over HTTP with certificate verification on. Each
 * replica (the stand-in; dfx's when it is installed) runs the same tests; expectations come from llama.cpp's greedy
 * reference, the JVM core's own run of the same generation, the IC's limits and canister.did's rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.SAME_THREAD)
abstract class CanisterClientContract {
    static final String STORIES = "stories260K.gguf";

    /** A directory for this class's files (PEM files, dfx projects). */
    Path dir;

    ReplicaUnderTest replica;

    /** Why this replica cannot run here (then every test is reported as skipped with it), or null. */
    String unavailableBecause() {
        return null;
    }

    /** Starts the replica under test. */
    abstract ReplicaUnderTest startReplica(Path dir);

    /** Marks the canister's message log, where the replica can show it (the stand-in); else -1. */
    long messageMark() {
        return -1;
    }

    /** The upload_chunk messages since {@code mark}: their count and argument bytes, or null where unknown. */
    long[] chunkMessagesSince(long mark) {
        return null;
    }

    /** Whether the replica answers an oversize request with HTTP 413 itself (the stand-in does, as the IC's spec). */
    boolean answers413() {
        return false;
    }

    @BeforeAll
    void start(@TempDir Path tempDir) throws IOException {
        dir = tempDir;
        if (unavailableBecause() == null) {
            replica = startReplica(Files.createDirectories(dir.resolve("replica")));
        } else {
            System.err.println(getClass().getSimpleName() + ": " + unavailableBecause());
        }
    }

    @BeforeEach
    void requireTheReplica() {
        Assumptions.assumeTrue(replica != null, this::unavailableBecause);
    }

    @AfterAll
    void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    // ---- helpers

    /** {@code canister COMMAND args... --url URL --canister ID}. */
    String[] command(String... args) {
        List<String> all = new ArrayList<>(List.of("canister"));
        all.addAll(List.of(args));
        all.addAll(List.of("--url", replica.url(), "--canister", replica.canisterId()));
        return all.toArray(String[]::new);
    }

    TealamaCanister client(Identity identity) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        return ConnectionOptions.connect(replica.url(), replica.canisterId(), identity, true,
                RetryPolicy.standard(3), nowhere).canister();
    }

    Identity controller() {
        return Identities.fromPemFile(replica.controllerPem());
    }

    static Path stories() {
        return TestData.model(STORIES);
    }

    static Reference.Greedy reference() {
        return Reference.greedy(TestData.root().resolve("reference"), STORIES);
    }

    /** Makes sure stories260K is uploaded and loaded (through the upload command; a no-op once loaded). */
    void ensureLoaded() {
        Cli.run(command("upload", stories().toString(), "--identity", replica.controllerPem().toString()))
                .assertSuccess();
    }

    static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** The JVM core's own run of a generation, as the canister runs it (scalar kernels, llama.cpp numerics). */
    static int[] jvmTokens(String prompt, SamplingOptions sampling, int maxTokens) {
        LlamaModel model = LlamaModel.load(new ArrayByteSource(TestData.readModel(STORIES)));
        int[] tokens = new ChatPromptEncoder(model.tokenizer(), ChatTemplate.named("plain"))
                .encode(List.of(ChatMessage.user(prompt)), true);
        int context = Math.min(2048, model.config().contextLength());
        ForwardPass forward = model.newForwardPass(new ScalarKernels(), NumericScheme.LLAMA_CPP, context,
                Math.min(32, context));
        GenerationSession session = new GenerationSession(model, forward);
        session.start(tokens, new GenerationOptions(maxTokens, sampling, List.of()));
        return session.step(StepBudget.unlimited()).tokens();
    }

    /** Thrown by a chunk listener: the upload "process" dies there. */
    static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    // ---- tests

    @Test
    void anInterruptedUploadIsResumedSendingOnlyWhatIsMissing() throws IOException {
        TealamaCanister canister = client(controller());
        canister.uploadAbort();
        assertEquals("none", canister.uploadStatus().state());
        long size = Files.size(stories());
        int chunk = 300_000;

        // the first run dies after two chunks
        ModelUpload first = new ModelUpload(canister, ModelUpload.check(stories()), STORIES, chunk, nowhere(), false)
                .onChunk((offset, length, receipt) -> {
                    if (receipt.received() >= 2L * chunk) {
                        throw new Killed();
                    }
                });
        assertThrows(Killed.class, first::run);
        UploadStatus partial = canister.uploadStatus();
        assertEquals("uploading", partial.state());
        assertEquals(2L * chunk, partial.received());
        assertEquals(List.of(new Range(2L * chunk, size - 2L * chunk)), partial.missing());
        assertEquals("uploading", canister.modelInfo().state());

        // a second run of the command finishes the job
        long mark = messageMark();
        Cli second = Cli.run(command("upload", stories().toString(), "--chunk-size", Integer.toString(chunk),
                "--identity", replica.controllerPem().toString())).assertSuccess();
        assertTrue(second.err().contains("resuming: " + Sizes.bytes(2L * chunk) + " of " + Sizes.bytes(size)
                + " are on the canister already"), second.err());
        assertTrue(second.err().contains("done:     " + Sizes.bytes(size - 2L * chunk) + " sent in 2 chunks"),
                second.err());
        long[] chunks = chunkMessagesSince(mark);
        if (chunks != null) {
            assertEquals(2, chunks[0], "upload_chunk calls of the second run");
            long overhead = chunks[1] - (size - 2L * chunk);
            assertTrue(overhead >= 0 && overhead <= 2 * 32, "argument bytes beyond the missing range: " + overhead);
        }
        assertTrue(canister.uploadStatus().isComplete());
        CanisterTypes.ModelInfo info = canister.modelInfo();
        assertEquals("loaded", info.state());
        assertArrayEquals(ModelUpload.sha256(stories()), info.sha256());

        // a third run has nothing to do
        Cli third = Cli.run(command("upload", stories().toString(), "--identity",
                replica.controllerPem().toString())).assertSuccess();
        assertTrue(third.err().contains("the canister has this model loaded already"), third.err());
    }

    @Test
    void generatesLlamaCppsGreedyTextAndTheJvmsTokens() {
        ensureLoaded();
        Reference.Greedy ref = reference();
        Cli run = Cli.run(command("generate", "--raw", "--temp", "0", "-n", Integer.toString(ref.genIds().length),
                "-p", ref.prompt())).assertSuccess();
        assertEquals(ref.text(), run.out(), "standard output is the generated text and nothing else");
        String err = run.err();
        assertTrue(err.contains("warning: no --identity"), err);
        assertTrue(err.contains("generated:    " + ref.genIds().length + " tokens, finish: max tokens"), err);
        assertTrue(err.contains("prompt:       " + ref.promptIds().length + " tokens"), err);
        assertTrue(err.contains("instructions: "), err);
        assertTrue(err.contains("assumes 1 cycle per Wasm instruction + 5 M cycles per update call"), err);

        // the same through the client classes: token ids as llama.cpp's, and as the JVM core's for a sampled run
        TealamaCanister canister = client(Identities.fresh());
        SessionOptions greedy = new SessionOptions("plain", null, 0f, null, null, null, null, null, null,
                (long) ref.genIds().length, null, null, null, null);
        RemoteGeneration.Result g = RemoteGeneration.run(canister, ref.prompt(), greedy, nowhere(), s -> { });
        assertArrayEquals(ref.genIds(), g.tokens(), "greedy token ids against llama.cpp");
        assertArrayEquals(jvmTokens(ref.prompt(), SamplingOptions.greedy(), ref.genIds().length), g.tokens());
        SessionOptions sampled = new SessionOptions("plain", null, null, null, null, null, null, null, 42L, 24L, null, null, null,
                null);
        RemoteGeneration.Result s = RemoteGeneration.run(canister, ref.prompt(), sampled, nowhere(), x -> { });
        assertArrayEquals(jvmTokens(ref.prompt(), SamplingOptions.defaults(42), 24), s.tokens(),
                "sampled (llama.cpp's default chain, seed 42) token ids against the JVM core");
    }

    @Test
    void anOversizeCallIsAClearErrorNotATimeout() {
        ensureLoaded();
        TealamaCanister canister = client(controller());
        CanisterCallException e = assertThrows(CanisterCallException.class,
                () -> canister.uploadChunk(0, new byte[2_200_000]));
        if (answers413()) {
            assertEquals(CanisterCallException.Kind.TOO_LARGE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 413") && e.getMessage().contains("2 MiB"), e.getMessage());
        }
        assertNotEquals(CanisterCallException.Kind.TIMEOUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("upload_chunk: "), e.getMessage());
        assertEquals("loaded", canister.modelInfo().state(), "the refused call changed nothing");

        Cli big = Cli.run(command("generate", "-p", "x".repeat(2_500_000)));
        big.assertFailure(Main.EXIT_ERROR, "session_start");
        if (answers413()) {
            big.assertFailure(Main.EXIT_ERROR, "too large", "2 MiB");
        }
        assertEquals("", big.out());
    }

    @Test
    void anUploadByANonControllerIsRefusedAndChangesNothing() {
        ensureLoaded();
        Path pem = TestKeys.write(dir, "mallory.pem", TestKeys.secp256k1("mallory", false));
        String principal = Identities.fromPemFile(pem).sender().toString();
        Cli refused = Cli.run(command("upload", TestData.model("llama-2-tiny-random.gguf").toString(),
                "--identity", pem.toString()));
        refused.assertFailure(Main.EXIT_ERROR, "the canister refused upload_begin", "only a controller",
                "you are " + principal, "--add-controller " + principal);
        CanisterTypes.ModelInfo info = client(controller()).modelInfo();
        assertEquals("loaded", info.state());
        assertEquals(STORIES, info.name());
    }

    @Test
    void identitiesFromPemFilesAsDfxExportsThem() {
        ensureLoaded();
        String[][] keys = {
                {"secp256k1 (dfx identity new), CRLF", TestKeys.secp256k1("alice", false)},
                {"secp256k1 after an EC PARAMETERS block (older dfx)", TestKeys.secp256k1("bob", true)},
                {"Ed25519 PKCS#8 v2, with the public key", TestKeys.ed25519("carol", true)},
                {"Ed25519 PKCS#8 v1, without it", TestKeys.ed25519("dave", false)},
                {"P-256", TestKeys.p256("erin")}};
        List<String> principals = new ArrayList<>();
        for (String[] key : keys) {
            Path pem = TestKeys.write(dir, "key" + principals.size() + ".pem", key[1]);
            Cli run = Cli.run(command("generate", "--raw", "--temp", "0", "-n", "2", "-p", "Once upon a time",
                    "--identity", pem.toString()));
            assertEquals(Main.EXIT_OK, run.exitCode(), key[0] + ":\n" + run.err());
            assertFalse(run.err().contains("warning: no --identity"), key[0]);
            principals.add(Identities.fromPemFile(pem).sender().toString());
        }
        assertEquals(keys.length, principals.stream().distinct().count(), "five keys, five principals");

        // the canister tells callers apart: a session belongs to the key that started it
        TealamaCanister alice = client(Identities.fromPem(keys[0][1], "alice"));
        TealamaCanister carol = client(Identities.fromPem(keys[2][1], "carol"));
        long id = alice.sessionStart("Once", new SessionOptions("plain", null, 0f, null, null, null, null, null, null,
                1L, null, null, null, null)).id();
        CanisterCallException e = assertThrows(CanisterCallException.class, () -> carol.sessionStep(id));
        assertTrue(e.getMessage().contains("belongs to another caller"), e.getMessage());
        assertTrue(alice.sessionStep(id).done());
        alice.sessionCancel(id);
    }

    @Test
    void theCanisterIdComesFromDfxsCanisterIdsJson() throws IOException {
        ensureLoaded();
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve("dfx.json"), "{\"canisters\": {\"tealama\": {\"type\": \"custom\"}}}");
        Files.createDirectories(project.resolve(".dfx/local"));
        Files.writeString(project.resolve(".dfx/local/canister_ids.json"),
                "{\"tealama\": {\"local\": \"" + replica.canisterId() + "\"}}");
        Cli status = Cli.run("canister", "status", "--project", project.toString(), "--url", replica.url())
                .assertSuccess();
        assertTrue(status.out().contains("canister: " + replica.canisterId()), status.out());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Cli.run("canister", "status", "--project", empty.toString(), "--url", replica.url())
                .assertFailure(Main.EXIT_ERROR, "which canister?", "canister_ids.json", "--canister ID");
    }

    /** With the IC's root key (--network ic), a local replica's certified answers are refused. */
    @Test
    void theMainnetRootKeyRefusesThisReplicasCertificates() {
        ensureLoaded();
        Cli.run("canister", "generate", "-n", "1", "-p", "Once", "--network", "ic", "--url", replica.url(),
                "--canister", replica.canisterId()).assertFailure(Main.EXIT_ERROR, "session_start",
                "did not verify", "--network local");
    }

    @Test
    void aChatTurnReusesThePreviousTurnsCache() {
        ensureLoaded();
        long sessionsBefore = client(controller()).modelInfo().sessions();
        Cli chat = Cli.withInput("Once upon a time\n/help\nThen the cat\n").execute(command("chat", "--temp", "0",
                "-n", "6")).assertSuccess();
        CanisterChatCommand command = chat.canisterSubcommand("chat");
        List<RemoteGeneration.Result> turns = command.turns();
        assertEquals(2, turns.size());
        assertEquals(turns.get(0).text() + "\n" + turns.get(1).text() + "\n", chat.out());
        CanisterTypes.SessionStarted second = turns.get(1).started();
        assertTrue(second.promptTokensCached() > 0, "the second turn reused the first one's cache");
        assertTrue(second.promptTokens() > turns.get(0).started().promptTokens());
        assertTrue(chat.err().contains("conversation: 2 turns"), chat.err());
        assertEquals(sessionsBefore, client(controller()).modelInfo().sessions(),
                "the chat's last session was cancelled");
    }

    @Test
    void statusAndInfoDescribeTheCanister() {
        ensureLoaded();
        Cli status = Cli.run(command("status")).assertSuccess();
        assertTrue(status.out().contains("model:    " + STORIES + ", 1.13 MiB, sha-256 "
                + HexFormat.of().formatHex(ModelUpload.sha256(stories())) + ": loaded, ready to generate"),
                status.out());
        assertTrue(status.out().contains("upload:   complete, 1.13 MiB of 1.13 MiB received"), status.out());
        assertTrue(status.out().contains("memory:   Wasm memory "), status.out());
        Cli info = Cli.run(command("info")).assertSuccess();
        assertTrue(info.out().contains("layers:         5"), info.out());
        assertTrue(info.out().contains("vocabulary:     512 tokens"), info.out());
        assertTrue(info.out().contains("chat template:  plain"), info.out());
    }
}

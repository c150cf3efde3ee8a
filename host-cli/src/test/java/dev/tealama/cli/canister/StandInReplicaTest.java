package dev.tealama.cli.canister;

import dev.tealama.cli.Main;
import dev.tealama.ichost.MessageRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client contract against ic-replica's stand-in replica (always), plus what only the stand-in can stage: requests
 * failing with HTTP 503 (retried), a replica that stops answering mid-upload (the upload says how to resume), a
 * replica that is not there.
 */
class StandInReplicaTest extends CanisterClientContract {

    private StandInReplica standIn() {
        return (StandInReplica) replica;
    }

    @Override
    ReplicaUnderTest startReplica(Path dir) {
        return StandInReplica.start(dir);
    }

    @Override
    long messageMark() {
        List<MessageRecord> log = standIn().canister.messageLog();
        return log.isEmpty() ? -1 : log.get(log.size() - 1).sequence();
    }

    @Override
    long[] chunkMessagesSince(long mark) {
        long count = 0;
        long bytes = 0;
        for (MessageRecord m : standIn().canister.messageLog()) {
            if (m.sequence() > mark && m.method().equals("upload_chunk") && m.reject() == null) {
                count++;
                bytes += m.argumentBytes();
            }
        }
        return new long[] {count, bytes};
    }

    @Override
    boolean answers413() {
        return true;
    }

    @Test
    void transientHttpFailuresAreRetriedWithBackoff() {
        standIn().replica.failNextRequests(2);
        Cli status = Cli.run(command("status")).assertSuccess();
        assertTrue(status.err().contains("answered HTTP 503"), status.err());
        assertTrue(status.err().contains("retrying in 0.25 s (1 of 5)"), status.err());
        assertTrue(status.err().contains("retrying in 0.50 s (2 of 5)"), status.err());
    }

    @Test
    void anUploadCutOffByTheNetworkSaysHowToResumeAndResumes() {
        ensureLoaded();
        TealamaCanister canister = ConnectionOptions.connect(replica.url(), replica.canisterId(), controller(), true,
                new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)), nowhere()).canister();
        canister.uploadAbort();
        ModelUpload upload = new ModelUpload(canister, ModelUpload.check(stories()), STORIES, 400_000, nowhere(),
                false).onChunk((offset, length, receipt) -> standIn().replica.failNextRequests(1000));
        dev.tealama.TealamaException stopped = assertThrows(dev.tealama.TealamaException.class, upload::run);
        standIn().replica.failNextRequests(0);
        assertTrue(stopped.getMessage().startsWith("the upload stopped after 391 KiB of 1.13 MiB"),
                stopped.getMessage());
        assertTrue(stopped.getMessage().contains("HTTP 503"), stopped.getMessage());
        assertTrue(stopped.getMessage().contains("Run the same command again to resume"), stopped.getMessage());
        assertEquals(400_000, canister.uploadStatus().received());

        Cli again = Cli.run(command("upload", stories().toString(), "--identity",
                replica.controllerPem().toString())).assertSuccess();
        assertTrue(again.err().contains("resuming: 391 KiB of 1.13 MiB"), again.err());
        assertEquals("loaded", canister.modelInfo().state());
    }

    /**
     * Queries too: their node signatures are checked against the subnet's node keys, which come from a certificate
     * under the root key. (A replica of its own: ic4j caches a canister's subnet by canister id for the whole JVM,
     * so an earlier agent's verified keys would be trusted.)
     */
    @Test
    void theMainnetRootKeyRefusesAQueryAnswer(@org.junit.jupiter.api.io.TempDir Path tmp) {
        try (StandInReplica fresh = StandInReplica.start(tmp)) {
            Cli.run("canister", "status", "--network", "ic", "--url", fresh.url(), "--canister", fresh.canisterId())
                    .assertFailure(Main.EXIT_ERROR, "model_info", "did not verify");
        }
    }

    @Test
    void aReplicaThatIsNotThereIsAClearError() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Cli.run("canister", "status", "--url", "http://127.0.0.1:" + port, "--canister", replica.canisterId(),
                "--retries", "1").assertFailure(Main.EXIT_ERROR, "cannot reach the replica at http://127.0.0.1:" + port,
                "connection refused", "tried 2 times");
    }
}

package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.ichost.CanisterLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.ic4j.agent.Agent;
import org.ic4j.agent.AgentError;
import org.ic4j.agent.RequestStatusResponse;
import org.ic4j.agent.identity.AnonymousIdentity;
import org.ic4j.types.Principal;
import org.junit.jupiter.api.Test;

/**
 * What the replica refuses, and how: the HTTP status for requests the IC never accepts (413 past the 2 MiB ingress
 * limit, 400 for an expired request or a wrong effective canister id), the specification's reject codes for calls
 * that cannot run (3 for an unknown canister, 5 for an unknown method or a trap, 4 for an explicit reject or a
 * refusal by {@code canister_inspect_message}).
 */
class RejectsTest extends ReplicaTestBase {

    static final Principal UNKNOWN = Principal.from(dev.tealama.ichost.Principal.canisterId(77).toBytes());

    @Test
    void aCallOverTwoMebibytesIsAnswered413AndNeverRuns() throws Exception {
        int limit = CanisterLimits.ic().maxIngressBytes();
        assertEquals(2 * 1024 * 1024, limit);
        CheckingTransport transport = new CheckingTransport(replica.url());
        Agent agent = agent(new AnonymousIdentity(), transport);
        int messagesBefore = canister.messageLog().size();
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> agent.updateRaw(CANISTER, CANISTER, "echo", new byte[limit], Optional.empty()).get());
        CheckingTransport.HttpStatusException http = assertInstanceOf(CheckingTransport.HttpStatusException.class,
                causeOf(thrown));
        assertEquals(413, http.status);
        assertTrue(http.getMessage().contains("at most 2097152 bytes"), http.getMessage());
        assertEquals(messagesBefore, canister.messageLog().size(), "nothing ran");

        byte[] chunk = new byte[1_900_000];
        chunk[chunk.length - 1] = 42;
        assertEquals(chunk.length, replyOf(update(agent, "echo", chunk)).length, "a 1.9 MB chunk fits");
    }

    /**
     * ic4j's own transport ignores the 413: the call is unknown to the replica, and polling finds no reply (ic4j's
     * Waiter would wait until it times out).
     */
    @Test
    void withIc4jsApacheTransportA413ShowsOnlyAsAnUnknownRequest() throws Exception {
        Agent agent = agent(new AnonymousIdentity());
        var id = agent.updateRaw(CANISTER, CANISTER, "echo", new byte[3 * 1024 * 1024], Optional.empty()).get();
        assertTrue(replica.requestStatus(id.get()).isEmpty(), "the replica never accepted the call");
        RequestStatusResponse.InnerStatus seen;
        try {
            seen = agent.requestStatusRaw(id, CANISTER).get().status;
        } catch (ExecutionException e) {
            assertEquals(AgentError.AgentErrorCode.LOOKUP_PATH_ABSENT, ((AgentError) causeOf(e)).getCode());
            seen = null;
        }
        assertTrue(seen == null || seen == RequestStatusResponse.InnerStatus.UNKNOWN_STATUS,
                "no status for a refused call, got " + seen);
    }

    @Test
    void anUnknownCanisterIsDestinationInvalid() throws Exception {
        Agent agent = agent(new AnonymousIdentity(), new CheckingTransport(replica.url()));
        ExecutionException query = assertThrows(ExecutionException.class,
                () -> agent.queryRaw(UNKNOWN, UNKNOWN, "get", new byte[0], Optional.empty()).get());
        assertTrue(causeOf(query).getMessage().contains("Canister " + UNKNOWN + " not found"),
                causeOf(query).getMessage());
        assertEquals(AgentError.AgentErrorCode.REPLICA_ERROR, ((AgentError) causeOf(query)).getCode());

        ExecutionException call = assertThrows(ExecutionException.class,
                () -> agent.updateRaw(UNKNOWN, UNKNOWN, "inc", new byte[0], Optional.empty()).get());
        CheckingTransport.CallRejectedException rejected = assertInstanceOf(
                CheckingTransport.CallRejectedException.class, causeOf(call));
        assertEquals(3, rejected.rejectCode, "DESTINATION_INVALID");
        assertEquals("IC0301", rejected.errorCode);
    }

    @Test
    void anUnknownMethodIsACanisterError() throws Exception {
        Agent agent = agent(new AnonymousIdentity(), new CheckingTransport(replica.url()));
        ExecutionException query = assertThrows(ExecutionException.class,
                () -> query(agent, "no_such_query", new byte[0]));
        assertTrue(causeOf(query).getMessage().contains("has no query method 'no_such_query'"),
                causeOf(query).getMessage());

        ExecutionException call = assertThrows(ExecutionException.class,
                () -> agent.updateRaw(CANISTER, CANISTER, "no_such_update", new byte[0], Optional.empty()).get());
        CheckingTransport.CallRejectedException rejected = assertInstanceOf(
                CheckingTransport.CallRejectedException.class, causeOf(call));
        assertEquals(5, rejected.rejectCode, "CANISTER_ERROR");
        assertEquals("IC0536", rejected.errorCode);
        assertTrue(rejected.getMessage().contains("has no update method 'no_such_update'"), rejected.getMessage());
    }

    @Test
    void aTrapIsACanisterErrorAndChangesNothing() throws Exception {
        Agent agent = agent(new AnonymousIdentity());
        int before = le32(query(agent, "get", new byte[0]));
        RequestStatusResponse trapped = update(agent, "trap", new byte[0]);
        assertEquals(RequestStatusResponse.InnerStatus.REJECTED_STATUS, trapped.status);
        assertEquals(5, trapped.rejected.get().rejectCode, "CANISTER_ERROR");
        assertTrue(trapped.rejected.get().rejectMessage.contains("trapped on demand"),
                trapped.rejected.get().rejectMessage);
        assertEquals(before, le32(query(agent, "get", new byte[0])), "the trap rolled the increment back");
    }

    @Test
    void anExplicitRejectIsCanisterReject() throws Exception {
        RequestStatusResponse rejected = update(agent(new AnonymousIdentity()), "reject", new byte[0]);
        assertEquals(4, rejected.rejected.get().rejectCode, "CANISTER_REJECT");
        assertEquals("rejected on demand", rejected.rejected.get().rejectMessage);
    }

    @Test
    void aMessageRefusedByInspectMessageIsRejectedBeforeItEntersTheIc() throws Exception {
        Agent agent = agent(new AnonymousIdentity(), new CheckingTransport(replica.url()));
        ExecutionException call = assertThrows(ExecutionException.class, () -> agent
                .updateRaw(CANISTER, CANISTER, "refused_by_inspect", new byte[0], Optional.empty()).get());
        CheckingTransport.CallRejectedException rejected = assertInstanceOf(
                CheckingTransport.CallRejectedException.class, causeOf(call));
        assertEquals(4, rejected.rejectCode);
        assertEquals("IC0406", rejected.errorCode);
    }

    @Test
    void anExpiredRequestIsRefused() throws Exception {
        Agent agent = agent(new AnonymousIdentity(), new CheckingTransport(replica.url()));
        long oneMinuteAgo = System.currentTimeMillis() * 1_000_000L - Duration.ofMinutes(1).toNanos();
        ExecutionException call = assertThrows(ExecutionException.class, () -> agent
                .updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.of(oneMinuteAgo)).get());
        CheckingTransport.HttpStatusException http = assertInstanceOf(CheckingTransport.HttpStatusException.class,
                causeOf(call));
        assertEquals(400, http.status);
        assertTrue(http.getMessage().contains("Invalid request expiry"), http.getMessage());

        ExecutionException query = assertThrows(ExecutionException.class, () -> agent
                .queryRaw(CANISTER, CANISTER, "get", new byte[0], Optional.of(oneMinuteAgo)).get());
        assertTrue(causeOf(query).getMessage().contains("Invalid request expiry"), causeOf(query).getMessage());
    }

    @Test
    void aRequestExpiringTooFarInTheFutureIsRefused() throws Exception {
        Agent agent = agent(new AnonymousIdentity(), new CheckingTransport(replica.url()));
        long inAnHour = System.currentTimeMillis() * 1_000_000L + Duration.ofHours(1).toNanos();
        ExecutionException call = assertThrows(ExecutionException.class, () -> agent
                .updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.of(inAnHour)).get());
        assertTrue(causeOf(call).getMessage().contains("Invalid request expiry"), causeOf(call).getMessage());
    }

    @Test
    void theEffectiveCanisterIdMustBeTheCanisterCalled() throws Exception {
        Agent agent = agent(new AnonymousIdentity(), new CheckingTransport(replica.url()));
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> agent.queryRaw(CANISTER, UNKNOWN, "get", new byte[0], Optional.empty()).get());
        CheckingTransport.HttpStatusException http = assertInstanceOf(CheckingTransport.HttpStatusException.class,
                causeOf(thrown));
        assertEquals(400, http.status);
        assertTrue(http.getMessage().contains("does not match effective canister id"), http.getMessage());
    }

    @Test
    void aBodyThatIsNotCborIsA400() {
        CheckingTransport transport = new CheckingTransport(replica.url());
        CheckingTransport.Exchange exchange = transport.post("/api/v2/canister/" + CANISTER + "/query",
                "{\"not\": \"cbor\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, exchange.status());
        assertTrue(exchange.responseText().startsWith("Could not parse the body as a CBOR request"),
                exchange.responseText());
    }

    @Test
    void unknownPathsAre404() {
        CheckingTransport.Exchange exchange = new CheckingTransport(replica.url()).post("/api/v2/nothing", new byte[0]);
        assertEquals(404, exchange.status());
    }
}

package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tealama.ichost.LocalCanister;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.ic4j.agent.Agent;
import org.ic4j.agent.AgentBuilder;
import org.ic4j.agent.NonceFactory;
import org.ic4j.agent.ReplicaTransport;
import org.ic4j.agent.RequestStatusResponse;
import org.ic4j.agent.http.ReplicaApacheHttpTransport;
import org.ic4j.agent.identity.BasicIdentity;
import org.ic4j.agent.identity.Identity;
import org.ic4j.agent.requestid.RequestId;
import org.ic4j.types.Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A replica with the test canister ({@link TestCanister}) at {@code rrkah-fqaaa-aaaaa-aaaaq-cai}, controlled by the
 * {@link #CONTROLLER} identity, and ic4j agents talking to it with certificate verification on.
 */
abstract class ReplicaTestBase {

    static final BasicIdentity CONTROLLER = PemIdentities.ed25519("controller");
    static final dev.tealama.ichost.Principal CANISTER_ID = dev.tealama.ichost.Principal.canisterId(1);
    static final Principal CANISTER = Principal.from(CANISTER_ID.toBytes());

    static LocalReplica replica;
    static LocalCanister canister;

    @BeforeAll
    static void startReplica() {
        canister = TestCanister.installed(CANISTER_ID, Set.of(hostPrincipal(CONTROLLER.sender())));
        replica = LocalReplica.builder().canister(canister).start();
    }

    @AfterAll
    static void stopReplica() {
        replica.close();
    }

    static dev.tealama.ichost.Principal hostPrincipal(Principal principal) {
        return dev.tealama.ichost.Principal.of(principal.getValue());
    }

    /** ic4j's Apache transport to the replica. */
    static ReplicaTransport apacheTransport() {
        try {
            return ReplicaApacheHttpTransport.create(replica.url());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An agent with this identity and transport, a nonce per call, and the replica's root key fetched. */
    static Agent agent(Identity identity, ReplicaTransport transport) {
        Agent agent = new AgentBuilder().transport(transport).identity(identity).nonceFactory(new NonceFactory())
                .build();
        agent.fetchRootKey();
        return agent;
    }

    static Agent agent(Identity identity) {
        return agent(identity, apacheTransport());
    }

    /** A query through the agent; the reply bytes. */
    static byte[] query(Agent agent, String method, byte[] arg) throws Exception {
        return agent.queryRaw(CANISTER, CANISTER, method, arg, Optional.empty()).get();
    }

    /** An update call and polling of its status (a short backoff, not ic4j's one-second Waiter) until it is done. */
    static RequestStatusResponse update(Agent agent, String method, byte[] arg) throws Exception {
        RequestId id = agent.updateRaw(CANISTER, CANISTER, method, arg, Optional.empty()).get();
        return awaitDone(agent, id);
    }

    static RequestStatusResponse awaitDone(Agent agent, RequestId id) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long sleepMillis = 2;
        while (true) {
            RequestStatusResponse status = agent.requestStatusRaw(id, CANISTER).get();
            switch (status.status) {
                case REPLIED_STATUS:
                case REJECTED_STATUS:
                case DONE_STATUS:
                    return status;
                default:
                    break;
            }
            if (System.nanoTime() > deadline) {
                fail("The call " + id.toHexString() + " is still " + status.status + " after a minute");
            }
            Thread.sleep(sleepMillis);
            sleepMillis = Math.min(100, sleepMillis * 2);
        }
    }

    static byte[] replyOf(RequestStatusResponse status) {
        if (status.status != RequestStatusResponse.InnerStatus.REPLIED_STATUS) {
            fail("Expected a reply, got " + status.status + (status.rejected != null && status.rejected.isPresent()
                    ? ": " + status.rejected.get().rejectCode + " " + status.rejected.get().rejectMessage : ""));
        }
        return status.replied.get().arg;
    }

    static int le32(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** The cause of a failed future, unwrapped. */
    static Throwable causeOf(ExecutionException e) {
        Throwable cause = e.getCause();
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

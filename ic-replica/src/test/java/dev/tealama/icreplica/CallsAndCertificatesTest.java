package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.icreplica.certification.BlsKeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.ic4j.agent.Agent;
import org.ic4j.agent.AgentError;
import org.ic4j.agent.RequestStatusResponse;
import org.ic4j.agent.Status;
import org.ic4j.agent.identity.AnonymousIdentity;
import org.ic4j.agent.requestid.RequestId;
import org.junit.jupiter.api.Test;

/**
 * The real ic4j agent against the replica, certificate verification on: status and root key, a query, an update
 * polled to its reply, and a certificate refused when the agent trusts another key.
 */
class CallsAndCertificatesTest extends ReplicaTestBase {

    @Test
    void statusServesTheRootKeyAndFetchRootKeyTakesIt() throws Exception {
        Agent agent = agent(new AnonymousIdentity());
        Status status = agent.status().get();
        assertArrayEquals(replica.rootKeyDer(), status.rootKey.orElseThrow(), "root_key is the replica's DER key");
        assertEquals(Endpoints.IC_API_VERSION, status.icAPIVersion);
        assertEquals(133, replica.rootKeyDer().length, "37 bytes of DER prefix and a 96-byte G2 point");
    }

    @Test
    void queryRepliesWithTheCanistersBytes() throws Exception {
        Agent agent = agent(new AnonymousIdentity());
        byte[] argument = "DIDL\u0000\u0001q\u0005hello".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(argument, query(agent, "echo_query", argument));
    }

    @Test
    void updateIsPolledToItsCertifiedReplyAndChangesTheState() throws Exception {
        Agent agent = agent(new AnonymousIdentity());
        int before = le32(query(agent, "get", new byte[0]));
        RequestStatusResponse done = update(agent, "inc", new byte[0]);
        assertEquals(before + 1, le32(replyOf(done)), "inc replies with the new counter");
        assertEquals(before + 1, le32(query(agent, "get", new byte[0])), "and the change persists");
    }

    @Test
    void updateEchoesItsArgument() throws Exception {
        Agent agent = agent(PemIdentities.ed25519("echo"));
        byte[] argument = new byte[100_000];
        new java.util.Random(7).nextBytes(argument);
        assertArrayEquals(argument, replyOf(update(agent, "echo", argument)));
    }

    @Test
    void aCertificateSignedByAnotherKeyIsRefused() throws Exception {
        Agent trusting = agent(new AnonymousIdentity());
        RequestId id = trusting.updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.empty()).get();
        awaitDone(trusting, id);

        Agent suspicious = agent(new AnonymousIdentity());
        suspicious.setRootKey(BlsKeyPair.fromSeed(new byte[32]).publicKeyDer());
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> suspicious.requestStatusRaw(id, CANISTER).get());
        AgentError error = assertInstanceOf(AgentError.class, causeOf(thrown));
        assertEquals(AgentError.AgentErrorCode.CERTIFICATE_VERIFICATION_FAILED, error.getCode());
        assertTrue(replica.requestStatus(id.get()).orElseThrow().isTerminal(), "the call itself went through");
    }
}

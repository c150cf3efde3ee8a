package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.tealama.icreplica.cbor.CborReader;
import dev.tealama.icreplica.cbor.CborValue;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.ic4j.agent.Agent;
import org.ic4j.agent.RequestStatusResponse;
import org.ic4j.agent.UpdateBuilder;
import org.ic4j.agent.Waiter;
import org.ic4j.agent.certification.Certificate;
import org.ic4j.agent.certification.hashtree.Label;
import org.ic4j.agent.certification.hashtree.LookupResult;
import org.ic4j.agent.identity.AnonymousIdentity;
import org.ic4j.agent.identity.Identity;
import org.ic4j.agent.replicaapi.NodeSignature;
import org.ic4j.agent.replicaapi.QueryResponse;
import org.ic4j.agent.requestid.RequestId;
import org.ic4j.candid.parser.IDLArgs;
import org.ic4j.candid.parser.IDLValue;
import org.junit.jupiter.api.Test;

/**
 * The rest of what ic4j and the specification ask of the replica: the life of a call as polling sees it, replays,
 * the v3 call, canister metadata, query signatures, who may read a request's status, ic4j's own Waiter and Candid
 * path, and the test knobs.
 */
class ProtocolTest extends ReplicaTestBase {

    @Test
    void pollingSeesReceivedThenProcessingThenReplied() throws Exception {
        Agent agent = agent(new AnonymousIdentity());
        replica.holdUpdates();
        RequestId first;
        RequestId second;
        try {
            first = agent.updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.empty()).get();
            second = agent.updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.empty()).get();
            assertEquals(RequestStatusResponse.InnerStatus.PROCESSING_STATUS, awaitStatusNot(agent, first,
                    RequestStatusResponse.InnerStatus.RECEIVED_STATUS), "the first call is taken up");
            assertEquals(RequestStatusResponse.InnerStatus.RECEIVED_STATUS,
                    agent.requestStatusRaw(second, CANISTER).get().status, "the second waits behind it");
        } finally {
            replica.releaseUpdates();
        }
        int one = le32(replyOf(awaitDone(agent, first)));
        int two = le32(replyOf(awaitDone(agent, second)));
        assertEquals(one + 1, two, "they ran in the order they arrived");
    }

    private static RequestStatusResponse.InnerStatus awaitStatusNot(Agent agent, RequestId id,
            RequestStatusResponse.InnerStatus status) throws Exception {
        for (int i = 0; i < 6000; i++) {
            RequestStatusResponse.InnerStatus seen = agent.requestStatusRaw(id, CANISTER).get().status;
            if (seen != status) {
                return seen;
            }
            Thread.sleep(5);
        }
        return status;
    }

    @Test
    void aReplayedCallIsTheSameCallAndRunsOnce() throws Exception {
        CheckingTransport transport = new CheckingTransport(replica.url());
        Agent agent = agent(new AnonymousIdentity(), transport);
        RequestId id = agent.updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.empty()).get();
        int value = le32(replyOf(awaitDone(agent, id)));
        CheckingTransport.Exchange call = transport.last("/call");

        CheckingTransport.Exchange replay = transport.post(call.path(), call.requestBody());
        assertEquals(202, replay.status());
        assertEquals(value, le32(query(agent, "get", new byte[0])), "the replay did not run again");
        assertEquals(value, le32(replyOf(awaitDone(agent, id))), "and its status is the first run's");
    }

    @Test
    void theSynchronousCallAnswersWithACertificateIc4jVerifies() throws Exception {
        CheckingTransport transport = new CheckingTransport(replica.url()).synchronousCalls();
        Agent agent = agent(new AnonymousIdentity(), transport);
        byte[] argument = "sync".getBytes(StandardCharsets.UTF_8);
        RequestId id = agent.updateRaw(CANISTER, CANISTER, "echo", argument, Optional.empty()).get();
        CheckingTransport.Exchange call = transport.last("/call");
        assertEquals(200, call.status());
        assertTrue(call.path().startsWith("/api/v3/"));

        ObjectMapper cbor = new ObjectMapper(new CBORFactory()).registerModule(new Jdk8Module());
        Map<?, ?> body = cbor.readValue(call.responseBody(), Map.class);
        assertEquals("replied", body.get("status"));
        Certificate certificate = cbor.readValue((byte[]) body.get("certificate"), Certificate.class);
        agent.verify(certificate, CANISTER, false);
        LookupResult reply = certificate.tree.lookupPath(new java.util.ArrayList<>(List.of(
                new Label("request_status"), new Label(id.get()), new Label("reply"))));
        assertEquals(LookupResult.LookupResultStatus.FOUND, reply.status);
        assertArrayEquals(argument, reply.value);
    }

    @Test
    void metadataIsServedFromTheModulesCustomSections() throws Exception {
        assertEquals(TestCanister.CANDID_SERVICE, agent(new AnonymousIdentity()).getIDL(CANISTER));
        assertArrayEquals(TestCanister.SECRET.getBytes(StandardCharsets.UTF_8),
                agent(CONTROLLER).metadataRaw(CANISTER, CANISTER, "secret").get(), "controllers read private ones");
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> agent(new AnonymousIdentity(), new CheckingTransport(replica.url()))
                        .metadataRaw(CANISTER, CANISTER, "secret").get());
        assertEquals(403, assertInstanceOf(CheckingTransport.HttpStatusException.class, causeOf(thrown)).status);
    }

    @Test
    void queryResponsesCarryTheNodesSignatureOverTheSpecifiedHash() throws Exception {
        CheckingTransport transport = new CheckingTransport(replica.url());
        Agent agent = agent(PemIdentities.ed25519("signed queries"), transport);
        byte[] argument = {1, 2, 3};
        // With explicit verification ic4j reads /canister/<id>/controllers and /subnet/<subnet_id> first.
        assertArrayEquals(argument, agent.queryRaw(CANISTER, CANISTER, "echo_query", argument, Optional.empty(),
                true).get());
        assertTrue(transport.exchanges().stream().filter(e -> e.path().endsWith("/read_state")).count() >= 2,
                "ic4j read the canister's controllers and the subnet's node keys");
        CheckingTransport.Exchange exchange = transport.last("/query");
        QueryResponse response = new ObjectMapper(new CBORFactory()).registerModule(new Jdk8Module())
                .readValue(exchange.responseBody(), QueryResponse.class);
        assertEquals(1, response.signatures.size());
        NodeSignature signature = response.signatures.get(0);
        assertArrayEquals(replica.nodeId().toBytes(), signature.identity.getValue());

        CborValue.MapValue envelope = (CborValue.MapValue) CborReader.decode(exchange.requestBody()).untagged();
        RequestId requestId = RequestId.fromHex(RepresentationIndependentHash.of(envelope.get("content")));
        java.security.Signature verifier = java.security.Signature.getInstance("Ed25519");
        PublicKey nodeKey = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(replica.nodePublicKeyDer()));
        verifier.initVerify(nodeKey);
        verifier.update(response.signable(requestId, signature.timestamp));
        assertTrue(verifier.verify(signature.signature), "the node's Ed25519 signature of \\x0Bic-response . hash");
    }

    @Test
    void onlyTheSenderMayReadARequestsStatus() throws Exception {
        Agent alice = agent(PemIdentities.ed25519("alice"));
        RequestId id = alice.updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.empty()).get();
        awaitDone(alice, id);
        Agent bob = agent(PemIdentities.ed25519("bob"), new CheckingTransport(replica.url()));
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> bob.requestStatusRaw(id, CANISTER).get());
        CheckingTransport.HttpStatusException http = assertInstanceOf(CheckingTransport.HttpStatusException.class,
                causeOf(thrown));
        assertEquals(403, http.status);
        assertTrue(http.getMessage().contains("only its sender may read its status"), http.getMessage());
    }

    @Test
    void ic4jsUpdateBuilderAndWaiterWorkWithCandid() throws Exception {
        Agent agent = agent(PemIdentities.secp256k1("candid"));
        byte[] argument = IDLArgs.create(List.of(IDLValue.create("hello from ic4j"))).toBytes();
        byte[] reply = UpdateBuilder.create(agent, CANISTER, "echo").arg(argument).callAndWait(Waiter.create(30, 1))
                .get();
        assertEquals("hello from ic4j", IDLArgs.fromBytes(reply).getArgs().get(0).getValue());
    }

    @Test
    void injectedFailuresAreAnswered503UntilUsedUpAndCounted() throws Exception {
        Identity identity = new AnonymousIdentity();
        Agent agent = agent(identity, new CheckingTransport(replica.url()));
        replica.resetRequestCounts();
        replica.failNextRequests(2);
        int failures = 0;
        byte[] reply = null;
        for (int attempt = 0; attempt < 5 && reply == null; attempt++) {
            try {
                reply = query(agent, "echo_query", new byte[] {9});
            } catch (ExecutionException e) {
                assertEquals(503, assertInstanceOf(CheckingTransport.HttpStatusException.class, causeOf(e)).status);
                failures++;
            }
        }
        assertEquals(2, failures);
        assertArrayEquals(new byte[] {9}, reply);
        assertEquals(3, replica.requestCounts().query());
        assertEquals(3, replica.requestCounts().total());
    }

    @Test
    void latencyDelaysEveryRequest() throws Exception {
        Agent agent = agent(new AnonymousIdentity());
        replica.setLatency(java.time.Duration.ofMillis(300));
        try {
            long start = System.nanoTime();
            agent.status().get();
            assertTrue(System.nanoTime() - start >= 300_000_000L, "at least the injected latency");
        } finally {
            replica.setLatency(java.time.Duration.ZERO);
        }
    }
}

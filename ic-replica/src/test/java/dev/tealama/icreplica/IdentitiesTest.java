package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.ic4j.agent.Agent;
import org.ic4j.agent.AgentError;
import org.ic4j.agent.RequestStatusResponse;
import org.ic4j.agent.identity.AnonymousIdentity;
import org.ic4j.agent.identity.Identity;
import org.ic4j.agent.identity.Signature;
import org.ic4j.types.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Senders: the canister sees each identity as the principal ic4j derives for it (the self-authenticating id of its
 * DER key, or the anonymous principal), controllers are told apart, and a bad signature never reaches the canister.
 */
class IdentitiesTest extends ReplicaTestBase {

    static Stream<Arguments> identities() {
        return Stream.of(
                Arguments.of("anonymous", new AnonymousIdentity()),
                Arguments.of("Ed25519 PEM", PemIdentities.ed25519("alice")),
                Arguments.of("secp256k1 PEM (dfx identity export)", PemIdentities.secp256k1("bob")),
                Arguments.of("P-256, SHA-256 and r.s as the specification says", new P256Identity("carol")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identities")
    void theCanisterSeesTheSenderThatIc4jDerives(String kind, Identity identity) throws Exception {
        Agent agent = agent(identity);
        byte[] expected = identity.sender().getValue();
        assertArrayEquals(expected, query(agent, "whoami", new byte[0]), kind + ": caller of a query");
        assertArrayEquals(expected, replyOf(update(agent, "whoami_update", new byte[0])),
                kind + ": caller of an update");
    }

    @Test
    void theAnonymousPrincipalIsTheOneByte04() throws Exception {
        assertArrayEquals(new byte[] {4}, query(agent(new AnonymousIdentity()), "whoami", new byte[0]));
    }

    /**
     * ic4j 0.7.2's {@code Prime256v1Identity} signs with SHA-512 and a DER-encoded signature; the specification
     * asks for SHA-256 and the 64 bytes {@code r . s}, so the replica (like the IC) refuses it.
     */
    @Test
    void ic4jsOwnP256IdentityIsRefusedForItsSignatureFormat() throws Exception {
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> query(agent(PemIdentities.p256("dave")), "whoami", new byte[0]));
        assertTrue(causeOf(thrown).getMessage().contains("Invalid signature: the ECDSA P-256 signature"),
                causeOf(thrown).getMessage());
    }

    @Test
    void onlyControllersPassIsController() throws Exception {
        assertEquals("ok", new String(replyOf(update(agent(CONTROLLER), "controller_only", new byte[0])),
                StandardCharsets.UTF_8));
        RequestStatusResponse refused = update(agent(PemIdentities.secp256k1("mallory")), "controller_only",
                new byte[0]);
        assertEquals(RequestStatusResponse.InnerStatus.REJECTED_STATUS, refused.status);
        assertEquals(4, refused.rejected.get().rejectCode, "CANISTER_REJECT: an explicit reject by the canister");
        assertEquals("only a controller may call this", refused.rejected.get().rejectMessage);
    }

    @Test
    void aBadSignatureIsRefusedBeforeTheCanisterRuns() throws Exception {
        Identity forger = new TamperingIdentity(PemIdentities.ed25519("forger"));
        int messagesBefore = canister.messageLog().size();

        ExecutionException query = assertThrows(ExecutionException.class,
                () -> query(agent(forger), "whoami", new byte[0]));
        AgentError error = assertInstanceOf(AgentError.class, causeOf(query));
        assertTrue(error.getMessage().contains("Invalid signature"), "ic4j shows the replica's text: " + error);

        CheckingTransport transport = new CheckingTransport(replica.url());
        ExecutionException call = assertThrows(ExecutionException.class, () -> agent(forger, transport)
                .updateRaw(CANISTER, CANISTER, "inc", new byte[0], Optional.empty()).get());
        CheckingTransport.HttpStatusException http = assertInstanceOf(CheckingTransport.HttpStatusException.class,
                causeOf(call));
        assertEquals(400, http.status);
        assertTrue(http.getMessage().contains("Invalid signature: the Ed25519 signature"), http.getMessage());
        assertEquals(messagesBefore, canister.messageLog().size(), "the canister never saw either message");
    }

    @Test
    void aSignatureByAnotherKeyThanTheSendersIsRefused() throws Exception {
        Identity impostor = new ImpostorIdentity(PemIdentities.ed25519("real"), PemIdentities.ed25519("other"));
        CheckingTransport transport = new CheckingTransport(replica.url());
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> query(agent(impostor, transport), "whoami", new byte[0]));
        CheckingTransport.HttpStatusException http = assertInstanceOf(CheckingTransport.HttpStatusException.class,
                causeOf(thrown));
        assertEquals(400, http.status);
        assertTrue(http.getMessage().contains("is not the principal of sender_pubkey"), http.getMessage());
    }

    /** A P-256 key that signs as the specification says: ECDSA with SHA-256, the signature as r . s. */
    static final class P256Identity extends Identity {
        static {
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }

        private final java.security.KeyPair keyPair;

        P256Identity(String name) {
            java.io.StringReader pem = new java.io.StringReader(PemIdentities.sec1Pem(
                    org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1, name));
            try (org.bouncycastle.openssl.PEMParser parser = new org.bouncycastle.openssl.PEMParser(pem)) {
                keyPair = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().setProvider("BC")
                        .getKeyPair((org.bouncycastle.openssl.PEMKeyPair) parser.readObject());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public Principal sender() {
            return Principal.selfAuthenticating(getPublicKey());
        }

        @Override
        public Signature sign(byte[] content) {
            try {
                java.security.Signature signer = java.security.Signature.getInstance("SHA256withPLAIN-ECDSA", "BC");
                signer.initSign(keyPair.getPrivate());
                signer.update(content);
                return new Signature(getPublicKey(), signer.sign(), null);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] getPublicKey() {
            return keyPair.getPublic().getEncoded();
        }
    }

    /** Signs correctly, then flips a bit of the signature. */
    static final class TamperingIdentity extends Identity {
        private final Identity inner;

        TamperingIdentity(Identity inner) {
            this.inner = inner;
        }

        @Override
        public Principal sender() {
            return inner.sender();
        }

        @Override
        public Signature sign(byte[] content) {
            Signature signature = inner.sign(content);
            byte[] bytes = signature.signature.get().clone();
            bytes[5] ^= 0x01;
            return new Signature(signature.publicKey.get(), bytes, null);
        }

        @Override
        public byte[] getPublicKey() {
            return inner.getPublicKey();
        }
    }

    /** Claims to be one principal and signs (validly) with another principal's key. */
    static final class ImpostorIdentity extends Identity {
        private final Identity claimed;
        private final Identity signer;

        ImpostorIdentity(Identity claimed, Identity signer) {
            this.claimed = claimed;
            this.signer = signer;
        }

        @Override
        public Principal sender() {
            return claimed.sender();
        }

        @Override
        public Signature sign(byte[] content) {
            return signer.sign(content);
        }

        @Override
        public byte[] getPublicKey() {
            return signer.getPublicKey();
        }
    }
}

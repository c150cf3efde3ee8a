package dev.tealama.icreplica;

import dev.tealama.ichost.Principal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

/**
 * The Ed25519 key of this replica's one node: it signs query responses ({@code "\x0Bic-response" .
 * hash_of_map(response)}). Its public key is in the state tree at {@code /subnet/<subnet_id>/node/<node_id>/public_key}
 * and the node id is the key's self-authenticating principal.
 */
final class NodeKey {

    /** The domain separator of a query response signature: one length byte, then {@code ic-response}. */
    static final byte[] RESPONSE_DOMAIN = "\u000Bic-response".getBytes(StandardCharsets.US_ASCII);

    private final KeyPair keyPair;
    private final byte[] publicKeyDer;
    private final Principal nodeId;

    private NodeKey(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.publicKeyDer = keyPair.getPublic().getEncoded();
        this.nodeId = Principal.selfAuthenticating(publicKeyDer);
    }

    static NodeKey generate() {
        try {
            return new NodeKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no Ed25519", e);
        }
    }

    /** The RFC 8410 DER public key (44 bytes). */
    byte[] publicKeyDer() {
        return publicKeyDer.clone();
    }

    /** The node's principal. */
    Principal nodeId() {
        return nodeId;
    }

    /** The Ed25519 signature of {@code "\x0Bic-response" . responseHash}. */
    byte[] signResponse(byte[] responseHash) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keyPair.getPrivate());
            signer.update(RESPONSE_DOMAIN);
            signer.update(responseHash);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}

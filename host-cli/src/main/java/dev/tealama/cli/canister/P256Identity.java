package dev.tealama.cli.canister;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ic4j.agent.identity.Identity;
import org.ic4j.agent.identity.Signature;
import org.ic4j.types.Principal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;

/**
 * A P-256 (prime256v1) key that signs as the IC's interface specification says: ECDSA with SHA-256, the signature
 * as the 64 bytes {@code r . s}. (ic4j 0.7.2's {@code Prime256v1Identity} signs with SHA-512 and a DER signature,
 * which the IC refuses.)
 */
final class P256Identity extends Identity {
    private final KeyPair keyPair;
    private final byte[] derPublicKey;

    P256Identity(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.derPublicKey = keyPair.getPublic().getEncoded();
    }

    @Override
    public Principal sender() {
        return Principal.selfAuthenticating(derPublicKey);
    }

    @Override
    public Signature sign(byte[] content) {
        try {
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withPLAIN-ECDSA",
                    BouncyCastleProvider.PROVIDER_NAME);
            signer.initSign(keyPair.getPrivate());
            signer.update(content);
            return new Signature(derPublicKey, signer.sign(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the P-256 key", e);
        }
    }

    @Override
    public byte[] getPublicKey() {
        return derPublicKey.clone();
    }
}

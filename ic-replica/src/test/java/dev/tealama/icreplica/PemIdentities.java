package dev.tealama.icreplica;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.ic4j.agent.identity.BasicIdentity;
import org.ic4j.agent.identity.Prime256v1Identity;
import org.ic4j.agent.identity.Secp256k1Identity;

/**
 * PEM files as {@code dfx identity export} writes them, loaded by ic4j: secp256k1 (what {@code dfx identity new}
 * creates: a SEC1 {@code EC PRIVATE KEY} with the curve's OID and the public key, CRLF line endings), Ed25519 (a
 * PKCS#8 v2 {@code PRIVATE KEY} with the public key, as older dfx versions and {@code dfx identity import} keep them)
 * and, for completeness, P-256 in SEC1. The keys come from fixed seeds so that runs are reproducible.
 */
final class PemIdentities {

    private PemIdentities() {
    }

    /** An Ed25519 identity from a 32-byte seed derived from {@code name}. */
    static BasicIdentity ed25519(String name) {
        byte[] seed = sha256("ed25519 " + name);
        byte[] publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.101.112")),
                    new DEROctetString(seed), null, publicKey);
            String pem = pem("PRIVATE KEY", info.getEncoded(), "\n");
            return BasicIdentity.fromPEMFile(new StringReader(pem));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A secp256k1 identity whose secret is derived from {@code name}. */
    static Secp256k1Identity secp256k1(String name) {
        return Secp256k1Identity.fromPEMFile(new StringReader(sec1Pem(SECObjectIdentifiers.secp256k1, name)));
    }

    /** A P-256 identity whose secret is derived from {@code name}. */
    static Prime256v1Identity p256(String name) {
        return Prime256v1Identity.fromPEMFile(new StringReader(sec1Pem(SECObjectIdentifiers.secp256r1, name)));
    }

    /** The SEC1 PEM of a key on {@code curve}, as k256's {@code to_sec1_pem(LineEnding::CRLF)} writes it. */
    static String sec1Pem(ASN1ObjectIdentifier curve, String name) {
        X9ECParameters parameters = CustomNamedCurves.getByOID(curve);
        BigInteger d = new BigInteger(1, sha256(curve + " " + name)).mod(parameters.getN());
        byte[] point = parameters.getG().multiply(d).normalize().getEncoded(false);
        try {
            ECPrivateKey key = new ECPrivateKey(256, d, new DERBitString(point), curve);
            return pem("EC PRIVATE KEY", key.getEncoded(), "\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pem(String label, byte[] der, String newline) {
        String base64 = Base64.getEncoder().encodeToString(der);
        StringBuilder text = new StringBuilder("-----BEGIN " + label + "-----" + newline);
        for (int i = 0; i < base64.length(); i += 64) {
            text.append(base64, i, Math.min(base64.length(), i + 64)).append(newline);
        }
        return text.append("-----END ").append(label).append("-----").append(newline).toString();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

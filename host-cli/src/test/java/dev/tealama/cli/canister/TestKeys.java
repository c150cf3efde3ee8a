package dev.tealama.cli.canister;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * PEM files as dfx writes them, from keys derived from a name (reproducible): secp256k1 in SEC1 with CRLF line ends
 * (what {@code dfx identity export} prints for a key {@code dfx identity new} made), optionally after an
 * {@code EC PARAMETERS} block (older dfx versions); Ed25519 in PKCS#8 v1 (no public key) or v2 (with it); P-256.
 */
final class TestKeys {
    private TestKeys() {
    }

    static String secp256k1(String name, boolean ecParametersFirst) {
        String key = sec1(SECObjectIdentifiers.secp256k1, name);
        if (!ecParametersFirst) {
            return key;
        }
        try {
            return pem("EC PARAMETERS", SECObjectIdentifiers.secp256k1.getEncoded(), "\r\n") + key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String p256(String name) {
        return sec1(SECObjectIdentifiers.secp256r1, name);
    }

    /** Ed25519 in PKCS#8: v2 carries the public key, v1 does not. */
    static String ed25519(String name, boolean withPublicKey) {
        byte[] seed = sha256("ed25519 " + name);
        byte[] publicKey = withPublicKey ? new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded()
                : null;
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DEROctetString(seed), null, publicKey);
            return pem("PRIVATE KEY", info.getEncoded(), "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An Ed25519 PKCS#8 v2 whose public key belongs to another private key. */
    static String ed25519WithWrongPublicKey() {
        byte[] seed = sha256("ed25519 one");
        byte[] otherPublic = new Ed25519PrivateKeyParameters(sha256("ed25519 two"), 0).generatePublicKey().getEncoded();
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DEROctetString(seed), null, otherPublic);
            return pem("PRIVATE KEY", info.getEncoded(), "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sec1(ASN1ObjectIdentifier curve, String name) {
        X9ECParameters parameters = CustomNamedCurves.getByOID(curve);
        BigInteger d = new BigInteger(1, sha256(curve + " " + name)).mod(parameters.getN());
        byte[] point = parameters.getG().multiply(d).normalize().getEncoded(false);
        try {
            return pem("EC PRIVATE KEY", new ECPrivateKey(256, d, new DERBitString(point), curve).getEncoded(), "\r\n");
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

    /** Writes PEM text to a file in {@code dir}. */
    static Path write(Path dir, String fileName, String pem) {
        try {
            return Files.writeString(dir.resolve(fileName), pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

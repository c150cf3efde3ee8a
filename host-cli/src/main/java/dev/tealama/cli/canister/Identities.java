package dev.tealama.cli.canister;

import dev.tealama.TealamaException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.ic4j.agent.identity.BasicIdentity;
import org.ic4j.agent.identity.Identity;
import org.ic4j.agent.identity.Secp256k1Identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identities (the keys that sign calls) from PEM files as {@code dfx identity export NAME} writes them:
 * <ul>
 *   <li>secp256k1 (what {@code dfx identity new} creates): a SEC1 {@code EC PRIVATE KEY}; older dfx versions put an
 *       {@code EC PARAMETERS} block in front, which ic4j's own reader chokes on: it is skipped here;</li>
 *   <li>Ed25519 (older dfx, {@code dfx identity import}): a PKCS#8 {@code PRIVATE KEY}, with or without the public
 *       key (the public key is derived from the private one, and checked against the file's if present);</li>
 *   <li>P-256 (prime256v1) in SEC1 or PKCS#8, signed as the IC specifies ({@link P256Identity}: ic4j's
 *       {@code Prime256v1Identity} signs in a format the IC refuses).</li>
 * </ul>
 * Encrypted PEM files (dfx's password-protected identities) are refused with a message saying how to export one.
 */
public final class Identities {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    static {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    private Identities() {
    }

    /** The identity in a PEM file. */
    public static Identity fromPemFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new TealamaException("identity file " + file + " does not exist (export one with `dfx identity "
                    + "export NAME > " + file.getFileName() + "`)");
        } catch (IOException e) {
            throw new TealamaException("cannot read identity file " + file + ": " + e.getMessage(), e);
        }
        return fromPem(text, "identity file " + file);
    }

    /**
     * The identity in PEM text.
     *
     * @param source how messages name where the text came from ("identity file key.pem")
     */
    public static Identity fromPem(String text, String source) {
        List<String> labels = new ArrayList<>();
        byte[] ecParameters = null;
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            labels.add(label);
            if (m.group(2).contains("ENCRYPTED")) { // OpenSSL's "Proc-Type: 4,ENCRYPTED" header
                label = "ENCRYPTED PRIVATE KEY";
            }
            byte[] der = base64(m.group(2), source, label);
            switch (label) {
                case "EC PARAMETERS":
                    ecParameters = der; // older dfx: the curve, before the key
                    break;
                case "EC PRIVATE KEY":
                    return fromSec1(der, ecParameters, source);
                case "PRIVATE KEY":
                    return fromPkcs8(der, source);
                case "ENCRYPTED PRIVATE KEY":
                    throw new TealamaException(source + " holds an encrypted key; export it in plain text with `dfx "
                            + "identity export NAME > key.pem` (dfx asks for the password) and pass that file");
                default:
                    break;
            }
        }
        throw new TealamaException(source + " holds no private key" + (labels.isEmpty()
                ? " (no PEM block: expected -----BEGIN EC PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)"
                : " (found " + String.join(", ", labels) + "; expected EC PRIVATE KEY or PRIVATE KEY)"));
    }

    /** A new random Ed25519 key (for callers who need no particular principal). */
    public static Identity fresh() {
        try {
            return BasicIdentity.fromKeyPair(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate Ed25519 keys", e);
        }
    }

    private static byte[] base64(String body, String source, String label) {
        try {
            String base64 = body.replaceAll("(?m)^[A-Za-z-]+:.*$", "").replaceAll("\\s", "");
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new TealamaException(source + ": the " + label + " block is not valid base64 (" + e.getMessage()
                    + ")");
        }
    }

    /** A SEC1 {@code ECPrivateKey}; its curve from its own parameters or a preceding EC PARAMETERS block. */
    private static Identity fromSec1(byte[] der, byte[] ecParameters, String source) {
        ECPrivateKey key;
        try {
            key = ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
            if (key == null || key.getKey() == null) {
                throw new IllegalArgumentException("no key in it");
            }
        } catch (IOException | RuntimeException e) {
            throw new TealamaException(source + ": the EC PRIVATE KEY block is not a SEC1 EC private key ("
                    + e.getMessage() + ")");
        }
        ASN1Encodable parameters = key.getParametersObject();
        if (parameters == null && ecParameters != null) {
            try {
                parameters = ASN1Primitive.fromByteArray(ecParameters);
            } catch (IOException e) {
                throw new TealamaException(source + ": the EC PARAMETERS block is malformed (" + e.getMessage() + ")");
            }
        }
        if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
            throw new TealamaException(source + ": the EC key does not name its curve (expected secp256k1 or "
                    + "prime256v1)");
        }
        return ecIdentity(curve, key.getKey(), source);
    }

    /** A PKCS#8 {@code PrivateKeyInfo}: Ed25519 or an EC key. */
    private static Identity fromPkcs8(byte[] der, String source) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new TealamaException(source + ": the PRIVATE KEY block is not a PKCS#8 private key ("
                    + e.getMessage() + ")");
        }
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
                byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                byte[] stored = info.getPublicKeyData() == null ? null : info.getPublicKeyData().getOctets();
                return ed25519(seed, stored, source);
            }
            if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
                ECPrivateKey key = ECPrivateKey.getInstance(info.parsePrivateKey());
                if (!(curve instanceof ASN1ObjectIdentifier oid)) {
                    return fromSec1(key.getEncoded(), null, source);
                }
                return ecIdentity(oid, key.getKey(), source);
            }
        } catch (IOException | RuntimeException e) {
            throw new TealamaException(source + ": the private key is malformed (" + e.getMessage() + ")");
        }
        throw new TealamaException(source + " holds a key of type " + algorithm + "; the IC's identities are Ed25519, "
                + "secp256k1 or prime256v1 keys");
    }

    private static Identity ed25519(byte[] seed, byte[] storedPublicKey, String source) {
        if (seed.length != 32) {
            throw new TealamaException(source + ": an Ed25519 private key is 32 bytes, this one " + seed.length);
        }
        byte[] publicKey = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        if (storedPublicKey != null && !Arrays.equals(publicKey, storedPublicKey)) {
            throw new TealamaException(source + ": the public key in the file does not belong to its private key");
        }
        AlgorithmIdentifier ed25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            KeyPair pair = new KeyPair(
                    factory.generatePublic(new X509EncodedKeySpec(new SubjectPublicKeyInfo(ed25519, publicKey)
                            .getEncoded())),
                    factory.generatePrivate(new PKCS8EncodedKeySpec(new PrivateKeyInfo(ed25519,
                            new DEROctetString(seed)).getEncoded())));
            return BasicIdentity.fromKeyPair(pair);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an Ed25519 key pair", e);
        }
    }

    private static Identity ecIdentity(ASN1ObjectIdentifier curve, BigInteger secret, String source) {
        String name;
        if (curve.equals(SECObjectIdentifiers.secp256k1)) {
            name = "secp256k1";
        } else if (curve.equals(SECObjectIdentifiers.secp256r1)) {
            name = "prime256v1";
        } else {
            throw new TealamaException(source + " holds an EC key on curve " + curve + "; the IC's are secp256k1 and "
                    + "prime256v1 (P-256)");
        }
        ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec(name);
        if (secret.signum() <= 0 || secret.compareTo(spec.getN()) >= 0) {
            throw new TealamaException(source + ": the EC private key is out of range for " + name);
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("EC", BouncyCastleProvider.PROVIDER_NAME);
            KeyPair pair = new KeyPair(
                    factory.generatePublic(new ECPublicKeySpec(spec.getG().multiply(secret).normalize(), spec)),
                    factory.generatePrivate(new ECPrivateKeySpec(secret, spec)));
            return name.equals("secp256k1") ? Secp256k1Identity.fromKeyPair(pair) : new P256Identity(pair);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an EC key pair on " + name, e);
        }
    }
}

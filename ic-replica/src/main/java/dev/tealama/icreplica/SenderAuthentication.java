package dev.tealama.icreplica;

import dev.tealama.ichost.Principal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The interface specification's "Authentication": who sent a request, proven by its envelope.
 *
 * <ul>
 *   <li>An anonymous sender ({@code 2vxsx-fae}) sends no public key, signature or delegation.</li>
 *   <li>Anyone else sends a DER public key whose self-authenticating principal is the sender, and the signature of
 *       {@code "\x0Aic-request" . request_id} made with it: Ed25519 (RFC 8410 key), or ECDSA with SHA-256 on
 *       secp256k1 or P-256 (RFC 5480 key with a named curve and an uncompressed point; signature {@code r . s}, 32
 *       bytes each). High-s ECDSA signatures are accepted, as the specification does not forbid them.</li>
 * </ul>
 *
 * Failures are answered with HTTP 400 and a message that says what did not match.
 */
final class SenderAuthentication {

    /** The domain separator of a request signature: one length byte, then {@code ic-request}. */
    static final byte[] REQUEST_DOMAIN = "\nic-request".getBytes(StandardCharsets.US_ASCII);

    /** RFC 8410's id-Ed25519. */
    private static final ASN1ObjectIdentifier ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

    private SenderAuthentication() {
    }

    /** Checks the envelope's authentication of its sender; returns normally if it holds. */
    static void authenticate(Envelope envelope) {
        Principal sender = envelope.request().header().sender();
        byte[] pubkey = envelope.senderPubkey();
        byte[] sig = envelope.senderSig();
        if (sender.isAnonymous()) {
            if (pubkey != null || sig != null) {
                throw HttpError.badRequest("The sender is anonymous, so the request must not carry sender_pubkey or"
                        + " sender_sig");
            }
            return;
        }
        if (pubkey == null || sig == null) {
            throw HttpError.badRequest("The sender " + sender + " is not anonymous, so the request must carry"
                    + " sender_pubkey and sender_sig");
        }
        Principal keyOwner = Principal.selfAuthenticating(pubkey);
        if (!keyOwner.equals(sender)) {
            throw HttpError.badRequest("The sender " + sender + " is not the principal of sender_pubkey (that key"
                    + " authenticates " + keyOwner + ")");
        }
        byte[] message = concat(REQUEST_DOMAIN, envelope.request().header().requestId());
        verify(pubkey, sig, message);
    }

    /** Verifies a signature by a DER-encoded public key; throws a 400 {@link HttpError} if it does not hold. */
    static void verify(byte[] derPublicKey, byte[] signature, byte[] message) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(derPublicKey);
            if (!Arrays.equals(info.getEncoded(ASN1Encoding.DER), derPublicKey)) {
                throw new IllegalArgumentException("not in canonical DER");
            }
        } catch (Exception e) {
            throw HttpError.badRequest("sender_pubkey is not a DER-encoded public key ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        byte[] key = info.getPublicKeyData().getOctets();
        boolean valid;
        String scheme;
        if (algorithm.equals(ED25519)) {
            scheme = "Ed25519";
            valid = verifyEd25519(key, signature, message);
        } else if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ASN1ObjectIdentifier curve = curveOf(info);
            scheme = curve.equals(SECObjectIdentifiers.secp256k1) ? "ECDSA secp256k1" : "ECDSA P-256";
            valid = verifyEcdsa(curve, key, signature, message);
        } else {
            throw HttpError.badRequest("sender_pubkey uses the algorithm " + algorithm + "; this replica verifies"
                    + " Ed25519 (1.3.101.112) and ECDSA (1.2.840.10045.2.1) keys");
        }
        if (!valid) {
            throw HttpError.badRequest("Invalid signature: the " + scheme + " signature "
                    + HexFormat.of().formatHex(signature) + " does not verify with sender_pubkey "
                    + HexFormat.of().formatHex(derPublicKey) + " over the request id");
        }
    }

    private static ASN1ObjectIdentifier curveOf(SubjectPublicKeyInfo info) {
        if (info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier) {
            ASN1ObjectIdentifier curve = (ASN1ObjectIdentifier) info.getAlgorithm().getParameters();
            if (curve.equals(SECObjectIdentifiers.secp256k1) || curve.equals(SECObjectIdentifiers.secp256r1)) {
                return curve;
            }
            throw HttpError.badRequest("sender_pubkey is an ECDSA key on the curve " + curve
                    + "; the IC accepts secp256k1 (1.3.132.0.10) and P-256 (1.2.840.10045.3.1.7)");
        }
        throw HttpError.badRequest("sender_pubkey is an ECDSA key without a named curve; the IC needs the OID of"
                + " secp256k1 or P-256");
    }

    private static boolean verifyEd25519(byte[] key, byte[] signature, byte[] message) {
        if (key.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw HttpError.badRequest("An Ed25519 public key has 32 bytes, not " + key.length);
        }
        if (signature.length != 64) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(key, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    private static boolean verifyEcdsa(ASN1ObjectIdentifier curve, byte[] point, byte[] signature, byte[] message) {
        if (point.length != 65 || point[0] != 0x04) {
            throw HttpError.badRequest("An ECDSA sender_pubkey must hold an uncompressed point (0x04, x, y: 65"
                    + " bytes), not " + point.length + " bytes starting with 0x"
                    + (point.length == 0 ? "" : HexFormat.of().toHexDigits(point[0])));
        }
        if (signature.length != 64) {
            return false;
        }
        X9ECParameters parameters = CustomNamedCurves.getByOID(curve);
        ECDomainParameters domain = new ECDomainParameters(parameters.getCurve(), parameters.getG(),
                parameters.getN(), parameters.getH());
        ECPublicKeyParameters publicKey;
        try {
            publicKey = new ECPublicKeyParameters(parameters.getCurve().decodePoint(point), domain);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("sender_pubkey is not a point on its curve: " + e.getMessage());
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, publicKey);
        return verifier.verifySignature(sha256(message), r, s);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}

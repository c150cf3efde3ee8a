package dev.tealama.icreplica.certification;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.miracl.core.BLS12381.BLS;

/**
 * A BLS12-381 key pair in the IC's scheme: signatures in G1 (48 bytes, compressed), public keys in G2 (96 bytes,
 * compressed), ciphersuite {@code BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_}. The arithmetic is MIRACL Core's
 * (bundled in ic4j-agent, where it verifies certificates): {@code KeyPairGenerate} derives the secret key from input
 * key material with HKDF as in the IETF BLS signature draft, {@code core_sign} hashes to G1 and multiplies.
 */
public final class BlsKeyPair {

    /** DER prefix of a BLS12-381 G2 public key (OIDs 1.3.6.1.4.1.44668.5.3.1.2.1 and 1.3.6.1.4.1.44668.5.3.2.1). */
    private static final byte[] DER_PREFIX = HexFormat.of().parseHex(
            "308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100");
    /** The length of a compressed G2 public key. */
    public static final int PUBLIC_KEY_LENGTH = 96;
    /** The length of a compressed G1 signature. */
    public static final int SIGNATURE_LENGTH = 48;

    static {
        if (BLS.init() != BLS.BLS_OK) {
            throw new IllegalStateException("MIRACL BLS12-381 failed to initialize");
        }
    }

    private final byte[] secretKey;
    private final byte[] publicKey;

    private BlsKeyPair(byte[] secretKey, byte[] publicKey) {
        this.secretKey = secretKey;
        this.publicKey = publicKey;
    }

    /** A fresh key pair from 32 random bytes. */
    public static BlsKeyPair generate() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return fromSeed(seed);
    }

    /**
     * The key pair derived from input key material (at least 32 bytes): the same seed always gives the same keys,
     * so a test can pin a root key.
     */
    public static BlsKeyPair fromSeed(byte[] seed) {
        if (seed.length < 32) {
            throw new IllegalArgumentException("A BLS key needs at least 32 bytes of seed, not " + seed.length);
        }
        byte[] secret = new byte[BLS.BGS];
        byte[] publicKey = new byte[PUBLIC_KEY_LENGTH];
        if (BLS.KeyPairGenerate(seed.clone(), secret, publicKey) != BLS.BLS_OK) {
            throw new IllegalStateException("BLS key generation failed");
        }
        return new BlsKeyPair(secret, publicKey);
    }

    /** The public key, 96 bytes (a compressed G2 point). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key DER-encoded, as the IC serves its root key and subnet keys. */
    public byte[] publicKeyDer() {
        return derEncode(publicKey);
    }

    /** The DER form of a 96-byte BLS public key. */
    public static byte[] derEncode(byte[] publicKey) {
        if (publicKey.length != PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("A BLS12-381 public key has 96 bytes, not " + publicKey.length);
        }
        byte[] der = new byte[DER_PREFIX.length + PUBLIC_KEY_LENGTH];
        System.arraycopy(DER_PREFIX, 0, der, 0, DER_PREFIX.length);
        System.arraycopy(publicKey, 0, der, DER_PREFIX.length, PUBLIC_KEY_LENGTH);
        return der;
    }

    /** The 96-byte key inside a DER-encoded BLS public key. */
    public static byte[] derDecode(byte[] der) {
        if (der.length != DER_PREFIX.length + PUBLIC_KEY_LENGTH
                || !java.util.Arrays.equals(der, 0, DER_PREFIX.length, DER_PREFIX, 0, DER_PREFIX.length)) {
            throw new IllegalArgumentException("Not a DER-encoded BLS12-381 public key (" + der.length + " bytes)");
        }
        return java.util.Arrays.copyOfRange(der, DER_PREFIX.length, der.length);
    }

    /** The signature of {@code message} (domain separator included by the caller), 48 bytes. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[SIGNATURE_LENGTH];
        if (BLS.core_sign(signature, message.clone(), secretKey) != BLS.BLS_OK) {
            throw new IllegalStateException("BLS signing failed");
        }
        return signature;
    }

    /** Whether {@code signature} is this scheme's signature of {@code message} under the 96-byte {@code publicKey}. */
    public static boolean verify(byte[] signature, byte[] message, byte[] publicKey) {
        try {
            return BLS.core_verify(signature.clone(), message.clone(), publicKey.clone()) == BLS.BLS_OK;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "BlsKeyPair[public " + HexFormat.of().formatHex(publicKey) + "]";
    }
}

package dev.tealama.icreplica.certification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import supranational.blst.BLST_ERROR;
import supranational.blst.P1_Affine;
import supranational.blst.P2_Affine;

/**
 * The replica's BLS signatures checked with blst (supranational's implementation, independent of the MIRACL code
 * that signs) in the ciphersuite the interface specification names, and with ic4j's verifier.
 */
class BlsKeyPairTest {

    /** The interface specification's ciphersuite ("Certificate"). */
    static final String CIPHERSUITE = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

    @BeforeAll
    static void loadBlst() {
        // blst-java loads its native library for linux-amd64/aarch64 and macOS when first used.
        new P1_Affine();
    }

    @Test
    void blstVerifiesTheSignatureOfAStateRoot() {
        BlsKeyPair key = BlsKeyPair.fromSeed("a seed of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8));
        byte[] message = Certificate.signedMessage(new byte[32]);
        byte[] signature = key.sign(message);
        assertEquals(48, signature.length);
        P1_Affine point = new P1_Affine(signature);
        P2_Affine publicKey = new P2_Affine(key.publicKey());
        assertTrue(publicKey.in_group(), "the public key is a point of G2");
        assertEquals(BLST_ERROR.BLST_SUCCESS, point.core_verify(publicKey, true, message, CIPHERSUITE));
        assertEquals(BLST_ERROR.BLST_VERIFY_FAIL, point.core_verify(publicKey, true,
                Certificate.signedMessage(new byte[] {1, 2, 3}), CIPHERSUITE), "another message");
        assertEquals(BLST_ERROR.BLST_VERIFY_FAIL, point.core_verify(publicKey, true, message,
                "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_"), "another ciphersuite");
    }

    @Test
    void theStateRootDomainSeparatorIsTheSpecifications() {
        assertEquals("0d69632d73746174652d726f6f74", HexFormat.of().formatHex(Certificate.STATE_ROOT_DOMAIN));
    }

    @Test
    void aSeedAlwaysGivesTheSameKey() {
        byte[] seed = new byte[32];
        assertArrayEquals(BlsKeyPair.fromSeed(seed).publicKey(), BlsKeyPair.fromSeed(seed).publicKey());
        assertFalse(java.util.Arrays.equals(BlsKeyPair.fromSeed(seed).publicKey(),
                BlsKeyPair.fromSeed(new byte[33]).publicKey()));
        assertThrows(IllegalArgumentException.class, () -> BlsKeyPair.fromSeed(new byte[31]));
    }

    @Test
    void theDerFormIsTheOneIc4jExpects() {
        byte[] der = BlsKeyPair.generate().publicKeyDer();
        assertEquals(133, der.length);
        assertEquals("308182301d060d2b0601040182dc7c0503010201060c2b0601040182dc7c05030201036100",
                HexFormat.of().formatHex(der, 0, 37), "OIDs 1.3.6.1.4.1.44668.5.3.1.2.1 and ...5.3.2.1");
        assertArrayEquals(java.util.Arrays.copyOfRange(der, 37, 133), BlsKeyPair.derDecode(der));
    }

    @Test
    void aCertificateVerifiesOnlyUnderItsKey() {
        BlsKeyPair key = BlsKeyPair.generate();
        HashTree tree = new HashTree.Labeled(Label.of("time"), new HashTree.Leaf(new byte[] {1}));
        Certificate certificate = Certificate.sign(tree, key);
        assertTrue(certificate.verify(key.publicKey()));
        assertFalse(certificate.verify(BlsKeyPair.generate().publicKey()));
        Certificate decoded = Certificate.decode(certificate.encode());
        assertArrayEquals(certificate.signature(), decoded.signature());
        assertArrayEquals(tree.digest(), decoded.tree().digest());
    }
}

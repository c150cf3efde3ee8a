package dev.tealama.cli.canister;

import dev.tealama.TealamaException;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.ic4j.agent.identity.BasicIdentity;
import org.ic4j.agent.identity.Identity;
import org.ic4j.agent.identity.Secp256k1Identity;
import org.ic4j.agent.identity.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Identities from PEM files: principals against independent references (agent-js's published test vector, ic4j's
 * own PEM readers where they work), signatures checked with the JDK's own verifiers in the IC's formats, and every
 * bad file refused with a message that names it.
 */
class IdentitiesTest {

    /** agent-js's test vector (packages/identity-secp256k1, pem.test.ts): this key is this principal. */
    private static final String AGENT_JS_PEM = "-----BEGIN EC PRIVATE KEY-----\n"
            + "MHQCAQEEIGfKHuyoCCCbEXb0789MIdWiCIpZo1LaKApv95SSIaWPoAcGBSuBBAAK\n"
            + "oUQDQgAEahC99Avid7r8D6kIeLjjxJ8kwdJRy5nPrN9o18P7xHT95i0JPr5ivc9v\n"
            + "CB8vG2s97NB0re2MhqvdWgradJZ8Ow==\n"
            + "-----END EC PRIVATE KEY-----\n";
    private static final String AGENT_JS_PRINCIPAL = "42gbo-uiwfn-oq452-ql6yp-4jsqn-a6bxk-n7l4z-ni7os-yptq6-3htob-vqe";
    private static final byte[] MESSAGE = "\nic-request some request id".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void secp256k1AsAgentJsDerivesIt() {
        assertEquals(AGENT_JS_PRINCIPAL, Identities.fromPem(AGENT_JS_PEM, "test").sender().toString());
    }

    @Test
    void anEcParametersBlockInFrontAndCrlfLineEnds() {
        String older = "-----BEGIN EC PARAMETERS-----\r\nBgUrgQQACg==\r\n-----END EC PARAMETERS-----\r\n"
                + AGENT_JS_PEM.replace("\n", "\r\n");
        assertEquals(AGENT_JS_PRINCIPAL, Identities.fromPem(older, "test").sender().toString());
        // ic4j's own reader stops at the first block
        assertThrows(Throwable.class, () -> Secp256k1Identity.fromPEMFile(new StringReader(older)));
    }

    @Test
    void secp256k1AsIc4jReadsIt() {
        String pem = TestKeys.secp256k1("frank", false);
        Identity ours = Identities.fromPem(pem, "test");
        assertEquals(Secp256k1Identity.fromPEMFile(new StringReader(pem)).sender(), ours.sender());
        assertArrayEquals(Secp256k1Identity.fromPEMFile(new StringReader(pem)).getPublicKey(), ours.getPublicKey());
    }

    @Test
    void ed25519WithOrWithoutThePublicKeyAsIc4jReadsIt() {
        Identity v2 = Identities.fromPem(TestKeys.ed25519("grace", true), "test");
        Identity v1 = Identities.fromPem(TestKeys.ed25519("grace", false), "test");
        BasicIdentity ic4j = BasicIdentity.fromPEMFile(new StringReader(TestKeys.ed25519("grace", true)));
        assertEquals(ic4j.sender(), v2.sender());
        assertEquals(ic4j.sender(), v1.sender());
        assertEquals("302a300506032b6570032100", HexFormat.of().formatHex(v1.getPublicKey(), 0, 12),
                "the DER prefix of an Ed25519 key");
        assertTrue(verifies("Ed25519", "Ed25519", v1));
    }

    @Test
    void p256SignsAsTheSpecificationSays() {
        Identity p256 = Identities.fromPem(TestKeys.p256("heidi"), "test");
        Signature signature = p256.sign(MESSAGE);
        assertEquals(64, signature.signature.get().length, "r . s, 32 bytes each");
        assertTrue(verifies("SHA256withECDSAinP1363Format", "EC", p256), "r . s over SHA-256, as the JDK reads it");
        Identity pkcs8 = Identities.fromPem(TestKeys.pem("PRIVATE KEY", pkcs8(TestKeys.p256("heidi")), "\n"), "test");
        assertEquals(p256.sender(), pkcs8.sender(), "the same key in PKCS#8");
    }

    @Test
    void freshKeysAreNewEachTime() {
        assertTrue(!Identities.fresh().sender().equals(Identities.fresh().sender()));
    }

    @Test
    void badFilesAreRefusedWithTheirName() {
        assertRefused(TestKeys.ed25519WithWrongPublicKey(), "does not belong to its private key");
        assertRefused("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n",
                "encrypted", "dfx identity export");
        assertRefused("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nMIIB\n"
                + "-----END EC PRIVATE KEY-----\n", "encrypted");
        assertRefused("hello", "holds no private key", "no PEM block");
        assertRefused("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "holds no private key",
                "found CERTIFICATE");
        assertRefused("-----BEGIN EC PRIVATE KEY-----\n!!!\n-----END EC PRIVATE KEY-----\n", "not valid base64");
        assertRefused("-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n", "not a SEC1");
        assertRefused(TestKeys.sec1(SECObjectIdentifiers.secp384r1, "ivan"), "curve 1.3.132.0.34");
        TealamaException missing = assertThrows(TealamaException.class,
                () -> Identities.fromPemFile(dir.resolve("nope.pem")));
        assertTrue(missing.getMessage().contains("nope.pem does not exist"), missing.getMessage());
    }

    private static void assertRefused(String pem, String... fragments) {
        TealamaException e = assertThrows(TealamaException.class, () -> Identities.fromPem(pem, "identity file x.pem"));
        assertTrue(e.getMessage().startsWith("identity file x.pem"), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
    }

    /** Whether the JDK's own provider verifies a signature of {@link #MESSAGE} by {@code identity}. */
    private static boolean verifies(String algorithm, String keyType, Identity identity) {
        try {
            PublicKey key = KeyFactory.getInstance(keyType, "SunEC")
                    .generatePublic(new X509EncodedKeySpec(identity.getPublicKey()));
            java.security.Signature verifier = java.security.Signature.getInstance(algorithm, "SunEC");
            verifier.initVerify(key);
            verifier.update(MESSAGE);
            return verifier.verify(identity.sign(MESSAGE).signature.get());
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] pkcs8(String sec1Pem) {
        try (org.bouncycastle.openssl.PEMParser parser = new org.bouncycastle.openssl.PEMParser(
                new StringReader(sec1Pem))) {
            org.bouncycastle.openssl.PEMKeyPair pair = (org.bouncycastle.openssl.PEMKeyPair) parser.readObject();
            return pair.getPrivateKeyInfo().getEncoded();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}

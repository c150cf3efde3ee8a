package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The textual encoding against the IC interface specification's examples and well-known ids. */
class PrincipalTest {

    @Test
    void specificationExamples() {
        assertEquals("2vxsx-fae", Principal.anonymous().toText());
        assertArrayEquals(new byte[] {0x04}, Principal.fromText("2vxsx-fae").toBytes());
        assertEquals("aaaaa-aa", Principal.managementCanister().toText());
        assertEquals(0, Principal.fromText("aaaaa-aa").length());
        assertEquals("em77e-bvlzu-aq", Principal.of(new byte[] {(byte) 0xAB, (byte) 0xCD, 0x01}).toText());
    }

    @Test
    void canisterIds() {
        byte[] ledger = {0, 0, 0, 0, 0, 0, 0, 2, 1, 1};
        assertArrayEquals(ledger, Principal.fromText("ryjl3-tyaaa-aaaaa-aaaba-cai").toBytes());
        assertEquals("ryjl3-tyaaa-aaaaa-aaaba-cai", Principal.of(ledger).toText());
        assertEquals(Principal.of(ledger), Principal.canisterId(2));
        assertEquals("rrkah-fqaaa-aaaaa-aaaaq-cai", Principal.canisterId(1).toText());
        assertEquals("rrkah-fqaaa-aaaaa-aaaaq-cai", LocalCanister.builder().build().canisterId().toText());
    }

    @Test
    void selfAuthenticatingIsSha224OfTheKeyThenTwo() throws Exception {
        byte[] key = "a DER-encoded public key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] id = Principal.selfAuthenticating(key).toBytes();
        assertEquals(29, id.length);
        assertEquals(0x02, id[28]);
        assertArrayEquals(MessageDigest.getInstance("SHA-224").digest(key), Arrays.copyOf(id, 28));
    }

    @Test
    void parsingIsStrict() {
        assertEquals(Principal.anonymous(), Principal.fromText("2VXSX-FAE"), "upper case is accepted");
        assertThrows(IllegalArgumentException.class, () -> Principal.fromText("2vxsx-fai"), "checksum");
        assertThrows(IllegalArgumentException.class, () -> Principal.fromText("2vxs-xfae"), "grouping");
        assertThrows(IllegalArgumentException.class, () -> Principal.fromText("2vxsxfae"), "no dashes");
        assertThrows(IllegalArgumentException.class, () -> Principal.fromText("2vxsx-fa1"), "not base32");
        assertThrows(IllegalArgumentException.class, () -> Principal.fromText(""), "empty");
        assertThrows(IllegalArgumentException.class, () -> Principal.of(new byte[30]), "too long");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Principal.fromText("ryjl3-tyaaa-aaaaa-aaaba-caj"));
        assertTrue(e.getMessage().contains("ryjl3-tyaaa-aaaaa-aaaba-caj"), e.getMessage());
    }

    @Property
    void textRoundTrips(@ForAll @Size(max = 29) byte[] bytes) {
        Principal principal = Principal.of(bytes);
        assertEquals(principal, Principal.fromText(principal.toText()));
        assertArrayEquals(bytes, Principal.fromText(principal.toText()).toBytes());
    }
}

package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tealama.icreplica.cbor.CborValue;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.ic4j.agent.replicaapi.CallRequestContent;
import org.ic4j.agent.requestid.RequestId;
import org.ic4j.types.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request ids against the interface specification's worked example and its LEB128 examples, and against ic4j's own
 * request id computation (an independent implementation) for random calls.
 */
class RepresentationIndependentHashTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The example of section "Request ids". */
    @Test
    void theSpecificationsRequestIdExample() {
        CborValue content = CborValue.MapValue.builder()
                .put("request_type", "call")
                .put("sender", new byte[] {4})
                .put("ingress_expiry", 1685570400000000000L)
                .put("canister_id", HEX.parseHex("00000000000004D2"))
                .put("method_name", "hello")
                .put("arg", "DIDL\u0000\u00FD*".getBytes(StandardCharsets.ISO_8859_1))
                .build();
        assertEquals("1d1091364d6bb8a6c16b203ee75467d59ead468f523eb058880ae8ec80e2b101",
                HEX.formatHex(RepresentationIndependentHash.of(content)));
    }

    /** The example of section "Representation-independent hashing": a nested map. */
    @Test
    void aNestedMapIsHashedRecursively() throws Exception {
        CborValue inner = CborValue.MapValue.builder().put("arg", "DIDL\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1))
                .build();
        CborValue outer = CborValue.MapValue.builder().put("reply", inner).build();
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        byte[] innerHash = sha.digest(concat(sha.digest("arg".getBytes(StandardCharsets.US_ASCII)),
                sha.digest("DIDL\u0000\u0000".getBytes(StandardCharsets.ISO_8859_1))));
        byte[] expected = sha.digest(concat(sha.digest("reply".getBytes(StandardCharsets.US_ASCII)), innerHash));
        assertArrayEquals(expected, RepresentationIndependentHash.of(outer));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 00", "624485, e58e26", "127, 7f", "128, 8001"})
    void unsignedLeb128(long value, String hex) {
        assertEquals(hex, HEX.formatHex(RepresentationIndependentHash.unsignedLeb128(value)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 00", "-123456, c0bb78", "63, 3f", "64, c000", "-64, 40", "-65, bf7f"})
    void signedLeb128(long value, String hex) {
        assertEquals(hex, HEX.formatHex(RepresentationIndependentHash.signedLeb128(BigInteger.valueOf(value))));
    }

    /**
     * ic4j computes request ids with its own serializer: both must agree on every call. (Except an ingress expiry of
     * 0, which ic4j 0.7.2 encodes as no LEB128 bytes at all where the specification says {@code 00}; no real
     * request expires at 1970.)
     */
    @Property(tries = 200)
    void agreesWithIc4jOnCalls(@ForAll @Size(max = 28) byte[] sender, @ForAll @Size(max = 28) byte[] canister,
            @ForAll @StringLength(max = 30) String method, @ForAll @Size(max = 300) byte[] arg,
            @ForAll @LongRange(min = 1) long expiry, @ForAll @Size(max = 32) byte[] nonce, @ForAll boolean withNonce) {
        Assume.that(ic4jAccepts(sender) && ic4jAccepts(canister));
        CallRequestContent ic4j = new CallRequestContent();
        ic4j.callRequest.sender = Principal.from(sender);
        ic4j.callRequest.canisterId = Principal.from(canister);
        ic4j.callRequest.methodName = method;
        ic4j.callRequest.arg = arg;
        ic4j.callRequest.ingressExpiry = expiry;
        ic4j.callRequest.nonce = withNonce ? Optional.of(nonce) : Optional.empty();

        CborValue.MapValue.Builder content = CborValue.MapValue.builder()
                .put("request_type", "call")
                .put("sender", sender)
                .put("canister_id", canister)
                .put("method_name", method)
                .put("arg", arg)
                .put("ingress_expiry", expiry);
        if (withNonce) {
            content.put("nonce", nonce);
        }
        assertArrayEquals(RequestId.toRequestId(ic4j).get(), RepresentationIndependentHash.of(content.build()));
    }

    /** ic4j refuses some blobs as principals (e.g. longer ones ending in the anonymous class byte 0x04);
     * its PrincipalError is a java.lang.Error. */
    private static boolean ic4jAccepts(byte[] principal) {
        try {
            Principal.from(principal);
            return true;
        } catch (org.ic4j.types.PrincipalError e) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.tealama.icreplica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.icreplica.cbor.CborValue;
import dev.tealama.icreplica.cbor.CborWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Request bodies that break the interface specification's rules on envelopes ("Authentication"), sent as raw HTTP:
 * each is answered 400 with a message that names the rule.
 */
class EnvelopeTest extends ReplicaTestBase {

    private static CborValue.MapValue.Builder content(String type, byte[] sender) {
        CborValue.MapValue.Builder content = CborValue.MapValue.builder()
                .put("request_type", type)
                .put("sender", sender)
                .put("ingress_expiry", System.currentTimeMillis() * 1_000_000L + 60_000_000_000L);
        if (!type.equals("read_state")) {
            content.put("canister_id", CANISTER_ID.toBytes()).put("method_name", "get").put("arg", new byte[0]);
        }
        return content;
    }

    private static String refusal(String endpoint, CborValue.MapValue envelope) {
        CheckingTransport.Exchange exchange = new CheckingTransport(replica.url())
                .post("/api/v2/canister/" + CANISTER + "/" + endpoint, CborWriter.encodeSelfDescribed(envelope));
        assertEquals(400, exchange.status(), exchange.responseText());
        return exchange.responseText();
    }

    @Test
    void anAnonymousQueryWithoutSignatureIsServed() {
        CheckingTransport.Exchange exchange = new CheckingTransport(replica.url()).post(
                "/api/v2/canister/" + CANISTER + "/query", CborWriter.encodeSelfDescribed(CborValue.MapValue.builder()
                        .put("content", content("query", new byte[] {4}).build()).build()));
        assertEquals(200, exchange.status(), exchange.responseText());
    }

    @Test
    void anAnonymousSenderMustNotSign() {
        String message = refusal("query", CborValue.MapValue.builder()
                .put("content", content("query", new byte[] {4}).build())
                .put("sender_pubkey", new byte[44])
                .put("sender_sig", new byte[64])
                .build());
        assertTrue(message.contains("must not carry sender_pubkey or sender_sig"), message);
    }

    @Test
    void anotherSenderMustSign() {
        String message = refusal("query", CborValue.MapValue.builder()
                .put("content", content("query", hostPrincipal(CONTROLLER.sender()).toBytes()).build())
                .build());
        assertTrue(message.contains("must carry sender_pubkey and sender_sig"), message);
    }

    @Test
    void delegationsAreRefusedByName() {
        String message = refusal("query", CborValue.MapValue.builder()
                .put("content", content("query", new byte[] {4}).build())
                .put("sender_delegation", CborValue.Array.of())
                .build());
        assertTrue(message.contains("sender_delegation is not supported"), message);
    }

    @Test
    void theRequestTypeMustMatchTheEndpoint() {
        String message = refusal("call", CborValue.MapValue.builder()
                .put("content", content("query", new byte[] {4}).build()).build());
        assertTrue(message.contains("takes requests of type 'call', not 'query'"), message);
    }

    @Test
    void fieldsHaveTheirTypes() {
        String message = refusal("query", CborValue.MapValue.builder()
                .put("content", content("query", new byte[] {4}).put("ingress_expiry", "tomorrow").build()).build());
        assertTrue(message.contains("'ingress_expiry' must be a natural number"), message);
        message = refusal("query", CborValue.MapValue.builder()
                .put("content", content("query", new byte[] {4}).put("nonce", new byte[33]).build()).build());
        assertTrue(message.contains("The nonce has 33 bytes; at most 32"), message);
        message = refusal("query", CborValue.MapValue.builder()
                .put("content", CborValue.MapValue.builder().put("request_type", "query").build()).build());
        assertTrue(message.contains("has no 'sender'"), message);
    }

    @Test
    void readStatePathsAreChecked() {
        CborValue paths = CborValue.Array.of(CborValue.Array.of(new CborValue.Bytes(
                "secrets".getBytes(StandardCharsets.UTF_8))));
        CheckingTransport.Exchange exchange = new CheckingTransport(replica.url()).post(
                "/api/v2/canister/" + CANISTER + "/read_state", CborWriter.encodeSelfDescribed(CborValue.MapValue
                        .builder().put("content", content("read_state", new byte[] {4}).put("paths", paths).build())
                        .build()));
        assertEquals(404, exchange.status());
        assertTrue(exchange.responseText().contains("Invalid path requested: /secrets"), exchange.responseText());
    }
}

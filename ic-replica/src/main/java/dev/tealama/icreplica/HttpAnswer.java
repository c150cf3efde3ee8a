package dev.tealama.icreplica;

import dev.tealama.icreplica.cbor.CborValue;
import dev.tealama.icreplica.cbor.CborWriter;
import java.nio.charset.StandardCharsets;

/**
 * What an endpoint answers: an HTTP status, a content type and a body (empty for 202).
 *
 * @param status      the HTTP status code
 * @param contentType {@code application/cbor} or {@code text/plain; charset=utf-8}, null without a body
 * @param body        the body bytes
 */
record HttpAnswer(int status, String contentType, byte[] body) {

    static final String CBOR = "application/cbor";
    static final String TEXT = "text/plain; charset=utf-8";

    /** 200 with a CBOR body behind the self-describing tag. */
    static HttpAnswer cbor(CborValue value) {
        return new HttpAnswer(200, CBOR, CborWriter.encodeSelfDescribed(value));
    }

    /** 202 Accepted, no body. */
    static HttpAnswer accepted() {
        return new HttpAnswer(202, null, new byte[0]);
    }

    /** An error status with a plain text message. */
    static HttpAnswer text(int status, String message) {
        return new HttpAnswer(status, TEXT, message.getBytes(StandardCharsets.UTF_8));
    }
}

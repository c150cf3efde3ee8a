package dev.tealama.icreplica;

import dev.tealama.ichost.Principal;
import dev.tealama.icreplica.cbor.CborException;
import dev.tealama.icreplica.cbor.CborReader;
import dev.tealama.icreplica.cbor.CborValue;
import dev.tealama.icreplica.certification.Label;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A request body as the interface specification defines it: a CBOR map with the {@code content} record and the
 * authentication fields {@code sender_pubkey}, {@code sender_sig} (and {@code sender_delegation}, which this replica
 * refuses: ic4j 0.7.2 never sends one). {@link #parse} checks the shape of every field and computes the request id;
 * {@link SenderAuthentication} checks the signature.
 *
 * @param content       the content map as sent
 * @param request       the content, read
 * @param senderPubkey  the DER public key, or null
 * @param senderSig     the signature, or null
 */
record Envelope(CborValue.MapValue content, Request request, byte[] senderPubkey, byte[] senderSig) {

    /** The most paths one read_state may ask for. */
    static final int MAX_PATHS = 1000;
    /** The most labels in one path. */
    static final int MAX_PATH_LENGTH = 127;
    /** The longest nonce. */
    static final int MAX_NONCE_BYTES = 32;

    /**
     * Reads a body sent to an endpoint that expects {@code requestType} ({@code call}, {@code query} or
     * {@code read_state}).
     *
     * @throws HttpError (400) naming what is wrong
     */
    static Envelope parse(byte[] body, String requestType) {
        CborValue decoded;
        try {
            decoded = CborReader.decode(body);
        } catch (CborException e) {
            throw HttpError.badRequest("Could not parse the body as a CBOR request: " + e.getMessage());
        }
        CborValue.MapValue envelope = map(decoded, "the request body");
        for (CborValue key : envelope.entries().keySet()) {
            if (!(key instanceof CborValue.Text)) {
                throw HttpError.badRequest("The request envelope has a key that is not text: " + key.describe());
            }
        }
        if (envelope.get("sender_delegation") != null) {
            throw HttpError.badRequest("sender_delegation is not supported by this stand-in replica (ic4j 0.7.2 does"
                    + " not send delegations); sign with the key of the sender itself");
        }
        CborValue contentValue = envelope.get("content");
        if (contentValue == null) {
            throw HttpError.badRequest("The request envelope has no 'content'");
        }
        CborValue.MapValue content = map(contentValue, "'content'");
        byte[] pubkey = optionalBlob(envelope, "sender_pubkey", "the envelope");
        byte[] sig = optionalBlob(envelope, "sender_sig", "the envelope");
        byte[] requestId;
        try {
            requestId = RepresentationIndependentHash.of(content);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("The request content cannot be hashed: " + e.getMessage());
        }
        String type = text(content, "request_type");
        if (!type.equals(requestType)) {
            throw HttpError.badRequest("This endpoint takes requests of type '" + requestType + "', not '" + type
                    + "'");
        }
        Principal sender = principal(content, "sender");
        BigInteger expiry = nat(content, "ingress_expiry");
        byte[] nonce = optionalBlob(content, "nonce", "'content'");
        if (nonce != null && nonce.length > MAX_NONCE_BYTES) {
            throw HttpError.badRequest("The nonce has " + nonce.length + " bytes; at most " + MAX_NONCE_BYTES
                    + " are allowed");
        }
        Request.Header header = new Request.Header(requestId, sender, expiry);
        Request request;
        switch (requestType) {
            case "call":
                request = new Request.Call(header, principal(content, "canister_id"), text(content, "method_name"),
                        blob(content, "arg"));
                break;
            case "query":
                request = new Request.Query(header, principal(content, "canister_id"), text(content, "method_name"),
                        blob(content, "arg"));
                break;
            default:
                request = new Request.ReadState(header, paths(content));
                break;
        }
        return new Envelope(content, request, pubkey, sig);
    }

    private static List<List<Label>> paths(CborValue.MapValue content) {
        CborValue value = content.get("paths");
        if (value == null) {
            // ic4j leaves out an empty path list; the time is always revealed anyway.
            return List.of();
        }
        List<CborValue> items = array(value, "'paths'");
        if (items.size() > MAX_PATHS) {
            throw HttpError.badRequest("A read_state request may ask for at most " + MAX_PATHS + " paths, not "
                    + items.size());
        }
        List<List<Label>> paths = new ArrayList<>();
        for (CborValue item : items) {
            List<CborValue> labels = array(item, "a path");
            if (labels.size() > MAX_PATH_LENGTH) {
                throw HttpError.badRequest("A path may have at most " + MAX_PATH_LENGTH + " labels, not "
                        + labels.size());
            }
            List<Label> path = new ArrayList<>();
            for (CborValue label : labels) {
                CborValue bytes = label.untagged();
                if (!(bytes instanceof CborValue.Bytes)) {
                    throw HttpError.badRequest("A path label must be a blob, not " + bytes.describe());
                }
                path.add(Label.of(((CborValue.Bytes) bytes).bytes()));
            }
            paths.add(List.copyOf(path));
        }
        return List.copyOf(paths);
    }

    private static CborValue.MapValue map(CborValue value, String what) {
        CborValue item = value.untagged();
        if (!(item instanceof CborValue.MapValue)) {
            throw HttpError.badRequest(capitalized(what) + " must be a CBOR map, not " + item.describe());
        }
        return (CborValue.MapValue) item;
    }

    private static List<CborValue> array(CborValue value, String what) {
        CborValue item = value.untagged();
        if (!(item instanceof CborValue.Array)) {
            throw HttpError.badRequest(capitalized(what) + " must be an array, not " + item.describe());
        }
        return ((CborValue.Array) item).items();
    }

    private static String text(CborValue.MapValue map, String field) {
        CborValue value = required(map, field);
        if (!(value instanceof CborValue.Text)) {
            throw HttpError.badRequest("The field '" + field + "' must be text, not " + value.describe());
        }
        return ((CborValue.Text) value).value();
    }

    private static byte[] blob(CborValue.MapValue map, String field) {
        CborValue value = required(map, field);
        if (!(value instanceof CborValue.Bytes)) {
            throw HttpError.badRequest("The field '" + field + "' must be a blob, not " + value.describe());
        }
        return ((CborValue.Bytes) value).bytes();
    }

    private static byte[] optionalBlob(CborValue.MapValue map, String field, String where) {
        CborValue value = map.get(field);
        if (value == null) {
            return null;
        }
        CborValue item = value.untagged();
        if (!(item instanceof CborValue.Bytes)) {
            throw HttpError.badRequest("The field '" + field + "' of " + where + " must be a blob, not "
                    + item.describe());
        }
        return ((CborValue.Bytes) item).bytes();
    }

    private static BigInteger nat(CborValue.MapValue map, String field) {
        CborValue value = required(map, field);
        if (!(value instanceof CborValue.Unsigned)) {
            throw HttpError.badRequest("The field '" + field + "' must be a natural number, not "
                    + value.describe());
        }
        return ((CborValue.Unsigned) value).value();
    }

    private static Principal principal(CborValue.MapValue map, String field) {
        byte[] bytes = blob(map, field);
        if (bytes.length > Principal.MAX_LENGTH) {
            throw HttpError.badRequest("The field '" + field + "' holds " + bytes.length
                    + " bytes; a principal has at most " + Principal.MAX_LENGTH);
        }
        return Principal.of(bytes);
    }

    private static CborValue required(CborValue.MapValue map, String field) {
        CborValue value = map.get(field);
        if (value == null) {
            throw HttpError.badRequest("The request content has no '" + field + "'");
        }
        return value.untagged();
    }

    private static String capitalized(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}

package dev.tealama.icreplica;

import dev.tealama.ichost.Principal;
import dev.tealama.icreplica.certification.Label;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;

/**
 * The content of an authenticated request: a call, a query or a read_state, with what they share (the request id
 * and the {@link Header}).
 */
sealed interface Request permits Request.Call, Request.Query, Request.ReadState {

    /** What every request carries. */
    Header header();

    /**
     * The fields all requests have.
     *
     * @param requestId     the representation-independent hash of the {@code content} map
     * @param sender        the principal that sent it (authenticated by the envelope)
     * @param ingressExpiry when the request stops being valid, in nanoseconds since 1970
     */
    record Header(byte[] requestId, Principal sender, BigInteger ingressExpiry) {
        /** The request id as the specification writes it: {@code 0x} and lower-case hex. */
        String requestIdText() {
            return "0x" + HexFormat.of().formatHex(requestId);
        }
    }

    /** An update call ({@code request_type = "call"}). */
    record Call(Header header, Principal canisterId, String methodName, byte[] arg) implements Request {
    }

    /** A query ({@code request_type = "query"}). */
    record Query(Header header, Principal canisterId, String methodName, byte[] arg) implements Request {
    }

    /** A read of the state tree ({@code request_type = "read_state"}). */
    record ReadState(Header header, List<List<Label>> paths) implements Request {
    }
}

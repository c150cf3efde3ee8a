package dev.tealama.icreplica;

import dev.tealama.ichost.CallResult;
import dev.tealama.ichost.CanisterModule;
import dev.tealama.ichost.ErrorCode;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;
import dev.tealama.icreplica.cbor.CborValue;
import dev.tealama.icreplica.certification.Certificate;
import dev.tealama.icreplica.certification.Label;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The replica's HTTP endpoints, after the HTTP plumbing ({@link HttpFront}): each takes the effective canister id
 * from the URL and the request body and gives the {@link HttpAnswer}.
 *
 * <ul>
 *   <li>{@code GET /api/v2/status}: the root key and version fields.</li>
 *   <li>{@code POST /api/v2/canister/<id>/call}: checks the request and asks the canister's
 *       {@code canister_inspect_message}; 202 and the call runs on the update thread, or 200 with a CBOR reject
 *       (unknown canister or method, refused by inspection).</li>
 *   <li>{@code POST /api/v3/canister/<id>/call}: the same, then waits for the outcome and answers with its
 *       certificate.</li>
 *   <li>{@code POST /api/v2/canister/<id>/query}: runs the query; reply or reject, signed by the node.</li>
 *   <li>{@code POST /api/v2/canister/<id>/read_state} and {@code /api/v2/subnet/<id>/read_state}: a certificate
 *       for the requested paths.</li>
 * </ul>
 */
final class Endpoints {

    /** The version of the interface specification this replica follows. */
    static final String IC_API_VERSION = "0.18.0";

    private final LocalReplica replica;

    Endpoints(LocalReplica replica) {
        this.replica = replica;
    }

    // ---- status ----

    HttpAnswer status() {
        return HttpAnswer.cbor(CborValue.MapValue.builder()
                .put("ic_api_version", IC_API_VERSION)
                .put("impl_source", "tealama ic-replica (a local stand-in for tests)")
                .put("impl_version", "0.1.0")
                .put("replica_health_status", "healthy")
                .put("root_key", replica.rootKeyDer())
                .build());
    }

    // ---- call ----

    /** An update call; {@code synchronous} for the v3 endpoint. */
    HttpAnswer call(Principal effectiveCanisterId, byte[] body, boolean synchronous) {
        Envelope envelope = Envelope.parse(body, "call");
        Request.Call call = (Request.Call) envelope.request();
        checkRequest(envelope);
        checkRouting(call.canisterId(), effectiveCanisterId);
        byte[] requestId = call.header().requestId();
        LocalCanister canister = replica.canisterOrNull(call.canisterId());
        if (canister == null) {
            return nonReplicatedRejection(notFound(call.canisterId()), synchronous);
        }
        if (replica.history().get(requestId) == null) {
            Principal sender = call.header().sender();
            Optional<CallResult.Reject> refused;
            synchronized (canister) {
                replica.advanceCanisterClock(canister);
                refused = canister.inspectIngress(call.methodName(), call.arg(), sender);
            }
            if (refused.isPresent()) {
                return nonReplicatedRejection(RequestStatus.Rejected.of(refused.get()), synchronous);
            }
            if (replica.history().receive(requestId, sender, effectiveCanisterId, call.header().ingressExpiry())) {
                replica.submitUpdate(canister, call);
            }
        }
        if (!synchronous) {
            return HttpAnswer.accepted();
        }
        IngressHistory.Entry entry;
        try {
            entry = replica.history().awaitTerminal(requestId, replica.syncCallTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpAnswer.accepted();
        }
        if (entry == null || !entry.status().isTerminal()) {
            return HttpAnswer.accepted();
        }
        Certificate certificate = replica.certify(List.of(List.of(Label.of("request_status"),
                Label.of(requestId))));
        return HttpAnswer.cbor(CborValue.MapValue.builder()
                .put("status", "replied")
                .put("certificate", certificate.encode())
                .build());
    }

    private static HttpAnswer nonReplicatedRejection(RequestStatus.Rejected rejected, boolean synchronous) {
        CborValue.MapValue.Builder body = CborValue.MapValue.builder();
        if (synchronous) {
            body.put("status", "non_replicated_rejection");
        }
        return HttpAnswer.cbor(body
                .put("reject_code", rejected.rejectCode())
                .put("reject_message", rejected.rejectMessage())
                .put("error_code", rejected.errorCode())
                .build());
    }

    // ---- query ----

    HttpAnswer query(Principal effectiveCanisterId, byte[] body) {
        Envelope envelope = Envelope.parse(body, "query");
        Request.Query query = (Request.Query) envelope.request();
        checkRequest(envelope);
        checkRouting(query.canisterId(), effectiveCanisterId);
        LocalCanister canister = replica.canisterOrNull(query.canisterId());
        RequestStatus outcome;
        if (canister == null) {
            outcome = notFound(query.canisterId());
        } else {
            CallResult result;
            synchronized (canister) {
                replica.advanceCanisterClock(canister);
                result = canister.query(query.methodName(), query.arg(), query.header().sender());
            }
            outcome = RequestStatus.of(result);
        }
        return queryResponse(outcome, query.header().requestId());
    }

    /**
     * The query response with the node's signature over {@code hash_of_map} of the response fields, the timestamp
     * and the request id (section "Request: Query call"). The status comes first: ic4j reads the fields in order.
     */
    private HttpAnswer queryResponse(RequestStatus outcome, byte[] requestId) {
        long timestamp = replica.nowNanos();
        CborValue.MapValue.Builder response = CborValue.MapValue.builder();
        CborValue.MapValue.Builder signed = CborValue.MapValue.builder();
        response.put("status", outcome.text());
        signed.put("status", outcome.text());
        if (outcome instanceof RequestStatus.Replied) {
            CborValue reply = CborValue.MapValue.builder()
                    .put("arg", ((RequestStatus.Replied) outcome).reply())
                    .build();
            response.put("reply", reply);
            signed.put("reply", reply);
        } else {
            RequestStatus.Rejected rejected = (RequestStatus.Rejected) outcome;
            for (CborValue.MapValue.Builder map : List.of(response, signed)) {
                map.put("reject_code", rejected.rejectCode())
                        .put("reject_message", rejected.rejectMessage())
                        .put("error_code", rejected.errorCode());
            }
        }
        signed.put("timestamp", timestamp).put("request_id", requestId);
        byte[] signature = replica.nodeKey().signResponse(RepresentationIndependentHash.of(signed.build()));
        response.put("signatures", CborValue.Array.of(CborValue.MapValue.builder()
                .put("timestamp", timestamp)
                .put("signature", signature)
                .put("identity", replica.nodeKey().nodeId().toBytes())
                .build()));
        return HttpAnswer.cbor(response.build());
    }

    // ---- read_state ----

    /** A read of the state tree at {@code /api/v2/canister/<effectiveCanisterId>/read_state}. */
    HttpAnswer readState(Principal effectiveCanisterId, byte[] body) {
        Envelope envelope = Envelope.parse(body, "read_state");
        Request.ReadState read = (Request.ReadState) envelope.request();
        checkRequest(envelope);
        byte[] requestId = null;
        for (List<Label> path : read.paths()) {
            String first = checkPathStart(path);
            switch (first) {
                case "request_status":
                    if (requestId != null && !Arrays.equals(requestId, path.get(1).bytes())) {
                        throw HttpError.badRequest("All request_status paths of one read_state must name the same"
                                + " request id");
                    }
                    requestId = path.get(1).bytes();
                    checkRequestStatusPath(path, read.header().sender(), effectiveCanisterId);
                    break;
                case "canister":
                    checkCanisterPath(path, read.header().sender(), effectiveCanisterId);
                    break;
                default:
                    break;
            }
        }
        return certificateAnswer(read.paths());
    }

    /** A read at {@code /api/v2/subnet/<subnetId>/read_state}: only {@code /time} and {@code /subnet} paths. */
    HttpAnswer readSubnetState(Principal subnetId, byte[] body) {
        if (!subnetId.equals(replica.subnetId())) {
            throw new HttpError(HttpError.NOT_FOUND, "This replica's subnet is " + replica.subnetId() + ", not "
                    + subnetId);
        }
        Envelope envelope = Envelope.parse(body, "read_state");
        Request.ReadState read = (Request.ReadState) envelope.request();
        checkRequest(envelope);
        for (List<Label> path : read.paths()) {
            String first = checkPathStart(path);
            if (first.equals("request_status") || first.equals("canister")) {
                throw new HttpError(HttpError.NOT_FOUND, "/" + first + " paths are read at"
                        + " /api/v2/canister/<effective_canister_id>/read_state, not at the subnet endpoint");
            }
        }
        return certificateAnswer(read.paths());
    }

    private HttpAnswer certificateAnswer(List<List<Label>> paths) {
        Certificate certificate = replica.certify(paths);
        // Only the certificate: ic4j's ReadStateResponse refuses unknown fields.
        return HttpAnswer.cbor(CborValue.MapValue.builder().put("certificate", certificate.encode()).build());
    }

    /** The first label of a path this replica can serve; a 404 for anything else. */
    private static String checkPathStart(List<Label> path) {
        if (path.isEmpty()) {
            throw HttpError.badRequest("An empty path cannot be requested");
        }
        String first = path.get(0).toString();
        switch (first) {
            case "time":
                if (path.size() != 1) {
                    throw new HttpError(HttpError.NOT_FOUND, "Invalid path requested: /time has no children");
                }
                return first;
            case "subnet":
            case "api_boundary_nodes":
                return first;
            case "request_status":
                if (path.size() < 2 || path.size() > 3) {
                    throw new HttpError(HttpError.NOT_FOUND, "Invalid path requested: request_status paths are"
                            + " /request_status/<request_id>[/<field>]");
                }
                return first;
            case "canister":
                return first;
            default:
                throw new HttpError(HttpError.NOT_FOUND, "Invalid path requested: " + render(path));
        }
    }

    private void checkRequestStatusPath(List<Label> path, Principal sender, Principal effectiveCanisterId) {
        IngressHistory.Entry entry = replica.history().get(path.get(1).bytes());
        if (entry == null) {
            return;
        }
        if (!entry.sender().equals(sender)) {
            throw new HttpError(HttpError.FORBIDDEN, "The request " + render(path) + " was sent by "
                    + entry.sender() + "; only its sender may read its status (this read_state is from " + sender
                    + ")");
        }
        if (!entry.effectiveCanisterId().equals(effectiveCanisterId)) {
            throw new HttpError(HttpError.FORBIDDEN, "The request " + render(path) + " was sent to the effective"
                    + " canister id " + entry.effectiveCanisterId() + "; read its status there, not at "
                    + effectiveCanisterId);
        }
    }

    private void checkCanisterPath(List<Label> path, Principal sender, Principal effectiveCanisterId) {
        if (path.size() < 3) {
            throw new HttpError(HttpError.NOT_FOUND, "Invalid path requested: " + render(path)
                    + " (canister paths are /canister/<id>/module_hash, /controllers or /metadata/<name>)");
        }
        if (!Arrays.equals(path.get(1).bytes(), effectiveCanisterId.toBytes())) {
            throw new HttpError(HttpError.FORBIDDEN, "The path " + render(path) + " is about another canister than"
                    + " the effective canister id " + effectiveCanisterId);
        }
        String field = path.get(2).toString();
        switch (field) {
            case "module_hash":
            case "controllers":
                if (path.size() != 3) {
                    throw new HttpError(HttpError.NOT_FOUND, "Invalid path requested: " + render(path));
                }
                return;
            case "metadata":
                if (path.size() != 4) {
                    throw new HttpError(HttpError.NOT_FOUND, "Invalid path requested: " + render(path)
                            + " (metadata paths are /canister/<id>/metadata/<name>)");
                }
                String name = utf8(path.get(3).bytes());
                LocalCanister canister = replica.canisterOrNull(effectiveCanisterId);
                CanisterModule module = canister == null ? null : canister.module();
                CanisterModule.Metadata section = module == null ? null : module.metadata().get(name);
                if (section != null && !section.isPublic() && !canister.controllers().contains(sender)) {
                    throw new HttpError(HttpError.FORBIDDEN, "The metadata '" + name + "' of " + effectiveCanisterId
                            + " is private; only its controllers may read it");
                }
                return;
            default:
                throw new HttpError(HttpError.NOT_FOUND, "Invalid path requested: " + render(path));
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.badRequest("A metadata name must be UTF-8");
        }
    }

    private static String render(List<Label> path) {
        StringBuilder text = new StringBuilder();
        for (Label label : path) {
            text.append('/').append(label);
        }
        return text.toString();
    }

    // ---- shared checks ----

    /** The sender's signature and the ingress expiry. */
    private void checkRequest(Envelope envelope) {
        SenderAuthentication.authenticate(envelope);
        checkExpiry(envelope.request().header().ingressExpiry());
    }

    /**
     * The IC refuses a request whose {@code ingress_expiry} is in the past, or further in the future than the
     * longest allowed time to live (five minutes, plus a permitted clock drift).
     */
    private void checkExpiry(BigInteger expiry) {
        long now = replica.nowNanos();
        BigInteger min = BigInteger.valueOf(now);
        BigInteger max = BigInteger.valueOf(now).add(BigInteger.valueOf(replica.maxIngressExpiry().toNanos()));
        if (expiry.compareTo(min) < 0 || expiry.compareTo(max) > 0) {
            throw HttpError.badRequest("Invalid request expiry: the ingress_expiry " + expiry + " ("
                    + describeTime(expiry) + ") is not between " + min + " (" + describeTime(min) + ", the replica's"
                    + " time) and " + max + " (" + describeTime(max) + ")");
        }
    }

    private static String describeTime(BigInteger nanos) {
        if (nanos.bitLength() > 62) {
            return "far in the future";
        }
        long value = nanos.longValue();
        return Instant.ofEpochSecond(value / 1_000_000_000L, value % 1_000_000_000L).toString();
    }

    /**
     * The effective canister id in the URL must be the canister called (the management canister is the exception
     * on the IC, and not served here).
     */
    private static void checkRouting(Principal canisterId, Principal effectiveCanisterId) {
        if (canisterId.equals(Principal.managementCanister())) {
            return;
        }
        if (!canisterId.equals(effectiveCanisterId)) {
            throw HttpError.badRequest("Specified CanisterId " + canisterId + " does not match effective canister id"
                    + " in URL " + effectiveCanisterId);
        }
    }

    private static RequestStatus.Rejected notFound(Principal canisterId) {
        String message = canisterId.equals(Principal.managementCanister())
                ? "The management canister (aaaaa-aa) is not implemented by this stand-in replica"
                : "Canister " + canisterId + " not found";
        return new RequestStatus.Rejected(ErrorCode.CANISTER_NOT_FOUND.rejectCode().code(), message,
                ErrorCode.CANISTER_NOT_FOUND.text());
    }
}

package dev.tealama.icreplica;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.ic4j.agent.ReplicaResponse;
import org.ic4j.agent.ReplicaTransport;
import org.ic4j.agent.requestid.RequestId;
import org.ic4j.types.Principal;

/**
 * An ic4j transport on the JDK's HTTP client that does what ic4j's own transports do not: it looks at the HTTP
 * status. A non-2xx answer fails the future with {@link HttpStatusException} (status and the replica's text), and a
 * v2 call answered 200 with a CBOR body (a reject before the call entered the IC) fails it with
 * {@link CallRejectedException}. Every exchange is recorded so that a test can look at it or replay a body.
 */
final class CheckingTransport implements ReplicaTransport {

    /** One request and its answer. */
    record Exchange(String method, String path, byte[] requestBody, int status, byte[] responseBody) {
        String responseText() {
            return new String(responseBody, StandardCharsets.UTF_8);
        }
    }

    /** The replica answered with an HTTP error. */
    static final class HttpStatusException extends RuntimeException {
        final int status;

        HttpStatusException(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
        }
    }

    /** The replica refused a call before it entered the IC (the 200 answer of a v2 call). */
    static final class CallRejectedException extends RuntimeException {
        final int rejectCode;
        final String errorCode;

        CallRejectedException(int rejectCode, String message, String errorCode) {
            super("reject code " + rejectCode + " (" + errorCode + "): " + message);
            this.rejectCode = rejectCode;
            this.errorCode = errorCode;
        }
    }

    private final String url;
    private volatile int callVersion = 2;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Exchange> exchanges = new ArrayList<>();

    CheckingTransport(String url) {
        this.url = url;
    }

    /** Sends calls to {@code /api/v3/.../call} (the synchronous call) instead of v2. */
    CheckingTransport synchronousCalls() {
        callVersion = 3;
        return this;
    }

    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    synchronized Exchange last(String pathEnding) {
        for (int i = exchanges.size() - 1; i >= 0; i--) {
            if (exchanges.get(i).path().endsWith(pathEnding)) {
                return exchanges.get(i);
            }
        }
        throw new AssertionError("No request to ..." + pathEnding);
    }

    @Override
    public CompletableFuture<ReplicaResponse> status() {
        return send("GET", "/api/v2/status", null, false);
    }

    @Override
    public CompletableFuture<ReplicaResponse> query(Principal canisterId, byte[] envelope, Map<String, String> headers) {
        return send("POST", "/api/v2/canister/" + canisterId + "/query", envelope, false);
    }

    @Override
    public CompletableFuture<ReplicaResponse> call(Principal canisterId, byte[] envelope, RequestId requestId,
            Map<String, String> headers) {
        return send("POST", "/api/v" + callVersion + "/canister/" + canisterId + "/call", envelope, true);
    }

    @Override
    public CompletableFuture<ReplicaResponse> readState(Principal canisterId, byte[] envelope,
            Map<String, String> headers) {
        return send("POST", "/api/v2/canister/" + canisterId + "/read_state", envelope, false);
    }

    @Override
    public void close() {
    }

    /** Sends a body to a path of the replica and returns the raw exchange (no checks). */
    Exchange post(String path, byte[] body) {
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/cbor")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            Exchange exchange = new Exchange("POST", path, body, response.statusCode(), response.body());
            synchronized (this) {
                exchanges.add(exchange);
            }
            return exchange;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private CompletableFuture<ReplicaResponse> send(String method, String path, byte[] body, boolean isCall) {
        CompletableFuture<ReplicaResponse> result = new CompletableFuture<>();
        try {
            Exchange exchange;
            if (body == null) {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                exchange = new Exchange(method, path, null, response.statusCode(), response.body());
                synchronized (this) {
                    exchanges.add(exchange);
                }
            } else {
                exchange = post(path, body);
            }
            if (exchange.status() < 200 || exchange.status() > 299) {
                result.completeExceptionally(new HttpStatusException(exchange.status(), exchange.responseText()));
            } else if (isCall && exchange.status() == 200 && exchange.responseBody().length > 0
                    && !"replied".equals(new ObjectMapper(new CBORFactory()).readValue(exchange.responseBody(),
                            Map.class).get("status"))) {
                Map<?, ?> reject = new ObjectMapper(new CBORFactory()).readValue(exchange.responseBody(), Map.class);
                result.completeExceptionally(new CallRejectedException(((Number) reject.get("reject_code")).intValue(),
                        (String) reject.get("reject_message"), (String) reject.get("error_code")));
            } else {
                ReplicaResponse response = new ReplicaResponse();
                response.payload = exchange.responseBody();
                response.headers = new HashMap<>();
                result.complete(response);
            }
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(e);
        }
        return result;
    }
}

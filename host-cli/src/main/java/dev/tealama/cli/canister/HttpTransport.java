package dev.tealama.cli.canister;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import org.ic4j.agent.ReplicaResponse;
import org.ic4j.agent.ReplicaTransport;
import org.ic4j.agent.requestid.RequestId;
import org.ic4j.types.Principal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * ic4j's {@link ReplicaTransport} on the JDK's HTTP client, doing what ic4j 0.7.2's own transports do not:
 * <ul>
 *   <li>it looks at the HTTP status: a 413 (the request is over the IC's 2 MiB ingress limit) or another error is a
 *       {@link CanisterCallException} at once, where ic4j's transports would hand the error body on as if it were an
 *       answer (a call refused with 413 then looks like a call whose outcome never arrives);</li>
 *   <li>a call answered 200 with a CBOR body (the IC refused it before it ran: no such canister or method, refused by
 *       {@code canister_inspect_message}) is a {@link CanisterCallException.Kind#REJECTED reject};</li>
 *   <li>transient failures (the replica unreachable, HTTP 408, 429, 5xx) are retried with backoff
 *       ({@link RetryPolicy}), resending the same bytes: a retried call keeps its request id, so it runs once.</li>
 * </ul>
 * Requests run on the calling thread; the futures it returns are already complete.
 */
final class HttpTransport implements ReplicaTransport {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final int MAX_BODY_SHOWN = 300;

    private final String baseUrl;
    private final RetryPolicy retry;
    private final Consumer<String> notices;
    private final HttpClient client;

    /**
     * @param baseUrl the replica, e.g. {@code http://127.0.0.1:4943}
     * @param notices where to say that a request is retried (standard error)
     */
    HttpTransport(String baseUrl, RetryPolicy retry, Consumer<String> notices) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.retry = retry;
        this.notices = notices;
        this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    @Override
    public CompletableFuture<ReplicaResponse> status() {
        return send("/api/v2/status", null, false);
    }

    @Override
    public CompletableFuture<ReplicaResponse> query(Principal canisterId, byte[] envelope, Map<String, String> headers) {
        return send("/api/v2/canister/" + canisterId + "/query", envelope, false);
    }

    @Override
    public CompletableFuture<ReplicaResponse> call(Principal canisterId, byte[] envelope, RequestId requestId,
            Map<String, String> headers) {
        return send("/api/v2/canister/" + canisterId + "/call", envelope, true);
    }

    @Override
    public CompletableFuture<ReplicaResponse> readState(Principal canisterId, byte[] envelope,
            Map<String, String> headers) {
        return send("/api/v2/canister/" + canisterId + "/read_state", envelope, false);
    }

    @Override
    public void close() {
        // the JDK client needs no closing before Java 21's close(), and this one is shared by nothing else
    }

    private CompletableFuture<ReplicaResponse> send(String path, byte[] body, boolean isCall) {
        CompletableFuture<ReplicaResponse> result = new CompletableFuture<>();
        try {
            result.complete(exchange(path, body, isCall));
        } catch (CanisterCallException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private ReplicaResponse exchange(String path, byte[] body, boolean isCall) {
        URI uri = URI.create(baseUrl + path);
        for (int attempt = 0; ; attempt++) {
            String failure;
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
                if (body == null) {
                    request.GET();
                } else {
                    request.header("Content-Type", "application/cbor")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                }
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status <= 299) {
                    if (isCall && status == 200 && response.body().length > 0) {
                        throw earlyReject(response.body());
                    }
                    ReplicaResponse answer = new ReplicaResponse();
                    answer.payload = response.body();
                    answer.headers = new HashMap<>();
                    return answer;
                }
                String text = shown(response.body());
                if (status == 413) {
                    throw new CanisterCallException(CanisterCallException.Kind.TOO_LARGE, "the replica refused a "
                            + (body == null ? 0 : body.length) + "-byte request as too large (HTTP 413" + text
                            + "): a message to the IC may be at most 2 MiB (2,097,152 bytes), signature included",
                            null);
                }
                failure = "the replica at " + baseUrl + " answered HTTP " + status + text;
                if (!RetryPolicy.isTransient(status)) {
                    throw new CanisterCallException(CanisterCallException.Kind.UNAVAILABLE, failure, null);
                }
            } catch (IOException e) {
                failure = "cannot reach the replica at " + baseUrl + " (" + describe(e) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CanisterCallException(CanisterCallException.Kind.UNAVAILABLE, "interrupted", e);
            }
            if (attempt >= retry.retries()) {
                throw new CanisterCallException(CanisterCallException.Kind.UNAVAILABLE, failure
                        + (retry.retries() > 0 ? " (tried " + (attempt + 1) + " times)" : ""), null);
            }
            Duration delay = retry.delayBefore(attempt + 1);
            notices.accept(failure + "; retrying in " + seconds(delay) + " (" + (attempt + 1) + " of "
                    + retry.retries() + ")");
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CanisterCallException(CanisterCallException.Kind.UNAVAILABLE, "interrupted", e);
            }
        }
    }

    /** The CBOR body of a call the IC refused before it ran: {@code reject_code}, {@code reject_message}. */
    private static CanisterCallException earlyReject(byte[] body) {
        Map<?, ?> reject;
        try {
            reject = new ObjectMapper(new CBORFactory()).readValue(body, Map.class);
        } catch (IOException e) {
            return new CanisterCallException(CanisterCallException.Kind.INVALID_ANSWER,
                    "the replica answered a call with an unreadable body (" + e.getMessage() + ")", e);
        }
        Object code = reject.get("reject_code");
        Object message = reject.get("reject_message");
        Object errorCode = reject.get("error_code");
        int rejectCode = code instanceof Number n ? n.intValue() : 0;
        return CanisterCallException.rejected(rejectCode, message + " (reject code " + rejectCode
                + (errorCode != null ? ", " + errorCode : "") + ")");
    }

    private static String shown(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
            return "";
        }
        if (text.length() > MAX_BODY_SHOWN) {
            text = text.substring(0, MAX_BODY_SHOWN) + "...";
        }
        return ": " + text;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused: is the replica running? (dfx start --background)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}

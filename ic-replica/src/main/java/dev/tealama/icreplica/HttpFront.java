package dev.tealama.icreplica;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tealama.ichost.Principal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side: routes {@code /api/v2/...} and {@code /api/v3/...} to the {@link Endpoints}, reads bodies up to the
 * ingress limit (413 past it, without keeping the excess), applies the test knobs ({@link Traffic}: latency,
 * injected failures, counting) and turns {@link HttpError}s into plain-text answers.
 */
final class HttpFront implements HttpHandler {

    private static final Pattern CANISTER_PATH = Pattern.compile("/api/v([23])/canister/([^/]+)/(call|query|read_state)");
    private static final Pattern SUBNET_PATH = Pattern.compile("/api/v2/subnet/([^/]+)/read_state");
    /** How much of an oversized body is read (and dropped) so that the client sees the 413 instead of a reset. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private final Endpoints endpoints;
    private final Traffic traffic;
    private final int maxRequestBytes;

    HttpFront(Endpoints endpoints, Traffic traffic, int maxRequestBytes) {
        this.endpoints = endpoints;
        this.traffic = traffic;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            HttpAnswer answer;
            try {
                answer = route(exchange);
            } catch (HttpError e) {
                answer = HttpAnswer.text(e.status(), e.getMessage());
            } catch (RuntimeException e) {
                answer = HttpAnswer.text(500, "Internal error of the stand-in replica: " + e);
            }
            send(exchange, answer);
        } finally {
            exchange.close();
        }
    }

    private HttpAnswer route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Matcher canister = CANISTER_PATH.matcher(path);
        Matcher subnet = SUBNET_PATH.matcher(path);
        Traffic.Endpoint endpoint;
        if (path.equals("/api/v2/status")) {
            endpoint = Traffic.Endpoint.STATUS;
        } else if (canister.matches()) {
            endpoint = Traffic.Endpoint.of(canister.group(3));
            if (canister.group(1).equals("3") && endpoint != Traffic.Endpoint.CALL) {
                throw new HttpError(HttpError.NOT_FOUND, "Only call has a v3 endpoint; use /api/v2/canister/<id>/"
                        + canister.group(3));
            }
        } else if (subnet.matches()) {
            endpoint = Traffic.Endpoint.READ_STATE;
        } else {
            traffic.count(Traffic.Endpoint.OTHER);
            throw new HttpError(HttpError.NOT_FOUND, "No such endpoint: " + method + " " + path);
        }
        traffic.count(endpoint);
        traffic.delay();
        Integer injected = traffic.takeInjectedFailure();
        if (injected != null) {
            drain(exchange.getRequestBody(), DRAIN_LIMIT);
            return HttpAnswer.text(injected, "Injected failure (a test knob of the stand-in replica)");
        }
        if (endpoint == Traffic.Endpoint.STATUS) {
            requireMethod(method, "GET");
            return endpoints.status();
        }
        requireMethod(method, "POST");
        byte[] body = readBody(exchange);
        if (subnet.matches()) {
            return endpoints.readSubnetState(principal(subnet.group(1), "subnet id"), body);
        }
        Principal effectiveCanisterId = principal(canister.group(2), "effective canister id");
        switch (endpoint) {
            case CALL:
                return endpoints.call(effectiveCanisterId, body, canister.group(1).equals("3"));
            case QUERY:
                return endpoints.query(effectiveCanisterId, body);
            default:
                return endpoints.readState(effectiveCanisterId, body);
        }
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new HttpError(HttpError.METHOD_NOT_ALLOWED, "This endpoint takes " + expected + ", not " + method);
        }
    }

    private static Principal principal(String text, String what) {
        try {
            return Principal.fromText(text);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("The " + what + " in the URL is not a principal: " + e.getMessage());
        }
    }

    /** The body, or a 413 if it is longer than the ingress limit (by its Content-Length or by what arrives). */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw HttpError.badRequest("Content-Length is not a number: " + declared);
            }
            if (length > maxRequestBytes) {
                drain(in, DRAIN_LIMIT);
                throw tooLarge(length);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (body.size() + read > maxRequestBytes) {
                long total = body.size() + read + drain(in, DRAIN_LIMIT);
                throw tooLarge(total);
            }
            body.write(buffer, 0, read);
        }
        return body.toByteArray();
    }

    private HttpError tooLarge(long length) {
        return new HttpError(HttpError.PAYLOAD_TOO_LARGE, "The request body has " + length + " bytes; an ingress"
                + " message may have at most " + maxRequestBytes + " bytes (2 MiB on the IC)");
    }

    /** Reads and drops up to {@code limit} bytes; how many it dropped. */
    private static long drain(InputStream in, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long dropped = 0;
        int read;
        while (dropped < limit && (read = in.read(buffer)) >= 0) {
            dropped += read;
        }
        return dropped;
    }

    private static void send(HttpExchange exchange, HttpAnswer answer) throws IOException {
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        }
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}

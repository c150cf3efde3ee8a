package dev.tealama.icreplica;

/**
 * A request the replica refuses at the HTTP level, before or instead of anything the IC would record: a malformed
 * body, a bad signature, an expired request, a body over the ingress limit. Answered with the status code and the
 * message as plain text, like the replica does.
 */
final class HttpError extends RuntimeException {

    static final int BAD_REQUEST = 400;
    static final int FORBIDDEN = 403;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int PAYLOAD_TOO_LARGE = 413;
    static final int SERVICE_UNAVAILABLE = 503;

    private final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(BAD_REQUEST, message);
    }

    int status() {
        return status;
    }
}

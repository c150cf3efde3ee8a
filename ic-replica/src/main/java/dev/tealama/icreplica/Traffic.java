package dev.tealama.icreplica;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The test knobs on the HTTP side: a latency added to every request, a number of requests to fail with a given
 * status (before anything is parsed or executed, as an overloaded boundary node would), and counts of the requests
 * per endpoint.
 */
final class Traffic {

    /** The endpoints, as counted. */
    enum Endpoint {
        STATUS, CALL, QUERY, READ_STATE, OTHER;

        static Endpoint of(String pathPart) {
            switch (pathPart) {
                case "call":
                    return CALL;
                case "query":
                    return QUERY;
                default:
                    return READ_STATE;
            }
        }
    }

    private final Map<Endpoint, Long> counts = new EnumMap<>(Endpoint.class);
    private Duration latency = Duration.ZERO;
    private int failuresLeft;
    private int failureStatus = HttpError.SERVICE_UNAVAILABLE;

    synchronized void count(Endpoint endpoint) {
        counts.merge(endpoint, 1L, Long::sum);
    }

    synchronized RequestCounts counts() {
        return new RequestCounts(counts.getOrDefault(Endpoint.STATUS, 0L), counts.getOrDefault(Endpoint.CALL, 0L),
                counts.getOrDefault(Endpoint.QUERY, 0L), counts.getOrDefault(Endpoint.READ_STATE, 0L),
                counts.getOrDefault(Endpoint.OTHER, 0L));
    }

    synchronized void resetCounts() {
        counts.clear();
    }

    synchronized void setLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("A latency cannot be negative: " + latency);
        }
        this.latency = latency;
    }

    synchronized void failNext(int requests, int status) {
        if (requests < 0) {
            throw new IllegalArgumentException("A number of requests cannot be negative: " + requests);
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("An injected failure is a 4xx or 5xx status, not " + status);
        }
        this.failuresLeft = requests;
        this.failureStatus = status;
    }

    /** Sleeps for the configured latency. */
    void delay() {
        Duration wait;
        synchronized (this) {
            wait = latency;
        }
        if (!wait.isZero()) {
            try {
                Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The status to fail this request with, or null to serve it. */
    synchronized Integer takeInjectedFailure() {
        if (failuresLeft == 0) {
            return null;
        }
        failuresLeft--;
        return failureStatus;
    }
}

package dev.tealama.cli.canister;

import java.time.Duration;

/**
 * How a request to the replica is repeated after a transient failure (the replica unreachable, HTTP 429 or 5xx): up
 * to {@code retries} more times, waiting {@code firstDelay}, then twice as long each time, at most {@code maxDelay}.
 * A repeated call sends the same signed bytes, so it has the same request id: the IC runs it at most once.
 */
public record RetryPolicy(int retries, Duration firstDelay, Duration maxDelay) {

    public RetryPolicy {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= first <= max: " + firstDelay + ", " + maxDelay);
        }
    }

    /** {@code retries} retries after 0.25 s, 0.5 s, 1 s, ... at most 8 s apart. */
    public static RetryPolicy standard(int retries) {
        return new RetryPolicy(retries, Duration.ofMillis(250), Duration.ofSeconds(8));
    }

    /** The wait before retry number {@code retry} (1 for the first). */
    public Duration delayBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries count from 1: " + retry);
        }
        Duration delay = firstDelay;
        for (int i = 1; i < retry && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /** Whether an HTTP status says "try again later": 408, 429, 500, 502, 503, 504. */
    public static boolean isTransient(int httpStatus) {
        return httpStatus == 408 || httpStatus == 429 || httpStatus == 500 || httpStatus == 502 || httpStatus == 503
                || httpStatus == 504;
    }
}

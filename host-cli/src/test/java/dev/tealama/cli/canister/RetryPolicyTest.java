package dev.tealama.cli.canister;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

    @Test
    void theDelayDoublesUpToItsMaximum() {
        RetryPolicy policy = RetryPolicy.standard(8);
        List<Long> millis = new ArrayList<>();
        for (int retry = 1; retry <= 8; retry++) {
            millis.add(policy.delayBefore(retry).toMillis());
        }
        assertEquals(List.of(250L, 500L, 1000L, 2000L, 4000L, 8000L, 8000L, 8000L), millis);
    }

    @Test
    void transientStatusesAreThoseThatSayTryAgainLater() {
        for (int status : new int[] {408, 429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.isTransient(status), Integer.toString(status));
        }
        for (int status : new int[] {400, 401, 403, 404, 413, 501}) {
            assertFalse(RetryPolicy.isTransient(status), Integer.toString(status));
        }
    }

    @Test
    void badPoliciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.standard(3).delayBefore(0));
    }
}

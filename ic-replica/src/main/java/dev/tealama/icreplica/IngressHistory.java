package dev.tealama.icreplica;

import dev.tealama.ichost.Principal;
import dev.tealama.icreplica.certification.Label;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The update calls the replica knows, by request id: their status and who may read it. A request is kept until its
 * ingress expiry has passed (so a replayed request is recognised as the same call, never run twice), and at most
 * {@value #CAPACITY} of them (the oldest finished ones go first).
 */
final class IngressHistory {

    static final int CAPACITY = 100_000;

    /**
     * One known call.
     *
     * @param sender              who sent it: only they may read its status
     * @param effectiveCanisterId the canister id in the URL it was sent to: its status is read there
     * @param ingressExpiry       when it may be forgotten, in nanoseconds since 1970
     * @param status              where it is
     */
    record Entry(Principal sender, Principal effectiveCanisterId, BigInteger ingressExpiry, RequestStatus status) {
        Entry withStatus(RequestStatus newStatus) {
            return new Entry(sender, effectiveCanisterId, ingressExpiry, newStatus);
        }
    }

    private final Map<Label, Entry> entries = new LinkedHashMap<>();

    /**
     * Records a new call as {@code received}; false (and nothing changes) if the request id is known already.
     */
    synchronized boolean receive(byte[] requestId, Principal sender, Principal effectiveCanisterId,
            BigInteger ingressExpiry) {
        Label id = Label.of(requestId);
        if (entries.containsKey(id)) {
            return false;
        }
        entries.put(id, new Entry(sender, effectiveCanisterId, ingressExpiry, new RequestStatus.Received()));
        trim();
        return true;
    }

    /** Moves a known call to a new status. */
    synchronized void update(byte[] requestId, RequestStatus status) {
        Label id = Label.of(requestId);
        Entry entry = entries.get(id);
        if (entry != null) {
            entries.put(id, entry.withStatus(status));
            notifyAll();
        }
    }

    /** The entry of a request id, or null. */
    synchronized Entry get(byte[] requestId) {
        return entries.get(Label.of(requestId));
    }

    /**
     * Waits until the call is in a terminal state or {@code timeoutMillis} have passed; the entry as it is then.
     */
    synchronized Entry awaitTerminal(byte[] requestId, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        Label id = Label.of(requestId);
        while (true) {
            Entry entry = entries.get(id);
            long left = deadline - System.nanoTime();
            if (entry == null || entry.status().isTerminal() || left <= 0) {
                return entry;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
    }

    /** Forgets the calls whose expiry is before {@code nowNanos}. */
    synchronized void pruneExpired(long nowNanos) {
        BigInteger now = BigInteger.valueOf(nowNanos);
        entries.values().removeIf(entry -> entry.ingressExpiry().compareTo(now) < 0 && entry.status().isTerminal());
    }

    /** A copy of all entries, for certification. */
    synchronized Map<Label, Entry> snapshot() {
        return new LinkedHashMap<>(entries);
    }

    /** How many calls are known. */
    synchronized int size() {
        return entries.size();
    }

    private void trim() {
        if (entries.size() <= CAPACITY) {
            return;
        }
        List<Label> finished = new ArrayList<>();
        for (Map.Entry<Label, Entry> entry : entries.entrySet()) {
            if (entry.getValue().status().isTerminal()) {
                finished.add(entry.getKey());
                if (entries.size() - finished.size() <= CAPACITY) {
                    break;
                }
            }
        }
        finished.forEach(entries::remove);
    }
}

package dev.tealama.icreplica;

import com.sun.net.httpserver.HttpServer;
import dev.tealama.ichost.CallResult;
import dev.tealama.ichost.CanisterLimits;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;
import dev.tealama.icreplica.certification.BlsKeyPair;
import dev.tealama.icreplica.certification.Certificate;
import dev.tealama.icreplica.certification.Label;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for an Internet Computer replica: an HTTP server on loopback that speaks the part of the IC's
 * HTTP interface that DFINITY's JVM agent (ic4j 0.7.2) uses, and runs the calls in {@link LocalCanister}s.
 *
 * <pre>
 * try (LocalReplica replica = LocalReplica.builder().canister(canister).start()) {
 *     Agent agent = new AgentBuilder().transport(ReplicaApacheHttpTransport.create(replica.url())).build();
 *     agent.fetchRootKey();   // certificates are then verified against this replica's BLS key
 *     ...
 * }
 * </pre>
 *
 * <p>What it does: {@code /api/v2/status} with its root key; {@code call} (v2: 202 and the update runs on an
 * update thread, one at a time, while {@code read_state} polls see {@code received}, {@code processing}, then
 * {@code replied} or {@code rejected}; v3: waits for the outcome), {@code query} (signed by its node key) and
 * {@code read_state} (certificates signed with its own BLS12-381 root key); request ids by representation-independent
 * hashing; anonymous, Ed25519, ECDSA secp256k1 and P-256 senders; ingress expiry; the 2 MiB ingress limit (413);
 * effective canister id routing; rejects with the IC's reject and error codes.
 *
 * <p>What it does not do: delegations (in certificates and in requests), the management canister, canister
 * signatures and WebAuthn, the {@code done} status, certified data, subnet metrics, several subnets or nodes.
 *
 * <p>Test knobs: {@link #setLatency}, {@link #failNextRequests}, {@link #holdUpdates}/{@link #releaseUpdates},
 * {@link #requestCounts}.
 */
public final class LocalReplica implements AutoCloseable {

    /** The default lower end of the subnet's canister id range. */
    public static final Principal DEFAULT_RANGE_LOW = Principal.canisterId(0);
    /** The default upper end of the subnet's canister id range. */
    public static final Principal DEFAULT_RANGE_HIGH = Principal.canisterId(0x00FF_FFFF_FFFF_FFFFL);

    private final Map<Principal, LocalCanister> canisters = new ConcurrentHashMap<>();
    private final IngressHistory history = new IngressHistory();
    private final BlsKeyPair rootKey;
    private final NodeKey nodeKey = NodeKey.generate();
    private final StateCertifier certifier;
    private final Clock clock;
    private final Duration maxIngressExpiry;
    private final Duration syncCallTimeout;
    private final boolean canisterClocksFollowReplica;
    private final Principal rangeLow;
    private final Principal rangeHigh;
    private final Traffic traffic = new Traffic();
    private final UpdateGate gate = new UpdateGate();
    private final ExecutorService updates;
    private final ExecutorService httpThreads;
    private final HttpServer server;

    private LocalReplica(Builder builder) throws IOException {
        this.rootKey = builder.rootKey != null ? builder.rootKey : BlsKeyPair.generate();
        this.clock = builder.clock;
        this.maxIngressExpiry = builder.maxIngressExpiry;
        this.syncCallTimeout = builder.syncCallTimeout;
        this.canisterClocksFollowReplica = builder.canisterClocksFollowReplica;
        this.rangeLow = builder.rangeLow;
        this.rangeHigh = builder.rangeHigh;
        this.certifier = new StateCertifier(rootKey, nodeKey, rangeLow, rangeHigh);
        for (LocalCanister canister : builder.canisters) {
            addCanister(canister);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        this.updates = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "replica-updates"));
        this.httpThreads = Executors.newFixedThreadPool(builder.httpThreads,
                runnable -> daemon(runnable, "replica-http-" + threadNumber.incrementAndGet()));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 64);
        server.createContext("/", new HttpFront(new Endpoints(this), traffic, builder.maxRequestBytes));
        server.setExecutor(httpThreads);
        server.start();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** A builder with the IC's defaults and a fresh root key. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options of a {@link LocalReplica}. */
    public static final class Builder {
        private final List<LocalCanister> canisters = new ArrayList<>();
        private BlsKeyPair rootKey;
        private int port;
        private Clock clock = Clock.systemUTC();
        private int maxRequestBytes = CanisterLimits.ic().maxIngressBytes();
        private Duration maxIngressExpiry = Duration.ofMinutes(5).plusSeconds(30);
        private Duration syncCallTimeout = Duration.ofSeconds(10);
        private boolean canisterClocksFollowReplica = true;
        private int httpThreads = 8;
        private Principal rangeLow = DEFAULT_RANGE_LOW;
        private Principal rangeHigh = DEFAULT_RANGE_HIGH;

        private Builder() {
        }

        /** Hosts a canister (its id is {@link LocalCanister#canisterId()}); may be called for several. */
        public Builder canister(LocalCanister canister) {
            canisters.add(Objects.requireNonNull(canister));
            return this;
        }

        /** The root key that signs certificates; by default a fresh random one. */
        public Builder rootKey(BlsKeyPair key) {
            this.rootKey = Objects.requireNonNull(key);
            return this;
        }

        /** The loopback port; 0 (the default) takes a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Not a port: " + port);
            }
            this.port = port;
            return this;
        }

        /** The replica's clock (certificate time, ingress expiry checks); the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The largest request body; 2 MiB (the IC's ingress message limit) by default. */
        public Builder maxRequestBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("The request limit must be positive: " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** How far in the future an {@code ingress_expiry} may be: five minutes plus 30 s of drift by default. */
        public Builder maxIngressExpiry(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("Negative: " + duration);
            }
            this.maxIngressExpiry = duration;
            return this;
        }

        /** How long a v3 call waits for its outcome before it answers 202; 10 s by default. */
        public Builder syncCallTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("Negative: " + timeout);
            }
            this.syncCallTimeout = timeout;
            return this;
        }

        /**
         * Whether each canister's clock ({@code ic0.time}) is moved up to the replica's clock before a message
         * (default true); false leaves the canisters' own deterministic clocks alone.
         */
        public Builder canisterClocksFollowReplica(boolean follow) {
            this.canisterClocksFollowReplica = follow;
            return this;
        }

        /** Threads serving HTTP requests (8 by default). */
        public Builder httpThreads(int threads) {
            if (threads <= 0) {
                throw new IllegalArgumentException("At least one thread: " + threads);
            }
            this.httpThreads = threads;
            return this;
        }

        /** The subnet's canister id range (certified at {@code /subnet/<id>/canister_ranges}). */
        public Builder canisterRange(Principal low, Principal high) {
            if (low.compareTo(high) > 0) {
                throw new IllegalArgumentException("An empty range: " + low + " > " + high);
            }
            this.rangeLow = low;
            this.rangeHigh = high;
            return this;
        }

        /** Starts the server on 127.0.0.1. */
        public LocalReplica start() {
            try {
                return new LocalReplica(this);
            } catch (IOException e) {
                throw new UncheckedIOException("The stand-in replica could not listen on 127.0.0.1:" + port, e);
            }
        }
    }

    // ---- what it serves ----

    /** The base URL, e.g. {@code http://127.0.0.1:43210}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The DER-encoded BLS root public key (what {@code /api/v2/status} serves as {@code root_key}). */
    public byte[] rootKeyDer() {
        return rootKey.publicKeyDer();
    }

    /** The subnet's id (the self-authenticating principal of the root key). */
    public Principal subnetId() {
        return certifier.subnetId();
    }

    /** The node's id (the self-authenticating principal of its Ed25519 key, which signs query responses). */
    public Principal nodeId() {
        return nodeKey.nodeId();
    }

    /** The node's DER-encoded Ed25519 public key. */
    public byte[] nodePublicKeyDer() {
        return nodeKey.publicKeyDer();
    }

    /** Hosts another canister; its id must be new and inside the subnet's range. */
    public void addCanister(LocalCanister canister) {
        Principal id = canister.canisterId();
        if (id.compareTo(rangeLow) < 0 || id.compareTo(rangeHigh) > 0) {
            throw new IllegalArgumentException("The canister id " + id + " is outside this subnet's range "
                    + rangeLow + " to " + rangeHigh);
        }
        if (canisters.putIfAbsent(id, canister) != null) {
            throw new IllegalArgumentException("A canister with the id " + id + " is hosted already");
        }
    }

    /** The canister with this id, if hosted. */
    public Optional<LocalCanister> canister(Principal id) {
        return Optional.ofNullable(canisters.get(id));
    }

    /** The hosted canisters. */
    public Collection<LocalCanister> canisters() {
        return List.copyOf(canisters.values());
    }

    /** The status of an update call the replica accepted, by request id. */
    public Optional<RequestStatus> requestStatus(byte[] requestId) {
        IngressHistory.Entry entry = history.get(requestId);
        return entry == null ? Optional.empty() : Optional.of(entry.status());
    }

    // ---- test knobs ----

    /** Adds {@code latency} before every request is served (zero turns it off). */
    public void setLatency(Duration latency) {
        traffic.setLatency(latency);
    }

    /** Answers the next {@code requests} requests with 503 Service Unavailable without serving them. */
    public void failNextRequests(int requests) {
        traffic.failNext(requests, HttpError.SERVICE_UNAVAILABLE);
    }

    /** Answers the next {@code requests} requests with {@code status} (4xx or 5xx) without serving them. */
    public void failNextRequests(int requests, int status) {
        traffic.failNext(requests, status);
    }

    /** How many requests arrived, per endpoint. */
    public RequestCounts requestCounts() {
        return traffic.counts();
    }

    /** Sets the request counts back to zero. */
    public void resetRequestCounts() {
        traffic.resetCounts();
    }

    /**
     * Holds the update thread until {@link #releaseUpdates()}: the next accepted call becomes {@code processing} and
     * waits, those after it stay {@code received}.
     */
    public void holdUpdates() {
        gate.hold();
    }

    /** Lets held update calls run, in the order they arrived. */
    public void releaseUpdates() {
        gate.release();
    }

    /** Stops the server and the update thread. */
    @Override
    public void close() {
        server.stop(0);
        gate.release();
        updates.shutdownNow();
        httpThreads.shutdownNow();
        try {
            updates.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LocalReplica[" + url() + ", subnet " + subnetId() + ", " + canisters.size() + " canisters]";
    }

    // ---- for the endpoints ----

    IngressHistory history() {
        return history;
    }

    NodeKey nodeKey() {
        return nodeKey;
    }

    Duration maxIngressExpiry() {
        return maxIngressExpiry;
    }

    Duration syncCallTimeout() {
        return syncCallTimeout;
    }

    LocalCanister canisterOrNull(Principal id) {
        return canisters.get(id);
    }

    long nowNanos() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    /** A certificate of the current state for {@code paths} (and the time). */
    Certificate certify(List<List<Label>> paths) {
        long now = nowNanos();
        history.pruneExpired(now);
        return certifier.certify(history.snapshot(), canisters(), paths, now);
    }

    /** Moves a canister's clock up to the replica's, if they are to follow it. Call with the canister locked. */
    void advanceCanisterClock(LocalCanister canister) {
        if (!canisterClocksFollowReplica) {
            return;
        }
        long now = nowNanos();
        if (now > canister.timeNanos()) {
            canister.setTime(Instant.ofEpochSecond(now / 1_000_000_000L, now % 1_000_000_000L));
        }
    }

    /** Queues an accepted update call: it runs on the update thread, one call at a time. */
    void submitUpdate(LocalCanister canister, Request.Call call) {
        byte[] requestId = call.header().requestId();
        updates.execute(() -> {
            history.update(requestId, new RequestStatus.Processing());
            try {
                gate.awaitOpen();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            RequestStatus outcome;
            try {
                CallResult result;
                synchronized (canister) {
                    advanceCanisterClock(canister);
                    result = canister.updateAccepted(call.methodName(), call.arg(), call.header().sender());
                }
                outcome = RequestStatus.of(result);
            } catch (RuntimeException e) {
                outcome = new RequestStatus.Rejected(5, "The stand-in replica failed to run the call: " + e,
                        "IC0500");
            }
            history.update(requestId, outcome);
        });
    }
}

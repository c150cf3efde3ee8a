package dev.tealama.cli.canister;

import org.ic4j.agent.Agent;
import org.ic4j.agent.AgentError;
import org.ic4j.agent.RequestStatusResponse;
import org.ic4j.agent.requestid.RequestId;
import org.ic4j.candid.CandidError;
import org.ic4j.types.Principal;
import org.ic4j.types.PrincipalError;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calls to a canister on a replica through DFINITY's JVM agent (ic4j 0.7.2), with the agent's traps handled:
 * <ul>
 *   <li>an update call is submitted, then its status is polled with {@code requestStatusRaw} every few milliseconds
 *       at first, backing off to {@link #MAX_POLL_INTERVAL} (ic4j's own {@code Waiter} sleeps whole seconds);</li>
 *   <li>certificates are verified (the agent's default) and query responses' node signatures too;</li>
 *   <li>{@link AgentError}, {@link CandidError} and {@link PrincipalError} are {@link Error}s, not exceptions: they are
 *       caught here and become {@link CanisterCallException}s that name the method.</li>
 * </ul>
 */
final class AgentCalls implements CanisterCalls {
    static final Duration FIRST_POLL_INTERVAL = Duration.ofMillis(5);
    static final Duration MAX_POLL_INTERVAL = Duration.ofMillis(250);
    /** A call's outcome stays readable until its ingress expiry (ic4j: 4 minutes ahead); wait a little longer. */
    static final Duration OUTCOME_TIMEOUT = Duration.ofMinutes(6);

    private static final Pattern TRAP_MESSAGE = Pattern.compile("(?s).*?(?:with message: '|trapped explicitly: )(.*?)'?"
            + "(?:\\.?\\s*Consider gracefully handling.*)?$");

    private final Agent agent;
    private final Principal canister;
    private final String url;
    private final String caller;
    private long updates;
    private long queries;

    /**
     * @param agent    an agent with its identity, transport and root key set up
     * @param canister the canister called (also the effective canister id)
     * @param url      the replica's URL, for messages
     * @param caller   the agent identity's principal, for messages
     */
    AgentCalls(Agent agent, Principal canister, String url, Principal caller) {
        this.agent = agent;
        this.canister = canister;
        this.url = url;
        this.caller = caller.toString();
    }

    @Override
    public byte[] update(String method, byte[] argument) {
        updates++;
        RequestId id = await(method, () -> agent.updateRaw(canister, canister, method, argument, Optional.empty()));
        return awaitOutcome(method, id);
    }

    @Override
    public byte[] query(String method, byte[] argument) {
        queries++;
        return await(method, () -> agent.queryRaw(canister, canister, method, argument, Optional.empty(), true));
    }

    @Override
    public CallCount count() {
        return new CallCount(updates, queries);
    }

    @Override
    public String describe() {
        return "canister " + canister + " at " + url + ", as " + callerPrincipal();
    }

    @Override
    public String callerPrincipal() {
        return caller;
    }

    /** Polls the call's status until it has replied or been rejected. */
    private byte[] awaitOutcome(String method, RequestId id) {
        long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
        long sleepMillis = FIRST_POLL_INTERVAL.toMillis();
        while (true) {
            RequestStatusResponse status = null;
            try {
                status = await(method, () -> agent.requestStatusRaw(id, canister));
            } catch (LookupAbsent notYet) {
                // the replica has not recorded the call yet (or not certified it): keep polling
            }
            if (status != null) {
                switch (status.status) {
                    case REPLIED_STATUS:
                        return status.replied.get().arg;
                    case REJECTED_STATUS:
                        RequestStatusResponse.Rejected r = status.rejected.get();
                        throw rejected(method, r.rejectCode == null ? 0 : r.rejectCode, r.rejectMessage);
                    case DONE_STATUS:
                        throw new CanisterCallException(CanisterCallException.Kind.INVALID_ANSWER, method + ": the call "
                                + id.toHexString() + " is done but its reply is no longer available", null);
                    default:
                        break; // received, processing, unknown: not yet
                }
            }
            if (System.nanoTime() > deadline) {
                throw new CanisterCallException(CanisterCallException.Kind.TIMEOUT, method + ": no outcome after "
                        + OUTCOME_TIMEOUT.toMinutes() + " minutes (request id " + id.toHexString() + "); the canister may"
                        + " still run it", null);
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CanisterCallException(CanisterCallException.Kind.TIMEOUT, method + ": interrupted while "
                        + "waiting for the outcome", e);
            }
            sleepMillis = Math.min(MAX_POLL_INTERVAL.toMillis(), sleepMillis * 3 / 2 + 1);
        }
    }

    /** A request the agent starts; its failures arrive as exceptions or as {@link Error}s. */
    private interface Request<T> {
        Future<T> start();
    }

    /** The status lookup found no entry for the request yet. */
    private static final class LookupAbsent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LookupAbsent() {
            super(null, null, false, false);
        }
    }

    private <T> T await(String method, Request<T> request) {
        try {
            return request.start().get();
        } catch (ExecutionException e) {
            throw translate(method, unwrap(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CanisterCallException(CanisterCallException.Kind.TIMEOUT, method + ": interrupted", e);
        } catch (AgentError | CandidError | PrincipalError e) { // thrown before the future exists
            throw translate(method, e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A failure of {@code method} in words; a status lookup that found nothing is {@link LookupAbsent}. */
    private RuntimeException translate(String method, Throwable failure) {
        // ic4j wraps the real failure in layers (CUSTOM_ERROR "{0}", TRANSPORT_ERROR, ExecutionException): find it
        AgentError specific = null;
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CanisterCallException c) { // from the transport
                return c.during(method);
            }
            if (specific == null && t instanceof AgentError a && a.getCode() != AgentError.AgentErrorCode.CUSTOM_ERROR
                    && a.getCode() != AgentError.AgentErrorCode.TRANSPORT_ERROR) {
                specific = a;
            }
            if (t instanceof CandidError) {
                return CanisterCallException.undecodable(method, t);
            }
            deepest = t;
        }
        if (specific != null) {
            switch (specific.getCode()) {
                case LOOKUP_PATH_ABSENT:
                case LOOKUP_PATH_UNKNOWN:
                    return new LookupAbsent();
                case REPLICA_ERROR:
                    return rejected(method, 0, specific.getMessage());
                case CERTIFICATE_VERIFICATION_FAILED:
                case CERTIFICATE_NOT_AUTHORIZED:
                case QUERY_SIGNATURE_VERIFICATION_FAILED:
                case MISSING_SIGNATURE:
                case MALFORMED_SIGNATURE:
                case DER_KEY_LENGTH_MISMATCH:
                    return new CanisterCallException(CanisterCallException.Kind.INVALID_ANSWER, method + ": the "
                            + "replica's answer did not verify (" + specific.getMessage() + "), so it is refused. A local"
                            + " replica's root key is fetched from it (--network local); the IC's is built in "
                            + "(--network ic)", failure);
                default:
                    return new CanisterCallException(CanisterCallException.Kind.INVALID_ANSWER, method + ": "
                            + specific.getMessage(), failure);
            }
        }
        String message = deepest.getMessage();
        return new CanisterCallException(CanisterCallException.Kind.INVALID_ANSWER, method + ": "
                + (message == null || message.contains("{0}") ? deepest.getClass().getSimpleName() : message), failure);
    }

    private CanisterCallException rejected(String method, int rejectCode, String message) {
        String text = canisterMessage(message);
        if (text.startsWith(method + ": ")) { // the canister names the method itself
            text = text.substring(method.length() + 2);
        }
        StringBuilder why = new StringBuilder("the canister refused " + method + ": " + text);
        if (rejectCode != 0) {
            why.append(" (reject code ").append(rejectCode).append(')');
        }
        if (text.contains("only a controller")) {
            String me = callerPrincipal();
            why.append(". You are ").append(me).append("; a controller can add you with `dfx canister update-settings")
                    .append(" tealama --add-controller ").append(me).append("`, or pass a controller's key with ")
                    .append("--identity (dfx identity export NAME > key.pem)");
        }
        return CanisterCallException.rejected(rejectCode, why.toString());
    }

    /** The canister's own words in a replica's reject message ("... with message: 'upload_begin: ...'"). */
    static String canisterMessage(String rejectMessage) {
        if (rejectMessage == null) {
            return "(no message)";
        }
        Matcher m = TRAP_MESSAGE.matcher(rejectMessage.strip());
        if (m.matches() && !m.group(1).isBlank()) {
            return m.group(1).strip();
        }
        return rejectMessage.strip();
    }
}

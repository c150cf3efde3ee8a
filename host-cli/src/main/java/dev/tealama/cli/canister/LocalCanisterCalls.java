package dev.tealama.cli.canister;

import dev.tealama.ichost.CallResult;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;

import java.util.ArrayList;
import java.util.List;

/**
 * Calls to a canister running in this JVM's metered local IC host (ic-host's {@link LocalCanister}), as one caller:
 * what {@code tealama canister simulate} uses instead of a replica. Each call's instruction count is recorded.
 */
final class LocalCanisterCalls implements CanisterCalls {
    private final LocalCanister canister;
    private final Principal caller;
    private final List<Long> instructions = new ArrayList<>();
    private long updates;
    private long queries;

    LocalCanisterCalls(LocalCanister canister, Principal caller) {
        this.canister = canister;
        this.caller = caller;
    }

    @Override
    public byte[] update(String method, byte[] argument) {
        updates++;
        return outcome(method, canister.update(method, argument, caller));
    }

    @Override
    public byte[] query(String method, byte[] argument) {
        queries++;
        return outcome(method, canister.query(method, argument, caller));
    }

    private byte[] outcome(String method, CallResult result) {
        instructions.add(result.instructions());
        if (result instanceof CallResult.Reject reject) {
            String text = AgentCalls.canisterMessage(reject.message());
            if (text.startsWith(method + ": ")) {
                text = text.substring(method.length() + 2);
            }
            throw CanisterCallException.rejected(reject.rejectCode().code(), "the canister refused " + method + ": "
                    + text + " (" + reject.error().text() + ")");
        }
        return ((CallResult.Reply) result).data();
    }

    /** The instructions of the most recent call. */
    long lastInstructions() {
        return instructions.isEmpty() ? 0 : instructions.get(instructions.size() - 1);
    }

    /** The largest instruction count of any call so far. */
    long maxInstructions() {
        long max = 0;
        for (long n : instructions) {
            max = Math.max(max, n);
        }
        return max;
    }

    @Override
    public CallCount count() {
        return new CallCount(updates, queries);
    }

    @Override
    public String describe() {
        return "canister " + canister.canisterId() + " in the local IC host, as " + caller;
    }

    @Override
    public String callerPrincipal() {
        return caller.toString();
    }
}

package dev.tealama.cli.canister;

/**
 * Calls to one canister, as raw Candid messages: over the network through ic4j ({@link AgentCalls}) or to a canister
 * running in this JVM's metered local IC host ({@link LocalCanisterCalls}, for {@code tealama canister simulate}).
 * A reject or any other failure is a {@link CanisterCallException} naming the method.
 */
public interface CanisterCalls {

    /** An update call; its reply. */
    byte[] update(String method, byte[] argument);

    /** A query; its reply. */
    byte[] query(String method, byte[] argument);

    /** How many update calls and queries were made so far (each costs a base fee, for updates). */
    CallCount count();

    /** Who calls what, for messages: "canister X at URL, as principal Y". */
    String describe();

    /** The caller's principal, in its textual form. */
    String callerPrincipal();

    /** Update calls and queries made. */
    record CallCount(long updates, long queries) {
    }
}

package dev.tealama.ichost;

/**
 * What a piece of canister code runs as; decides which System API functions it may call (the interface
 * specification's availability marks) and which limits apply.
 */
public enum MessageKind {
    /** The Wasm start function, run when the module is instantiated (the specification's "s"). */
    START("start"),
    /** {@code canister_init} (the specification's "I"). */
    INIT("init"),
    /** {@code canister_pre_upgrade} ("G"). */
    PRE_UPGRADE("pre_upgrade"),
    /** {@code canister_post_upgrade} (also "I"). */
    POST_UPGRADE("post_upgrade"),
    /** {@code canister_inspect_message} ("F"). */
    INSPECT_MESSAGE("inspect_message"),
    /** An update method ("U"). */
    UPDATE("update"),
    /** A query method (replicated or not, "RQ"/"NRQ"). */
    QUERY("query");

    private final String mode;

    MessageKind(String mode) {
        this.mode = mode;
    }

    /** The word the replica uses for this mode in its contract-violation messages. */
    String mode() {
        return mode;
    }

    boolean isInstallOrUpgrade() {
        return this == START || this == INIT || this == PRE_UPGRADE || this == POST_UPGRADE;
    }

    boolean mayReply() {
        return this == UPDATE || this == QUERY;
    }

    boolean hasArgument() {
        return this == INIT || this == POST_UPGRADE || this == UPDATE || this == QUERY || this == INSPECT_MESSAGE;
    }
}

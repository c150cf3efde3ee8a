package dev.tealama.cli.canister;

import dev.tealama.cli.canister.CanisterTypes.SessionStarted;

/**
 * Frees the canister session a command holds: when the command ends (a finished session's KV cache is then released at
 * once, not when the canister needs room), when it fails, and when the program is stopped (Ctrl-C) mid-generation:
 * a session still running would otherwise occupy one of the canister's few session slots.
 */
final class SessionGuard implements AutoCloseable {
    private final TealamaCanister canister;
    private final Thread hook;
    private Long held;
    private int cancelCalls;

    SessionGuard(TealamaCanister canister) {
        this.canister = canister;
        this.hook = new Thread(this::release, "tealama-session-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command now holds this session (a continued session replaces the one it continued from). */
    synchronized void started(SessionStarted session) {
        held = session.id();
    }

    /** Cancels the held session, if any; a failure is ignored (the canister drops finished sessions itself). */
    synchronized void release() {
        if (held == null) {
            return;
        }
        long id = held;
        held = null;
        try {
            cancelCalls++;
            canister.sessionCancel(id);
        } catch (RuntimeException e) {
            // best effort: the session may be gone already (an upgrade, a new upload)
        }
    }

    /** session_cancel calls made. */
    synchronized int cancelCalls() {
        return cancelCalls;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook runs (or ran) release itself
        }
        release();
    }
}

package dev.tealama.canister.api;

import dev.tealama.TealamaException;
import dev.tealama.canister.ic.candid.RecordValue;
import dev.tealama.canister.store.StableStore;

/**
 * The canister's settings (Candid {@code Config}); a value of 0 in the stored form means "the default".
 *
 * @param stepInstructions Wasm instructions one {@code session_step} may use for work
 * @param loadInstructions Wasm instructions one {@code load} call may use
 * @param maxSessions      most sessions held at once
 * @param maxContext       most context positions per session
 */
public record Config(long stepInstructions, long loadInstructions, int maxSessions, int maxContext) {
    /** The IC stops an update message at 40 B instructions; the defaults keep a quarter of that in reserve. */
    public static final long UPDATE_LIMIT = 40_000_000_000L;
    public static final long DEFAULT_STEP_INSTRUCTIONS = 30_000_000_000L;
    public static final long DEFAULT_LOAD_INSTRUCTIONS = 30_000_000_000L;
    public static final int DEFAULT_MAX_SESSIONS = 4;
    public static final int DEFAULT_MAX_CONTEXT = 2048;

    public Config {
        if (stepInstructions < 1_000_000 || stepInstructions > UPDATE_LIMIT) {
            throw new TealamaException("step_instructions must be between 1,000,000 and " + UPDATE_LIMIT + " (got "
                    + stepInstructions + ")");
        }
        if (loadInstructions < 100_000_000 || loadInstructions > UPDATE_LIMIT) {
            throw new TealamaException("load_instructions must be between 100,000,000 and " + UPDATE_LIMIT + " (got "
                    + loadInstructions + ")");
        }
        if (maxSessions < 1 || maxSessions > 1000) {
            throw new TealamaException("max_sessions must be between 1 and 1000 (got " + maxSessions + ")");
        }
        if (maxContext < 16 || maxContext > 1 << 20) {
            throw new TealamaException("max_context must be between 16 and 1048576 (got " + maxContext + ")");
        }
    }

    public static Config defaults() {
        return new Config(DEFAULT_STEP_INSTRUCTIONS, DEFAULT_LOAD_INSTRUCTIONS, DEFAULT_MAX_SESSIONS, DEFAULT_MAX_CONTEXT);
    }

    /** This configuration with the fields a Candid {@code Config} sets replaced. */
    public Config with(RecordValue c) {
        if (c == null) {
            return this;
        }
        return new Config(
                c.get("step_instructions") == null ? stepInstructions : (Long) c.get("step_instructions"),
                c.get("load_instructions") == null ? loadInstructions : (Long) c.get("load_instructions"),
                c.get("max_sessions") == null ? maxSessions : Math.toIntExact(Math.min((Long) c.get("max_sessions"), 1L << 30)),
                c.get("max_context") == null ? maxContext : Math.toIntExact(Math.min((Long) c.get("max_context"), 1L << 30)));
    }

    public RecordValue toCandid() {
        return new RecordValue(Interface.CONFIG)
                .set("step_instructions", stepInstructions)
                .set("load_instructions", loadInstructions)
                .set("max_sessions", (long) maxSessions)
                .set("max_context", (long) maxContext);
    }

    public static Config fromStored(StableStore.StoredConfig s) {
        Config d = defaults();
        return new Config(
                s.stepInstructions() == 0 ? d.stepInstructions : s.stepInstructions(),
                s.loadInstructions() == 0 ? d.loadInstructions : s.loadInstructions(),
                s.maxSessions() == 0 ? d.maxSessions : s.maxSessions(),
                s.maxContext() == 0 ? d.maxContext : s.maxContext());
    }

    public StableStore.StoredConfig toStored() {
        return new StableStore.StoredConfig(stepInstructions, loadInstructions, maxSessions, maxContext);
    }
}

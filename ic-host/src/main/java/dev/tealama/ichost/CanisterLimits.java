package dev.tealama.ichost;

/**
 * The limits a message runs under. {@link #ic()} gives the IC's values (application subnet); the {@code with...}
 * methods change one of them, e.g. a smaller instruction limit to test a runaway loop quickly.
 *
 * @param instructions               Wasm instructions one message may execute, per kind of message: update 40 B,
 *                                   query 5 B, install/upgrade 300 B (for start, {@code canister_pre_upgrade} and
 *                                   {@code canister_post_upgrade} together)
 * @param inspectMessageInstructions instructions {@code canister_inspect_message} may execute (200 M)
 * @param stableAccessedBytes        stable memory one message may touch (read or write), counted in 4 KiB pages:
 *                                   2 GiB for updates, 1 GiB for queries, 8 GiB for install/upgrade
 * @param stableDirtyBytes           stable memory one message may write, counted in 4 KiB pages, same values
 * @param wasmMemoryLimitBytes       the canister's {@code wasm_memory_limit} (3 GiB by default); growing the Wasm
 *                                   memory past it traps. This host cannot give more than {@link #HOST_MAX_WASM_MEMORY}
 * @param stableMemoryMaxBytes       the largest stable memory (500 GiB); {@code stable64_grow} past it returns -1
 * @param maxUpdateReplyBytes        the largest reply of an update (2 MiB)
 * @param maxQueryReplyBytes         the largest reply of a query (3 MiB)
 * @param maxIngressBytes            the largest argument of an ingress message (2 MiB)
 */
public record CanisterLimits(
        PerKind instructions,
        long inspectMessageInstructions,
        PerKind stableAccessedBytes,
        PerKind stableDirtyBytes,
        long wasmMemoryLimitBytes,
        long stableMemoryMaxBytes,
        int maxUpdateReplyBytes,
        int maxQueryReplyBytes,
        int maxIngressBytes) {

    private static final long KIB = 1024;
    private static final long MIB = KIB * KIB;
    private static final long GIB = MIB * KIB;

    /**
     * The most Wasm memory this host can give a canister: Chicory holds a memory in Java arrays and caps it at
     * 32,767 pages (2 GiB - 64 KiB), where the IC allows 4 GiB. Growing past it traps with a message that says so.
     */
    public static final long HOST_MAX_WASM_MEMORY = 32_767L * 65_536;

    /**
     * A limit that depends on the kind of message.
     *
     * @param update  for updates ({@code canister_update}) and everything not named below
     * @param query   for queries
     * @param install for install, reinstall and upgrade
     */
    public record PerKind(long update, long query, long install) {
        public PerKind {
            if (update <= 0 || query <= 0 || install <= 0) {
                throw new IllegalArgumentException("Limits must be positive: " + update + ", " + query + ", "
                        + install);
            }
        }
    }

    public CanisterLimits {
        if (inspectMessageInstructions <= 0 || wasmMemoryLimitBytes <= 0 || stableMemoryMaxBytes < 0
                || maxUpdateReplyBytes <= 0 || maxQueryReplyBytes <= 0 || maxIngressBytes <= 0) {
            throw new IllegalArgumentException("Limits must be positive");
        }
    }

    /** The IC's limits. */
    public static CanisterLimits ic() {
        return new CanisterLimits(
                new PerKind(40_000_000_000L, 5_000_000_000L, 300_000_000_000L),
                200_000_000L,
                new PerKind(2 * GIB, 1 * GIB, 8 * GIB),
                new PerKind(2 * GIB, 1 * GIB, 8 * GIB),
                3 * GIB,
                500 * GIB,
                (int) (2 * MIB),
                (int) (3 * MIB),
                (int) (2 * MIB));
    }

    /** These limits with other instruction limits. */
    public CanisterLimits withInstructions(long update, long query, long install) {
        return new CanisterLimits(new PerKind(update, query, install), inspectMessageInstructions,
                stableAccessedBytes, stableDirtyBytes, wasmMemoryLimitBytes, stableMemoryMaxBytes,
                maxUpdateReplyBytes, maxQueryReplyBytes, maxIngressBytes);
    }

    /** These limits with another {@code wasm_memory_limit}. */
    public CanisterLimits withWasmMemoryLimit(long bytes) {
        return new CanisterLimits(instructions, inspectMessageInstructions, stableAccessedBytes, stableDirtyBytes,
                bytes, stableMemoryMaxBytes, maxUpdateReplyBytes, maxQueryReplyBytes, maxIngressBytes);
    }

    /** These limits with other per-message stable memory limits (both accessed and written bytes). */
    public CanisterLimits withStableAccessLimits(long update, long query, long install) {
        PerKind limit = new PerKind(update, query, install);
        return new CanisterLimits(instructions, inspectMessageInstructions, limit, limit, wasmMemoryLimitBytes,
                stableMemoryMaxBytes, maxUpdateReplyBytes, maxQueryReplyBytes, maxIngressBytes);
    }

    /** These limits with another maximum stable memory size. */
    public CanisterLimits withStableMemoryMax(long bytes) {
        return new CanisterLimits(instructions, inspectMessageInstructions, stableAccessedBytes, stableDirtyBytes,
                wasmMemoryLimitBytes, bytes, maxUpdateReplyBytes, maxQueryReplyBytes, maxIngressBytes);
    }
}

package dev.tealama.icreplica;

/**
 * How many requests the replica received per endpoint (injected failures and refused requests included).
 *
 * @param status    {@code GET /api/v2/status}
 * @param call      {@code /api/v2/.../call} and {@code /api/v3/.../call}
 * @param query     {@code /api/v2/.../query}
 * @param readState {@code /api/v2/.../read_state}, canister and subnet forms
 * @param other     requests to paths that are no endpoint
 */
public record RequestCounts(long status, long call, long query, long readState, long other) {

    /** All requests. */
    public long total() {
        return status + call + query + readState + other;
    }
}

package dev.tealama.cli.canister;

import java.nio.file.Path;

/**
 * A replica with the real Tealama canister ({@code wasm-canister/target/tealama.wasm}) installed, that the tests
 * drive through the client's real code path (ic4j over HTTP, certificates verified): the stand-in replica
 * ({@link StandInReplica}) always, a dfx replica ({@link DfxReplica}) when dfx is on the PATH.
 */
interface ReplicaUnderTest extends AutoCloseable {

    /** The replica's URL. */
    String url();

    /** The canister's id. */
    String canisterId();

    /** A PEM file of one of the canister's controllers. */
    Path controllerPem();

    /** What this replica is, for messages. */
    String describe();

    @Override
    void close();
}

package dev.tealama.cli.canister;

import java.nio.file.Path;

/**
 * The client contract against a real local replica started with dfx, when dfx is on the PATH. Without dfx every
 * test of this class is reported as skipped, with the reason.
 */
class DfxReplicaTest extends CanisterClientContract {
    private static final boolean DFX = DfxReplica.available();

    @Override
    String unavailableBecause() {
        return DFX ? null : "dfx is not on the PATH: the client tests against a real local replica were skipped (the "
                + "same tests ran against the stand-in replica, StandInReplicaTest)";
    }

    @Override
    ReplicaUnderTest startReplica(Path dir) {
        return DfxReplica.start(dir);
    }
}

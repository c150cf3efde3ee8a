package dev.tealama.cli.canister;

import dev.tealama.ichost.CanisterLimits;
import dev.tealama.ichost.LocalCanister;
import dev.tealama.ichost.Principal;
import dev.tealama.icreplica.LocalReplica;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ic-replica's stand-in replica on loopback (the IC's HTTP interface, BLS-signed certificates under its own root key)
 * hosting the real canister module in the metered local IC host, controlled by a secp256k1 key whose PEM file is
 * written as older dfx versions export it (an EC PARAMETERS block first).
 */
final class StandInReplica implements ReplicaUnderTest {
    /** Each replica gets a new canister id: ic4j caches a canister's subnet (and its node keys) by canister id. */
    private static final AtomicLong NEXT_CANISTER = new AtomicLong(1000);

    final LocalReplica replica;
    final LocalCanister canister;
    private final Path controllerPem;

    private StandInReplica(LocalReplica replica, LocalCanister canister, Path controllerPem) {
        this.replica = replica;
        this.canister = canister;
        this.controllerPem = controllerPem;
    }

    static StandInReplica start(Path dir) {
        String pem = TestKeys.secp256k1("controller", true);
        Path pemFile = TestKeys.write(dir, "controller.pem", pem);
        Principal controller = Principal.of(Identities.fromPem(pem, "the controller's key").sender().getValue());
        LocalCanister canister = LocalCanister.builder()
                .canisterId(Principal.canisterId(NEXT_CANISTER.getAndIncrement()))
                .limits(CanisterLimits.ic())
                .debugSink(text -> { })
                .build();
        canister.install(CanisterModule.bytes(), new byte[0], Set.of(controller)).replyOrThrow();
        return new StandInReplica(LocalReplica.builder().canister(canister).start(), canister, pemFile);
    }

    @Override
    public String url() {
        return replica.url();
    }

    @Override
    public String canisterId() {
        return canister.canisterId().toString();
    }

    @Override
    public Path controllerPem() {
        return controllerPem;
    }

    @Override
    public String describe() {
        return "the stand-in replica at " + url();
    }

    @Override
    public void close() {
        replica.close();
    }
}

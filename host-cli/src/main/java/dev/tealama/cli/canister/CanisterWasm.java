package dev.tealama.cli.canister;

import dev.tealama.TealamaException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the built canister module, {@code wasm-canister/target/tealama.wasm}, for {@code simulate}: the CLI does not
 * embed it (building the CLI needs no Node.js; the canister's build does). It is looked for in the project this
 * program was built in (beside {@code host-cli/target/}) and in the dfx project around the current directory.
 */
public final class CanisterWasm {
    /** Where the canister's build writes the module, relative to the project. */
    public static final Path RELATIVE = Path.of("wasm-canister", "target", "tealama.wasm");

    private CanisterWasm() {
    }

    /** The places looked at, in order. */
    public static List<Path> candidates() {
        Set<Path> places = new LinkedHashSet<>();
        builtProject().ifPresent(project -> places.add(project.resolve(RELATIVE)));
        places.add(CanisterIds.projectOf(Path.of("")).resolve(RELATIVE));
        places.add(Path.of("").toAbsolutePath().resolve(RELATIVE));
        return new ArrayList<>(places);
    }

    /** The module's bytes: {@code explicit} if given, else the first candidate that exists. */
    public static Module read(Path explicit) {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) {
                throw new TealamaException("the canister module " + explicit + " (--wasm) does not exist");
            }
            return load(explicit);
        }
        List<Path> places = candidates();
        for (Path place : places) {
            if (Files.isRegularFile(place)) {
                return load(place);
            }
        }
        throw new TealamaException("the canister module tealama.wasm is not built (looked for "
                + String.join(", ", places.stream().map(Path::toString).toList()) + "): build it with `mvn -pl "
                + "wasm-canister -am install -DskipTests` (needs Node.js, npm and wabt) or pass --wasm FILE");
    }

    /** A module file and its bytes. */
    public record Module(Path path, byte[] bytes) {
    }

    private static Module load(Path path) {
        try {
            return new Module(path, Files.readAllBytes(path));
        } catch (IOException e) {
            throw new TealamaException("cannot read the canister module " + path + ": " + e.getMessage(), e);
        }
    }

    /** The project whose host-cli/target holds this program's classes or jar, if it runs from there. */
    private static java.util.Optional<Path> builtProject() {
        try {
            Path code = Path.of(CanisterWasm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent(); // host-cli/target (from target/classes or target/tealama.jar)
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && target.getParent() != null && target.getParent().getParent() != null) {
                return java.util.Optional.of(target.getParent().getParent());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // unknown location: only the current directory is looked at
        }
        return java.util.Optional.empty();
    }
}

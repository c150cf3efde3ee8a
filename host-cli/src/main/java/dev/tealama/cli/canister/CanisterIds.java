package dev.tealama.cli.canister;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tealama.TealamaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Canister ids as dfx records them: {@code .dfx/local/canister_ids.json} for the local network (written by
 * {@code dfx deploy}) and {@code canister_ids.json} at the project's root for the others ({@code ic}), both shaped
 * {@code {"tealama": {"local": "bkyz2-fmaaa-aaaaa-qaaaq-cai"}}}.
 */
public final class CanisterIds {
    private CanisterIds() {
    }

    /** The files that may name the canister on {@code network}, in the order dfx consults them. */
    public static List<Path> files(Path project, String network) {
        List<Path> files = new ArrayList<>();
        if (!network.equals("ic")) {
            files.add(project.resolve(".dfx").resolve(network).resolve("canister_ids.json"));
        }
        files.add(project.resolve("canister_ids.json"));
        return files;
    }

    /** The id of canister {@code name} on {@code network} in the project's files, if one records it. */
    public static Optional<String> find(Path project, String name, String network) {
        for (Path file : files(project, network)) {
            Optional<String> id = read(file, name, network);
            if (id.isPresent()) {
                return id;
            }
        }
        return Optional.empty();
    }

    /** The id of canister {@code name} on {@code network} in one file; empty if the file or the entry is missing. */
    public static Optional<String> read(Path file, String name, String network) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new TealamaException(file + " is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new TealamaException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode id = root == null ? null : root.path(name).get(network);
        if (id == null || id.isNull()) {
            return Optional.empty();
        }
        if (!id.isTextual()) {
            throw new TealamaException(file + ": " + name + "." + network + " should be a canister id text, not "
                    + id);
        }
        return Optional.of(id.asText());
    }

    /**
     * The directory of the dfx project {@code start} is in: the nearest one, upwards, holding a {@code dfx.json}
     * (as dfx looks for it); {@code start} itself if there is none.
     */
    public static Path projectOf(Path start) {
        Path absolute = start.toAbsolutePath().normalize();
        for (Path dir = absolute; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("dfx.json"))) {
                return dir;
            }
        }
        return absolute;
    }
}

package dev.tealama.cli.canister;

import dev.tealama.TealamaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Canister ids from dfx's files: .dfx/local/canister_ids.json (dfx deploy, local) and canister_ids.json (ic). */
class CanisterIdsTest {
    private static final String LOCAL = "bkyz2-fmaaa-aaaaa-qaaaq-cai";
    private static final String IC = "ryjl3-tyaaa-aaaaa-aaaba-cai";

    @TempDir
    Path project;

    private void write(String file, String json) throws IOException {
        Path path = project.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, json);
    }

    @Test
    void theLocalNetworkReadsDfxsOwnFileFirst() throws IOException {
        write(".dfx/local/canister_ids.json", "{\"tealama\": {\"local\": \"" + LOCAL + "\"}, \"other\": {}}");
        write("canister_ids.json", "{\"tealama\": {\"ic\": \"" + IC + "\", \"local\": \"aaaaa-aa\"}}");
        assertEquals(Optional.of(LOCAL), CanisterIds.find(project, "tealama", "local"));
        assertEquals(Optional.of(IC), CanisterIds.find(project, "tealama", "ic"));
        assertEquals(Optional.empty(), CanisterIds.find(project, "other", "local"));
        assertEquals(Optional.empty(), CanisterIds.find(project, "missing", "ic"));
    }

    @Test
    void theIcNetworkNeverReadsTheLocalFile() throws IOException {
        write(".dfx/ic/canister_ids.json", "{\"tealama\": {\"ic\": \"" + LOCAL + "\"}}");
        assertEquals(Optional.empty(), CanisterIds.find(project, "tealama", "ic"));
        assertEquals(1, CanisterIds.files(project, "ic").size());
    }

    @Test
    void malformedFilesAreNamed() throws IOException {
        write("canister_ids.json", "{\"tealama\": ");
        TealamaException e = assertThrows(TealamaException.class, () -> CanisterIds.find(project, "tealama", "ic"));
        assertTrue(e.getMessage().contains("canister_ids.json is not valid JSON"), e.getMessage());
        write("canister_ids.json", "{\"tealama\": {\"ic\": 42}}");
        e = assertThrows(TealamaException.class, () -> CanisterIds.find(project, "tealama", "ic"));
        assertTrue(e.getMessage().contains("tealama.ic should be a canister id text"), e.getMessage());
    }

    @Test
    void theProjectIsTheNearestDirectoryUpwardsWithADfxJson() throws IOException {
        write("dfx.json", "{}");
        Path deep = Files.createDirectories(project.resolve("a/b/c"));
        assertEquals(project.toAbsolutePath().normalize(), CanisterIds.projectOf(deep));
    }
}

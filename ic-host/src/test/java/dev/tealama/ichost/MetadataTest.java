package dev.tealama.ichost;

import static dev.tealama.ichost.LocalCanisterTest.ALICE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code icp:public <name>} and {@code icp:private <name>} custom sections of a module: what a replica serves at
 * {@code /canister/<id>/metadata/<name>} (interface specification, "Canister information").
 */
class MetadataTest {

    @Test
    void icpCustomSectionsAreTheModulesMetadata() {
        ByteArrayOutputStream wasm = new ByteArrayOutputStream();
        wasm.writeBytes(Wat.compile("(module (memory 1))"));
        wasm.writeBytes(customSection("icp:public candid:service", "service : {}"));
        wasm.writeBytes(customSection("icp:private notes", "for controllers"));
        wasm.writeBytes(customSection("tealama:other", "not metadata"));
        LocalCanister canister = LocalCanister.builder().build();
        canister.install(wasm.toByteArray(), new byte[0], Set.of(ALICE)).replyOrThrow();

        Map<String, CanisterModule.Metadata> metadata = canister.module().metadata();
        assertEquals(Set.of("candid:service", "notes"), metadata.keySet());
        assertTrue(metadata.get("candid:service").isPublic());
        assertArrayEquals("service : {}".getBytes(StandardCharsets.UTF_8), metadata.get("candid:service").content());
        assertFalse(metadata.get("notes").isPublic());
        assertArrayEquals("for controllers".getBytes(StandardCharsets.UTF_8), metadata.get("notes").content());
    }

    /** A Wasm custom section: id 0, the LEB128 size, the LEB128 name length, the name, the content. */
    static byte[] customSection(String name, String content) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] contentBytes = content.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(nameBytes.length);
        body.writeBytes(nameBytes);
        body.writeBytes(contentBytes);
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        section.write(0);
        section.write(body.size());
        section.writeBytes(body.toByteArray());
        return section.toByteArray();
    }
}

package dev.tealama.cli.canister;

import org.ic4j.candid.parser.IDLParser;
import org.ic4j.candid.parser.IDLType;
import org.ic4j.candid.types.Label;
import org.ic4j.candid.types.Mode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tealama.cli.canister.Candid.BLOB;
import static dev.tealama.cli.canister.Candid.NAT64;
import static dev.tealama.cli.canister.Candid.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client's Candid types against the root canister.did, as ic4j-candid's own parser reads the file: every type the
 * client encodes or decodes, and every method's arguments, results and mode.
 */
class CanisterTypesTest {
    private static Map<String, IDLType> types;
    private static Map<String, IDLType> methods;

    @BeforeAll
    static void parseCanisterDid() throws IOException {
        try (Reader reader = Files.newBufferedReader(CanisterModule.project().resolve("canister.did"))) {
            IDLParser parser = new IDLParser(reader);
            parser.parse();
            types = parser.getTypes();
            methods = parser.getServices().values().iterator().next().getMeths();
        }
    }

    /** A canonical text of a type: records with their fields sorted, references resolved. */
    static String describe(IDLType t) {
        switch (t.getType()) {
            case OPT:
                return "opt " + describe(t.getInnerType());
            case VEC:
                return "vec " + describe(t.getInnerType());
            case RECORD: {
                Map<String, String> fields = new TreeMap<>();
                for (Map.Entry<Label, IDLType> f : t.getTypeMap().entrySet()) {
                    fields.put(f.getKey().toString(), describe(f.getValue()));
                }
                return "record " + fields;
            }
            default:
                return t.getType().name().toLowerCase();
        }
    }

    private static void assertType(String name, IDLType ours) {
        assertEquals(describe(types.get(name)), describe(ours), name);
    }

    @Test
    void everyTypeAsCanisterDidSays() {
        assertType("Config", CanisterTypes.CONFIG);
        assertType("Range", CanisterTypes.RANGE);
        assertType("UploadStatus", CanisterTypes.UPLOAD_STATUS);
        assertType("ChunkReceipt", CanisterTypes.CHUNK_RECEIPT);
        assertType("LoadProgress", CanisterTypes.LOAD_PROGRESS);
        assertType("Memory", CanisterTypes.MEMORY);
        assertType("ModelInfo", CanisterTypes.MODEL_INFO);
        assertType("Turn", CanisterTypes.TURN);
        assertType("SessionOptions", CanisterTypes.SESSION_OPTIONS);
        assertType("SessionStarted", CanisterTypes.SESSION_STARTED);
        assertType("Counters", CanisterTypes.COUNTERS);
        assertType("StepReply", CanisterTypes.STEP_REPLY);
        assertType("SessionStatus", CanisterTypes.SESSION_STATUS);
    }

    private static void assertMethod(String name, boolean query, List<IDLType> args, List<IDLType> results) {
        IDLType method = methods.get(name);
        assertEquals(query, method.getModes().contains(Mode.QUERY), name + " is a query");
        assertEquals(args.stream().map(CanisterTypesTest::describe).toList(),
                method.getArgs().stream().map(CanisterTypesTest::describe).toList(), name + " arguments");
        assertEquals(results.stream().map(CanisterTypesTest::describe).toList(),
                method.getRets().stream().map(CanisterTypesTest::describe).toList(), name + " results");
    }

    @Test
    void everyMethodTheClientCallsAsCanisterDidSays() {
        assertMethod("upload_begin", false, List.of(NAT64, BLOB, TEXT), List.of(CanisterTypes.UPLOAD_STATUS));
        assertMethod("upload_chunk", false, List.of(NAT64, BLOB), List.of(CanisterTypes.CHUNK_RECEIPT));
        assertMethod("upload_status", true, List.of(), List.of(CanisterTypes.UPLOAD_STATUS));
        assertMethod("upload_abort", false, List.of(), List.of());
        assertMethod("load", false, List.of(), List.of(CanisterTypes.LOAD_PROGRESS));
        assertMethod("model_info", true, List.of(), List.of(CanisterTypes.MODEL_INFO));
        assertMethod("configure", false, List.of(CanisterTypes.CONFIG), List.of(CanisterTypes.CONFIG));
        assertMethod("session_start", false, List.of(TEXT, CanisterTypes.SESSION_OPTIONS),
                List.of(CanisterTypes.SESSION_STARTED));
        assertMethod("session_step", false, List.of(NAT64), List.of(CanisterTypes.STEP_REPLY));
        assertMethod("session_status", true, List.of(NAT64), List.of(CanisterTypes.SESSION_STATUS));
        assertMethod("session_cancel", false, List.of(NAT64), List.of());
        assertMethod("session_logits_sha256", true, List.of(NAT64), List.of(BLOB));
        assertEquals(12, methods.size(), "the client covers every method: " + methods.keySet());
    }
}

package dev.tealama.ichost;

import static dev.tealama.ichost.LocalCanisterTest.ALICE;
import static dev.tealama.ichost.LocalCanisterTest.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Modules the IC would refuse at install, refused here with a message that names the problem. */
class ModuleValidatorTest {

    static String refusal(byte[] wasm) {
        LocalCanister canister = LocalCanister.builder().build();
        CallResult.Reject reject = rejected(canister.install(wasm, new byte[0], Set.of(ALICE)));
        assertEquals(ErrorCode.CANISTER_INVALID_WASM, reject.error());
        assertFalse(canister.isInstalled());
        return reject.message();
    }

    static void assertRefused(String wat, String expectedInMessage, String... flags) {
        String message = refusal(Wat.compile(wat, flags));
        assertTrue(message.contains(expectedInMessage), message);
    }

    @Test
    void anImportFromAnotherModuleIsRefusedByName() {
        assertRefused("(module (import \"env\" \"clock\" (func)))", "env.clock");
    }

    @Test
    void anIc0ImportWithTheWrongTypeIsRefused() {
        assertRefused("(module (import \"ic0\" \"msg_reply\" (func (param i32))))",
                "ic0.msg_reply with type (i32) -> (), but the System API declares it () -> ()");
        assertRefused("(module (import \"ic0\" \"stable64_size\" (func (result i32))))", "ic0.stable64_size");
    }

    @Test
    void anIc0FunctionThisHostDoesNotProvideIsRefused() {
        assertRefused("(module (import \"ic0\" \"msg_cycles_available128\" (func (param i32))))",
                "ic0.msg_cycles_available128");
    }

    @Test
    void importedMemoriesTablesAndGlobalsAreRefused() {
        assertRefused("(module (import \"ic0\" \"memory\" (memory 1)))", "ic0.memory, a memory");
        assertRefused("(module (import \"ic0\" \"g\" (global i32)))", "ic0.g, a global");
        assertRefused("(module (import \"ic0\" \"t\" (table 1 funcref)))", "ic0.t, a table");
    }

    @Test
    void canisterExportsMustBeKnownEntryPointsOfTypeUnitToUnit() {
        assertRefused("(module (func (export \"canister_foo\")))", "canister_foo");
        assertRefused("(module (func (export \"canister_update f\") (param i32)))",
                "'canister_update f' with type (i32) -> ()");
        assertRefused("(module (func (export \"canister_query f\") (result i32) (i32.const 0)))",
                "entry points must be () -> ()");
        assertRefused("(module (func (export \"canister_update f\")) (func (export \"canister_query f\")))",
                "method 'f' more than once");
        assertRefused("(module (global (export \"canister_init\") i32 (i32.const 0)))", "must be a function");
    }

    @Test
    void allowedEntryPointsAndOtherExportsAreAccepted() {
        String wat = "(module (memory (export \"memory\") 1) (func $f)"
                + " (export \"canister_init\" (func $f)) (export \"canister_pre_upgrade\" (func $f))"
                + " (export \"canister_post_upgrade\" (func $f)) (export \"canister_heartbeat\" (func $f))"
                + " (export \"canister_global_timer\" (func $f)) (export \"canister_inspect_message\" (func $f))"
                + " (export \"canister_update a\" (func $f)) (export \"canister_query b\" (func $f))"
                + " (export \"canister_composite_query c\" (func $f)) (export \"helper\" (func $f)))";
        LocalCanister canister = LocalCanister.builder().build();
        canister.install(Wat.compile(wat), new byte[0], Set.of(ALICE)).replyOrThrow();
        assertEquals(3, canister.methods().size());
    }

    @Test
    void disabledWasmFeaturesAreRefused() {
        assertRefused("(module (func $f (return_call $f)))", "tail calls", "--enable-tail-call");
        assertRefused("(module (memory 1 1 shared))", "shared", "--enable-threads");
    }

    @Test
    void tooManyGlobalsAreRefused() {
        StringBuilder wat = new StringBuilder("(module");
        for (int i = 0; i < 1001; i++) {
            wat.append(" (global i32 (i32.const 0))");
        }
        assertRefused(wat.append(")").toString(), "1001 globals");
    }

    @Test
    void bytesThatAreNotWasmAreRefused() {
        assertTrue(refusal("not wasm".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .contains("Not a valid Wasm module"));
        assertTrue(refusal(new byte[] {0x1F, (byte) 0x8B, 8, 0}).contains("gzip"));
    }
}

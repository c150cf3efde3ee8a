package dev.tealama.ichost;

import static dev.tealama.ichost.LocalCanisterTest.ALICE;
import static dev.tealama.ichost.LocalCanisterTest.BOB;
import static dev.tealama.ichost.LocalCanisterTest.i32;
import static dev.tealama.ichost.LocalCanisterTest.rejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Upgrades as the interface specification describes them: {@code canister_pre_upgrade} on the old instance, stable
 * memory kept, a fresh instance of the new module, {@code canister_post_upgrade}; a trap anywhere leaves the old
 * canister as it was.
 */
class UpgradeTest {

    /** Version 2: restores the counter that version 1's pre_upgrade saved at stable offset 100. */
    static final String VERSION_2 = """
            (module
              (import "ic0" "msg_arg_data_size" (func $arg_size (result i32)))
              (import "ic0" "msg_reply_data_append" (func $reply_append (param i32 i32)))
              (import "ic0" "msg_reply" (func $reply))
              (import "ic0" "stable64_read" (func $stable_read (param i64 i64 i64)))
              (import "ic0" "stable64_write" (func $stable_write (param i64 i64 i64)))
              (import "ic0" "trap" (func $trap (param i32 i32)))
              (memory 1)
              (data (i32.const 200) "post_upgrade failed")
              (func $reply_i32 (param $v i32)
                (i32.store (i32.const 0) (local.get $v))
                (call $reply_append (i32.const 0) (i32.const 4))
                (call $reply))
              (func (export "canister_post_upgrade")
                (call $stable_read (i64.const 16) (i64.const 100) (i64.const 4))
                (i32.store (i32.const 28) (call $arg_size))
                POST_UPGRADE_EXTRA)
              (func (export "canister_query get") (call $reply_i32 (i32.load (i32.const 16))))
              (func (export "canister_query marker") (call $reply_i32 (i32.load (i32.const 24))))
              (func (export "canister_query post_upgrade_arg_size") (call $reply_i32 (i32.load (i32.const 28))))
              (func (export "canister_query version") (call $reply_i32 (i32.const 2))))
            """;

    static byte[] counterWasm;
    static byte[] version2;

    @BeforeAll
    static void compile() {
        counterWasm = Wat.resource("counter");
        version2 = Wat.compile(VERSION_2.replace("POST_UPGRADE_EXTRA", ""));
    }

    static LocalCanister counterAt(int value) {
        LocalCanister canister = LocalCanister.builder().debugSink(t -> { }).build();
        canister.install(counterWasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        for (int i = 0; i < value; i++) {
            canister.update("inc", new byte[0], BOB).replyOrThrow();
        }
        return canister;
    }

    @Test
    void upgradeKeepsStableMemoryAndStartsTheHeapAnew() {
        LocalCanister canister = counterAt(3);
        canister.update("stable_put", "abc".getBytes(StandardCharsets.UTF_8), BOB).replyOrThrow();
        assertEquals(0xABCD, i32(canister.query("marker", new byte[0], BOB)));

        CallResult result = canister.upgrade(version2, new byte[7]);
        assertEquals(0, result.replyOrThrow().length);
        assertTrue(result.instructions() > 0);

        assertEquals(2, i32(canister.query("version", new byte[0], BOB)));
        assertEquals(3, i32(canister.query("get", new byte[0], BOB)), "pre_upgrade -> stable -> post_upgrade");
        assertEquals(0, i32(canister.query("marker", new byte[0], BOB)), "the old heap is gone");
        assertEquals(7, i32(canister.query("post_upgrade_arg_size", new byte[0], BOB)));
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), canister.readStableMemory(0, 3));
        assertEquals(ErrorCode.CANISTER_METHOD_NOT_FOUND, rejected(canister.update("inc", new byte[0], BOB)).error());
        assertEquals(Set.of(ALICE), canister.controllers());
    }

    @Test
    void aTrapInPreUpgradeFailsTheUpgradeAndKeepsTheOldCanister() {
        byte[] trappingPreUpgrade = Wat.compile(new String(readCounterSource(), StandardCharsets.UTF_8).replace(
                        "(call $stable_write (i64.const 100) (i64.const 16) (i64.const 4)))",
                        "(call $stable_write (i64.const 100) (i64.const 16) (i64.const 4))"
                                + " (call $bump) (call $trap (i32.const 200) (i32.const 4)))"));
        LocalCanister canister = LocalCanister.builder().debugSink(t -> { }).build();
        canister.install(trappingPreUpgrade, new byte[0], Set.of(ALICE)).replyOrThrow();
        canister.update("inc", new byte[0], BOB).replyOrThrow();

        CallResult.Reject reject = rejected(canister.upgrade(version2, new byte[0]));
        assertEquals(ErrorCode.CANISTER_CALLED_TRAP, reject.error());
        assertTrue(reject.message().contains("canister_pre_upgrade"), reject.message());

        assertEquals(1, i32(canister.query("get", new byte[0], BOB)), "the heap write of pre_upgrade is undone");
        assertEquals(1, i32(canister.query("get_global", new byte[0], BOB)));
        assertEquals(0, canister.stableMemoryPages(), "its stable64_grow too");
        assertEquals(2, i32(canister.update("inc", new byte[0], BOB)), "the old module still runs");
    }

    @Test
    void aTrapInPostUpgradeFailsTheUpgradeAndKeepsTheOldCanister() {
        byte[] trappingPostUpgrade = Wat.compile(VERSION_2.replace("POST_UPGRADE_EXTRA",
                "(call $stable_write (i64.const 0) (i64.const 200) (i64.const 8))"
                        + " (call $trap (i32.const 200) (i32.const 19))"));
        LocalCanister canister = counterAt(2);
        canister.update("stable_put", "abc".getBytes(StandardCharsets.UTF_8), BOB).replyOrThrow();

        CallResult.Reject reject = rejected(canister.upgrade(trappingPostUpgrade, new byte[0]));
        assertEquals(ErrorCode.CANISTER_CALLED_TRAP, reject.error());
        assertTrue(reject.message().contains("canister_post_upgrade"), reject.message());
        assertTrue(reject.message().contains("post_upgrade failed"), reject.message());

        assertEquals(2, i32(canister.query("get", new byte[0], BOB)));
        assertEquals(0xABCD, i32(canister.query("marker", new byte[0], BOB)), "the old heap is still there");
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), canister.readStableMemory(0, 3),
                "post_upgrade's stable write is undone");
        assertArrayEquals(new byte[4], canister.readStableMemory(100, 4), "and so is pre_upgrade's");
        assertEquals(3, i32(canister.update("inc", new byte[0], BOB)));
        assertEquals(ErrorCode.CANISTER_METHOD_NOT_FOUND,
                rejected(canister.query("version", new byte[0], BOB)).error());
    }

    @Test
    void anInvalidModuleOrAnEmptyCanisterCannotBeUpgraded() {
        LocalCanister canister = counterAt(1);
        CallResult.Reject invalid = rejected(canister.upgrade(new byte[] {0, 'a', 's', 'm', 9, 9}, new byte[0]));
        assertEquals(ErrorCode.CANISTER_INVALID_WASM, invalid.error());
        assertEquals(1, i32(canister.query("get", new byte[0], BOB)));

        CallResult.Reject empty = rejected(LocalCanister.builder().build().upgrade(version2, new byte[0]));
        assertEquals(ErrorCode.CANISTER_WASM_MODULE_NOT_FOUND, empty.error());
    }

    @Test
    void upgradingToTheSameModuleKeepsWorking() {
        LocalCanister canister = counterAt(2);
        for (int i = 0; i < 3; i++) {
            canister.upgrade(counterWasm, new byte[0]).replyOrThrow();
            assertEquals(0, i32(canister.query("get", new byte[0], BOB)), "counter.wat has no post_upgrade");
            canister.update("inc", new byte[0], BOB).replyOrThrow();
        }
        assertEquals(1, canister.stableMemoryPages(), "pre_upgrade grew stable memory once");
    }

    static byte[] readCounterSource() {
        try (var in = Wat.class.getResourceAsStream("counter.wat")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

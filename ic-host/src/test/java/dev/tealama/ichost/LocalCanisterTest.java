package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host against a hand-written canister ({@code counter.wat}); the expectations come from the IC interface
 * specification (what a message may change, what a reject carries, which function is available where).
 */
class LocalCanisterTest {

    static final Principal ALICE = Principal.selfAuthenticating("alice's key".getBytes(StandardCharsets.UTF_8));
    static final Principal BOB = Principal.selfAuthenticating("bob's key".getBytes(StandardCharsets.UTF_8));

    static byte[] counterWasm;

    @BeforeAll
    static void compile() {
        counterWasm = Wat.resource("counter");
    }

    static LocalCanister installed() {
        LocalCanister canister = LocalCanister.builder().debugSink(text -> { }).build();
        canister.install(counterWasm, new byte[] {1, 2, 3}, Set.of(ALICE)).replyOrThrow();
        return canister;
    }

    static int i32(CallResult result) {
        byte[] bytes = result.replyOrThrow();
        assertEquals(4, bytes.length, "a 4-byte reply");
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    static long i64(CallResult result) {
        byte[] bytes = result.replyOrThrow();
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    static byte[] le64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    static CallResult.Reject rejected(CallResult result) {
        return assertInstanceOf(CallResult.Reject.class, result, () -> "expected a reject, got " + result);
    }

    @Test
    void installRunsInitWithTheArgumentAndUpdatesPersist() {
        LocalCanister canister = installed();
        assertEquals(3, i32(canister.query("init_arg_size", new byte[0], BOB)));
        assertEquals(1, i32(canister.update("inc", new byte[0], BOB)));
        assertEquals(2, i32(canister.update("inc", new byte[0], BOB)));
        assertEquals(2, i32(canister.query("get", new byte[0], BOB)));
        assertEquals(2, i32(canister.query("get_global", new byte[0], BOB)));
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8),
                canister.update("echo", "hi".getBytes(StandardCharsets.UTF_8), BOB).replyOrThrow());
    }

    @Test
    void aTrapRollsBackMemoryGlobalsMemorySizeAndStableMemory() {
        LocalCanister canister = installed();
        canister.update("inc", new byte[0], BOB).replyOrThrow();
        assertEquals(1, i32(canister.query("memory_pages", new byte[0], BOB)));

        CallResult.Reject reject = rejected(canister.update("inc_then_trap", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_CALLED_TRAP, reject.error());
        assertEquals(RejectCode.CANISTER_ERROR, reject.rejectCode());
        assertTrue(reject.message().contains("Canister called `ic0.trap` with message: 'boom'"), reject.message());

        assertEquals(1, i32(canister.query("get", new byte[0], BOB)), "heap write rolled back");
        assertEquals(1, i32(canister.query("get_global", new byte[0], BOB)), "global rolled back");
        assertEquals(1, i32(canister.query("memory_pages", new byte[0], BOB)), "memory.grow rolled back");
        assertEquals(0, i64(canister.query("stable_size", new byte[0], BOB)), "stable64_grow rolled back");
        assertEquals(0, canister.stableMemoryPages());

        for (String method : List.of("inc_then_unreachable", "inc_then_divide_by_zero", "inc_then_out_of_bounds")) {
            CallResult.Reject trap = rejected(canister.update(method, new byte[0], BOB));
            assertEquals(ErrorCode.CANISTER_TRAPPED, trap.error(), method);
            assertEquals(1, i32(canister.query("get", new byte[0], BOB)), method);
            assertEquals(1, i32(canister.query("get_global", new byte[0], BOB)), method);
        }
        assertEquals(2, i32(canister.update("inc", new byte[0], BOB)), "the canister still works");
    }

    @Test
    void aTrapAfterStableWritesKeepsTheStableMemoryOfBefore() {
        LocalCanister canister = installed();
        canister.update("stable_put", "first".getBytes(StandardCharsets.UTF_8), BOB).replyOrThrow();
        rejected(canister.update("inc_then_trap", new byte[0], BOB)); // writes 4 bytes at stable offset 0, traps
        assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), canister.readStableMemory(0, 5));
        assertEquals(1, canister.stableMemoryPages());
    }

    @Test
    void queriesNeverPersistEvenWhenTheyReply() {
        LocalCanister canister = installed();
        canister.update("inc", new byte[0], BOB).replyOrThrow();
        assertEquals(2, i32(canister.query("inc_in_query", new byte[0], BOB)), "the query sees its own write");
        assertEquals(2, i32(canister.query("inc_in_query", new byte[0], BOB)), "but it was not kept");
        assertEquals(1, i32(canister.query("get", new byte[0], BOB)));
        assertEquals(1, i32(canister.query("get_global", new byte[0], BOB)));
    }

    @Test
    void explicitRejectKeepsChangesAndCarriesTheCanistersMessage() {
        LocalCanister canister = installed();
        CallResult.Reject reject = rejected(canister.update("reject", new byte[0], BOB));
        assertEquals(RejectCode.CANISTER_REJECT, reject.rejectCode());
        assertEquals("nope", reject.message());
        assertEquals(1, i32(canister.query("get", new byte[0], BOB)), "a reject is not a trap: state is kept");
    }

    @Test
    void anUpdateWithoutReplyIsRejectedButKeepsItsChanges() {
        LocalCanister canister = installed();
        CallResult.Reject reject = rejected(canister.update("no_reply", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_DID_NOT_REPLY, reject.error());
        assertEquals(1, i32(canister.query("get", new byte[0], BOB)));
    }

    @Test
    void contractViolationsTrap() {
        LocalCanister canister = installed();
        CallResult.Reject twice = rejected(canister.update("reply_twice", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_CONTRACT_VIOLATION, twice.error());
        assertEquals(0, i32(canister.query("get", new byte[0], BOB)), "rolled back");
        CallResult.Reject methodName = rejected(canister.update("method_name_outside_inspect", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_CONTRACT_VIOLATION, methodName.error());
        assertTrue(methodName.message().contains("ic0_msg_method_name_size"), methodName.message());
        assertTrue(methodName.message().contains("update mode"), methodName.message());
        CallResult.Reject rejectCode = rejected(canister.update("reject_code_outside_callback", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_CONTRACT_VIOLATION, rejectCode.error());
    }

    @Test
    void unknownMethodsAndKinds() {
        LocalCanister canister = installed();
        CallResult.Reject missing = rejected(canister.update("nothing", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_METHOD_NOT_FOUND, missing.error());
        assertEquals("Canister has no update method 'nothing'.", missing.message());
        CallResult.Reject queryAsUpdate = rejected(canister.update("get", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_METHOD_NOT_FOUND, queryAsUpdate.error());
        CallResult.Reject updateAsQuery = rejected(canister.query("inc", new byte[0], BOB));
        assertEquals("Canister has no query method 'inc'.", updateAsQuery.message());
        CallResult.Reject empty = rejected(LocalCanister.builder().build().update("inc", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_WASM_MODULE_NOT_FOUND, empty.error());
    }

    @Test
    void callersAndControllers() {
        LocalCanister canister = installed();
        assertArrayEquals(BOB.toBytes(), canister.query("whoami", new byte[0], BOB).replyOrThrow());
        assertArrayEquals(Principal.anonymous().toBytes(),
                canister.query("whoami", new byte[0], Principal.anonymous()).replyOrThrow());
        assertEquals(1, i32(canister.query("am_i_controller", new byte[0], ALICE)));
        assertEquals(0, i32(canister.query("am_i_controller", new byte[0], BOB)));
        assertEquals(0, i32(canister.query("am_i_controller", new byte[0], Principal.anonymous())));
        canister.setControllers(Set.of(ALICE, BOB));
        assertEquals(1, i32(canister.query("am_i_controller", new byte[0], BOB)));
        assertArrayEquals(canister.canisterId().toBytes(), canister.query("self", new byte[0], BOB).replyOrThrow());
    }

    @Test
    void timeIsSettableAndAdvancesBetweenMessages() {
        LocalCanister canister = LocalCanister.builder().debugSink(text -> { })
                .startTime(Instant.parse("2030-06-01T12:00:00Z")).timeStep(Duration.ofSeconds(1)).build();
        canister.install(counterWasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        long first = i64(canister.query("time", new byte[0], BOB));
        long second = i64(canister.query("time", new byte[0], BOB));
        assertEquals(Instant.parse("2030-06-01T12:00:01Z").toEpochMilli() * 1_000_000L, first,
                "install took the first second");
        assertEquals(first + 1_000_000_000L, second);
        canister.setTime(Instant.parse("2031-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2031-01-01T00:00:00Z").toEpochMilli() * 1_000_000L,
                i64(canister.query("time", new byte[0], BOB)));
    }

    @Test
    void debugPrintGoesToTheSink() {
        List<String> printed = new ArrayList<>();
        LocalCanister canister = LocalCanister.builder().debugSink(printed::add).build();
        canister.install(counterWasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        canister.update("print", new byte[0], BOB).replyOrThrow();
        assertEquals(List.of("hello from the canister"), printed);
    }

    @Test
    void replyAndIngressSizeLimits() {
        LocalCanister canister = installed();
        int twoMiB = 2 * 1024 * 1024;
        assertEquals(twoMiB, canister.update("big_reply", le32(twoMiB), BOB).replyOrThrow().length);
        CallResult.Reject tooBig = rejected(canister.update("big_reply", le32(twoMiB + 1), BOB));
        assertEquals(ErrorCode.CANISTER_CONTRACT_VIOLATION, tooBig.error());
        assertTrue(tooBig.message().contains("cannot be larger than " + twoMiB), tooBig.message());
        int threeMiB = 3 * 1024 * 1024;
        assertEquals(threeMiB, canister.query("big_reply_query", le32(threeMiB), BOB).replyOrThrow().length);
        assertEquals(ErrorCode.CANISTER_CONTRACT_VIOLATION,
                rejected(canister.query("big_reply_query", le32(threeMiB + 1), BOB)).error());

        assertEquals(twoMiB, canister.update("echo", new byte[twoMiB], BOB).replyOrThrow().length);
        CallResult.Reject ingress = rejected(canister.update("echo", new byte[twoMiB + 1], BOB));
        assertEquals(ErrorCode.INGRESS_MESSAGE_TOO_LARGE, ingress.error());
        assertTrue(ingress.message().contains(String.valueOf(twoMiB + 1)), ingress.message());
    }

    @Test
    void wasmMemoryLimit() {
        LocalCanister canister = LocalCanister.builder().debugSink(text -> { })
                .limits(CanisterLimits.ic().withWasmMemoryLimit(10L * 65536)).build();
        canister.install(counterWasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        assertEquals(1, i32(canister.update("grow", le32(9), BOB)), "up to the limit");
        CallResult.Reject reject = rejected(canister.update("grow", le32(1), BOB));
        assertEquals(ErrorCode.CANISTER_WASM_MEMORY_LIMIT_EXCEEDED, reject.error());
        assertEquals(10, i32(canister.query("memory_pages", new byte[0], BOB)));
    }

    @Test
    void theHostsOwnMemoryCapIsNamedWhenReached() {
        LocalCanister canister = installed();
        CallResult.Reject reject = rejected(canister.update("grow", le32(40_000), BOB));
        assertEquals(ErrorCode.CANISTER_WASM_MEMORY_LIMIT_EXCEEDED, reject.error());
        assertTrue(reject.message().contains("Chicory"), reject.message());
        assertEquals(-1, i32(canister.update("grow", le32(70_000), BOB)), "past Wasm's 4 GiB grow fails");
    }

    @Test
    void stableMemoryGrowsToItsMaximumAndNoFurther() {
        LocalCanister canister = LocalCanister.builder().debugSink(text -> { })
                .limits(CanisterLimits.ic().withStableMemoryMax(100L * 65536)).build();
        canister.install(counterWasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        assertEquals(0, i64(canister.update("stable_grow", le64(100), BOB)));
        assertEquals(-1, i64(canister.update("stable_grow", le64(1), BOB)));
        assertEquals(100, canister.stableMemoryPages());
    }

    @Test
    void stableMemoryAccessIsLimitedPerMessage() {
        LocalCanister canister = LocalCanister.builder().debugSink(text -> { })
                .limits(CanisterLimits.ic().withStableAccessLimits(4L << 20, 4L << 20, 4L << 20)).build();
        canister.install(counterWasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        assertEquals(0, i64(canister.update("stable_grow", le64(256), BOB))); // 16 MiB
        assertEquals(4L << 20, i64(canister.update("stable_scan", le64(4L << 20), BOB)));
        CallResult.Reject reject = rejected(canister.update("stable_scan", le64(5L << 20), BOB));
        assertEquals(ErrorCode.CANISTER_MEMORY_ACCESS_LIMIT_EXCEEDED, reject.error());
        CallResult.Reject outside = rejected(canister.query("stable_get", concat(le32(8), le32(16 << 20)), BOB));
        assertEquals(ErrorCode.CANISTER_TRAPPED, outside.error());
        assertTrue(outside.message().contains("Stable memory out of bounds"), outside.message());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theMessageLogRecordsEachMessage() {
        LocalCanister canister = installed();
        canister.update("inc", new byte[0], BOB);
        canister.query("nothing", new byte[0], ALICE);
        List<MessageRecord> log = canister.messageLog();
        assertEquals(3, log.size());
        assertEquals(MessageKind.INIT, log.get(0).kind());
        assertEquals("inc", log.get(1).method());
        assertEquals(BOB, log.get(1).caller());
        assertTrue(log.get(1).succeeded());
        assertFalse(log.get(2).succeeded());
        assertEquals(4, log.get(1).replyBytes());
        assertTrue(log.get(1).instructions() > 0);
        assertEquals(ErrorCode.CANISTER_METHOD_NOT_FOUND, log.get(2).reject().error());
    }

    @Test
    void installTwiceIsRefusedAndReinstallWipesEverything() {
        LocalCanister canister = installed();
        canister.update("inc", new byte[0], BOB).replyOrThrow();
        canister.update("stable_put", "kept?".getBytes(StandardCharsets.UTF_8), BOB).replyOrThrow();
        CallResult.Reject again = rejected(canister.install(counterWasm, new byte[0], Set.of(ALICE)));
        assertEquals(ErrorCode.CANISTER_NON_EMPTY, again.error());
        assertEquals(1, i32(canister.query("get", new byte[0], BOB)));

        canister.reinstall(counterWasm, new byte[5]).replyOrThrow();
        assertEquals(0, i32(canister.query("get", new byte[0], BOB)));
        assertEquals(5, i32(canister.query("init_arg_size", new byte[0], BOB)));
        assertEquals(0, canister.stableMemoryPages());
        assertEquals(Set.of(ALICE), canister.controllers());
    }
}

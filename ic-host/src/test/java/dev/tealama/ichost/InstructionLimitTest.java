package dev.tealama.ichost;

import static dev.tealama.ichost.LocalCanisterTest.ALICE;
import static dev.tealama.ichost.LocalCanisterTest.BOB;
import static dev.tealama.ichost.LocalCanisterTest.i32;
import static dev.tealama.ichost.LocalCanisterTest.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Instruction limits and {@code ic0.performance_counter} in the host, compiled mode unless said otherwise. */
class InstructionLimitTest {

    static byte[] counterWasm;

    @BeforeAll
    static void compile() {
        counterWasm = Wat.resource("counter");
    }

    static LocalCanister canister(CanisterLimits limits, ExecutionMode mode) {
        LocalCanister canister = LocalCanister.builder().limits(limits).executionMode(mode).debugSink(t -> { })
                .build();
        canister.install(counterWasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        return canister;
    }

    @Test
    void aRunawayUpdateTrapsAtTheLimitAndChangesNothing() {
        long limit = 50_000_000L;
        LocalCanister canister = canister(CanisterLimits.ic().withInstructions(limit, 5_000_000L, 300_000_000L),
                ExecutionMode.COMPILED);
        CallResult.Reject reject = rejected(canister.update("spin", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_INSTRUCTION_LIMIT_EXCEEDED, reject.error());
        assertEquals(RejectCode.CANISTER_ERROR, reject.rejectCode());
        assertTrue(reject.message().contains("instruction limit exceeded"), reject.message());
        assertTrue(reject.message().contains(String.valueOf(limit)), reject.message());
        // The loop body is one segment of 2 instructions (br, and the loop's end is not executed); the check at the
        // loop head traps in the first iteration that starts with the counter below zero.
        assertTrue(reject.instructions() > limit && reject.instructions() <= limit + 4, "" + reject.instructions());
        assertEquals(0, i32(canister.query("get", new byte[0], BOB)), "the bump before the loop was rolled back");
        assertEquals(1, i32(canister.update("inc", new byte[0], BOB)));
    }

    @Test
    void aRunawayQueryTrapsAtTheQueryLimit() {
        LocalCanister canister = canister(CanisterLimits.ic().withInstructions(40_000_000L, 3_000_000L, 300_000_000L),
                ExecutionMode.COMPILED);
        CallResult.Reject reject = rejected(canister.query("spin_query", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_INSTRUCTION_LIMIT_EXCEEDED, reject.error());
        assertTrue(reject.instructions() > 3_000_000L && reject.instructions() <= 3_000_004L);
    }

    @Test
    void theDefaultLimitsAreTheICs() {
        CanisterLimits ic = CanisterLimits.ic();
        assertEquals(40_000_000_000L, ic.instructions().update());
        assertEquals(5_000_000_000L, ic.instructions().query());
        assertEquals(300_000_000_000L, ic.instructions().install());
        assertEquals(3L << 30, ic.wasmMemoryLimitBytes());
        assertEquals(500L << 30, ic.stableMemoryMaxBytes());
        assertEquals(2 << 20, ic.maxUpdateReplyBytes());
        assertEquals(3 << 20, ic.maxQueryReplyBytes());
        assertEquals(2 << 20, ic.maxIngressBytes());
        assertEquals(2L << 30, ic.stableAccessedBytes().update());
        assertEquals(8L << 30, ic.stableDirtyBytes().install());
    }

    @Test
    void unboundedRecursionIsAStackOverflowTrap() {
        LocalCanister canister = canister(CanisterLimits.ic(), ExecutionMode.COMPILED);
        CallResult.Reject reject = rejected(canister.update("recurse", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_TRAPPED, reject.error());
        assertTrue(reject.message().contains("stack overflow"), reject.message());
        assertEquals(1, i32(canister.update("inc", new byte[0], BOB)), "the canister still works");
    }

    @Test
    void aRunawayInitFailsTheInstallAndLeavesTheCanisterEmpty() {
        String wat = "(module (func (export \"canister_init\") (loop $l (br $l))))";
        LocalCanister canister = LocalCanister.builder()
                .limits(CanisterLimits.ic().withInstructions(1_000_000L, 1_000_000L, 2_000_000L)).build();
        CallResult.Reject reject = rejected(canister.install(Wat.compile(wat), new byte[0], Set.of(ALICE)));
        assertEquals(ErrorCode.CANISTER_INSTRUCTION_LIMIT_EXCEEDED, reject.error());
        assertFalse(canister.isInstalled());
    }

    @Test
    void aRunawayStartFunctionFailsTheInstall() {
        String wat = "(module (func $s (loop $l (br $l))) (start $s))";
        LocalCanister canister = LocalCanister.builder()
                .limits(CanisterLimits.ic().withInstructions(1_000_000L, 1_000_000L, 2_000_000L)).build();
        CallResult.Reject reject = rejected(canister.install(Wat.compile(wat), new byte[0], Set.of(ALICE)));
        assertEquals(ErrorCode.CANISTER_INSTRUCTION_LIMIT_EXCEEDED, reject.error());
        assertFalse(canister.isInstalled());
    }

    @Test
    void performanceCounterIsMonotonicAndAgreesWithTheMessagesCount() {
        for (ExecutionMode mode : ExecutionMode.values()) {
            LocalCanister canister = canister(CanisterLimits.ic(), mode);
            CallResult result = canister.query("perf", new byte[0], BOB);
            ByteBuffer counters = ByteBuffer.wrap(result.replyOrThrow()).order(ByteOrder.LITTLE_ENDIAN);
            long before = counters.getLong();
            long between = counters.getLong();
            long after = counters.getLong();
            assertTrue(0 < before && before < between && between < after, before + " " + between + " " + after);
            // Each loop runs 1000 iterations of 8 instructions (local.get, i32.const, i32.add, local.set,
            // local.get, i32.const, i32.lt_u, br_if), plus a few around them.
            assertTrue(between - before >= 8000 && between - before <= 8030, "first loop: " + (between - before));
            assertTrue(after - between >= 8000 && after - between <= 8030, "second loop: " + (after - between));
            assertTrue(result.instructions() >= after && result.instructions() - after < 30,
                    result.instructions() + " for the message, " + after + " at the last counter");
            assertEquals(result.instructions(), canister.lastInstructions());
        }
    }

    @Test
    void allModesCountTheSameAsTheInterpretersListener() {
        LocalCanister compiled = canister(CanisterLimits.ic(), ExecutionMode.COMPILED);
        LocalCanister interpreted = canister(CanisterLimits.ic(), ExecutionMode.INTERPRETED);
        LocalCanister reference = canister(CanisterLimits.ic(), ExecutionMode.REFERENCE);
        assertEquals(reference.lastInstructions(), compiled.messageLog().get(0).instructions(), "install");
        for (String method : new String[] {"inc", "echo", "stable_put", "reject", "no_reply"}) {
            long expected = reference.update(method, new byte[] {1, 2, 3}, BOB).instructions();
            assertTrue(expected > 0);
            assertEquals(expected, compiled.update(method, new byte[] {1, 2, 3}, BOB).instructions(), method);
            assertEquals(expected, interpreted.update(method, new byte[] {1, 2, 3}, BOB).instructions(), method);
        }
        // A trap ends a message inside a segment that the instrumented code charged in full when it began: the
        // count may exceed the reference by the rest of that segment.
        long trapped = reference.update("inc_then_trap", new byte[0], BOB).instructions();
        long charged = compiled.update("inc_then_trap", new byte[0], BOB).instructions();
        assertTrue(charged >= trapped && charged <= trapped + 2, trapped + " vs " + charged);
        long expected = reference.query("perf", new byte[0], BOB).instructions();
        assertEquals(expected, compiled.query("perf", new byte[0], BOB).instructions());
        assertEquals(expected, interpreted.query("perf", new byte[0], BOB).instructions());
    }

    @Test
    void theReferenceModeEnforcesTheLimitToo() {
        LocalCanister canister = canister(CanisterLimits.ic().withInstructions(1_000_000L, 1_000_000L,
                300_000_000L), ExecutionMode.REFERENCE);
        CallResult.Reject reject = rejected(canister.update("spin", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_INSTRUCTION_LIMIT_EXCEEDED, reject.error());
        assertEquals(0, i32(canister.query("get", new byte[0], BOB)));
    }
}

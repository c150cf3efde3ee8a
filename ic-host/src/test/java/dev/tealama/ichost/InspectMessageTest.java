package dev.tealama.ichost;

import static dev.tealama.ichost.LocalCanisterTest.ALICE;
import static dev.tealama.ichost.LocalCanisterTest.BOB;
import static dev.tealama.ichost.LocalCanisterTest.i32;
import static dev.tealama.ichost.LocalCanisterTest.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code canister_inspect_message}: consulted before an update (not a query) from an ingress message, it sees the
 * method name, caller and argument, accepts with {@code ic0.accept_message} or not, and whatever it changes is
 * discarded.
 */
class InspectMessageTest {

    static final String WAT = """
            (module
              (import "ic0" "msg_method_name_size" (func $method_size (result i32)))
              (import "ic0" "msg_method_name_copy" (func $method_copy (param i32 i32 i32)))
              (import "ic0" "msg_caller_size" (func $caller_size (result i32)))
              (import "ic0" "msg_arg_data_size" (func $arg_size (result i32)))
              (import "ic0" "accept_message" (func $accept))
              (import "ic0" "msg_reply_data_append" (func $reply_append (param i32 i32)))
              (import "ic0" "msg_reply" (func $reply))
              (import "ic0" "trap" (func $trap (param i32 i32)))
              (memory 1)
              (data (i32.const 100) "open")
              (func $reply_i32 (param $v i32)
                (i32.store (i32.const 0) (local.get $v))
                (call $reply_append (i32.const 0) (i32.const 4))
                (call $reply))
              (func (export "canister_inspect_message")
                (i32.store (i32.const 16) (i32.const 99))
                (if (i32.eq (call $arg_size) (i32.const 13)) (then (call $trap (i32.const 100) (i32.const 4))))
                (if (i32.and (i32.eq (call $method_size) (i32.const 4)) (i32.ne (call $caller_size) (i32.const 1)))
                  (then
                    (call $method_copy (i32.const 200) (i32.const 0) (i32.const 4))
                    (if (i32.eq (i32.load (i32.const 200)) (i32.load (i32.const 100))) (then (call $accept))))))
              (func (export "canister_update open") (call $reply_i32 (i32.load (i32.const 16))))
              (func (export "canister_update closed") (call $reply_i32 (i32.const 1)))
              (func (export "canister_query peek") (call $reply_i32 (i32.load (i32.const 16)))))
            """;

    static byte[] wasm;

    @BeforeAll
    static void compile() {
        wasm = Wat.compile(WAT);
    }

    static LocalCanister installed() {
        LocalCanister canister = LocalCanister.builder().build();
        canister.install(wasm, new byte[0], Set.of(ALICE)).replyOrThrow();
        return canister;
    }

    @Test
    void anAcceptedMessageRunsAndInspectionChangesNothing() {
        LocalCanister canister = installed();
        assertEquals(0, i32(canister.update("open", new byte[0], BOB)), "inspect's write of 99 was discarded");
    }

    @Test
    void aMessageNotAcceptedIsRejectedBeforeItRuns() {
        LocalCanister canister = installed();
        CallResult.Reject closed = rejected(canister.update("closed", new byte[0], BOB));
        assertEquals(ErrorCode.CANISTER_REJECTED_MESSAGE, closed.error());
        assertEquals(RejectCode.CANISTER_REJECT, closed.rejectCode());
        assertTrue(closed.message().contains("did not accept"), closed.message());
        assertTrue(closed.instructions() > 0, "the instructions of canister_inspect_message");
        CallResult.Reject anonymous = rejected(canister.update("open", new byte[0], Principal.anonymous()));
        assertEquals(ErrorCode.CANISTER_REJECTED_MESSAGE, anonymous.error());
    }

    @Test
    void aTrapInInspectionRejectsTheMessageWithTheTrapMessage() {
        LocalCanister canister = installed();
        CallResult.Reject reject = rejected(canister.update("open", new byte[13], BOB));
        assertEquals(ErrorCode.CANISTER_REJECTED_MESSAGE, reject.error());
        assertTrue(reject.message().contains("Canister called `ic0.trap` with message: 'open'"), reject.message());
    }

    @Test
    void queriesAreNotInspected() {
        LocalCanister canister = installed();
        assertEquals(0, i32(canister.query("peek", new byte[0], Principal.anonymous())));
    }
}

;; The canister the replica tests call through ic4j, written against the IC interface specification's System API.
;; Memory: [0, 16) scratch, [16] the counter, [1024, ...) argument and reply buffer.
(module
  (import "ic0" "msg_arg_data_size" (func $arg_size (result i32)))
  (import "ic0" "msg_arg_data_copy" (func $arg_copy (param i32 i32 i32)))
  (import "ic0" "msg_caller_size" (func $caller_size (result i32)))
  (import "ic0" "msg_caller_copy" (func $caller_copy (param i32 i32 i32)))
  (import "ic0" "msg_reply_data_append" (func $reply_append (param i32 i32)))
  (import "ic0" "msg_reply" (func $reply))
  (import "ic0" "msg_reject" (func $reject (param i32 i32)))
  (import "ic0" "trap" (func $trap (param i32 i32)))
  (import "ic0" "is_controller" (func $is_controller (param i32 i32) (result i32)))
  (import "ic0" "msg_method_name_size" (func $method_size (result i32)))
  (import "ic0" "msg_method_name_copy" (func $method_copy (param i32 i32 i32)))
  (import "ic0" "accept_message" (func $accept))
  (import "ic0" "time" (func $time (result i64)))

  (memory 64)
  (data (i32.const 200) "trapped on demand")
  (data (i32.const 240) "rejected on demand")
  (data (i32.const 280) "only a controller may call this")
  (data (i32.const 320) "ok")
  (data (i32.const 340) "refused_by_inspect")

  (func $reply_bytes (param $at i32) (param $n i32)
    (call $reply_append (local.get $at) (local.get $n))
    (call $reply))

  (func $reply_i32 (param $v i32)
    (i32.store (i32.const 0) (local.get $v))
    (call $reply_bytes (i32.const 0) (i32.const 4)))

  ;; Replies with its argument.
  (func $echo
    (local $n i32)
    (local.set $n (call $arg_size))
    (call $arg_copy (i32.const 1024) (i32.const 0) (local.get $n))
    (call $reply_bytes (i32.const 1024) (local.get $n)))
  (func (export "canister_update echo") (call $echo))
  (func (export "canister_query echo_query") (call $echo))

  ;; Replies with the caller's principal.
  (func $whoami
    (local $n i32)
    (local.set $n (call $caller_size))
    (call $caller_copy (i32.const 1024) (i32.const 0) (local.get $n))
    (call $reply_bytes (i32.const 1024) (local.get $n)))
  (func (export "canister_update whoami_update") (call $whoami))
  (func (export "canister_query whoami") (call $whoami))

  ;; The counter: inc adds one and replies with the new value (4 bytes, little-endian); get reads it.
  (func (export "canister_update inc")
    (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
    (call $reply_i32 (i32.load (i32.const 16))))
  (func (export "canister_query get") (call $reply_i32 (i32.load (i32.const 16))))

  ;; Adds one to the counter, then traps: the addition is rolled back.
  (func (export "canister_update trap")
    (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
    (call $trap (i32.const 200) (i32.const 17)))
  (func (export "canister_update reject") (call $reject (i32.const 240) (i32.const 18)))

  ;; Only the canister's controllers get "ok"; anyone else is rejected.
  (func (export "canister_update controller_only")
    (local $n i32)
    (local.set $n (call $caller_size))
    (call $caller_copy (i32.const 1024) (i32.const 0) (local.get $n))
    (if (call $is_controller (i32.const 1024) (local.get $n))
      (then (call $reply_bytes (i32.const 320) (i32.const 2)))
      (else (call $reject (i32.const 280) (i32.const 31)))))

  ;; Exists, but canister_inspect_message refuses it.
  (func (export "canister_update refused_by_inspect") (call $reply))

  (func (export "canister_query time")
    (i64.store (i32.const 0) (call $time))
    (call $reply_bytes (i32.const 0) (i32.const 8)))

  ;; Accepts every update except refused_by_inspect (compares the method name with the 18 bytes at 340).
  (func (export "canister_inspect_message")
    (local $i i32)
    (if (i32.ne (call $method_size) (i32.const 18))
      (then (call $accept) (return)))
    (call $method_copy (i32.const 400) (i32.const 0) (i32.const 18))
    (block $different
      (loop $next
        (br_if $different (i32.ne (i32.load8_u (i32.add (i32.const 400) (local.get $i)))
                                  (i32.load8_u (i32.add (i32.const 340) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 18))))
      ;; the same name: do not accept
      (return))
    (call $accept))
)

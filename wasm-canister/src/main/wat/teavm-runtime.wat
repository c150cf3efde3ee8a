;; Replaces the host functions TeaVM's WebAssembly runtime imports from module "teavm" with ic0 calls, so that the
;; canister imports nothing but ic0.* (merged into the module by wasm-merge; see tools/build-wasm.sh).
(module
  (import "ic0" "trap" (func $trap (param i32 i32)))
  (import "ic0" "time" (func $time (result i64)))
  ;; TeaVM's own memory: it leaves bytes [0, 256) unused, so the message below lives there.
  (import "main" "memory" (memory 1))
  (data (i32.const 16) "out of memory: the canister's Java heap is full (fewer or shorter sessions, or a bigger heap)")

  ;; Logging goes nowhere: System.out/err are not used by the canister; debug output goes through ic0.debug_print.
  (func (export "logString") (param i32))
  (func (export "logInt") (param i32))
  (func (export "putwcharsOut") (param i32 i32))

  ;; TeaVM calls this when an allocation cannot be satisfied: trap, so the message changes nothing.
  (func (export "logOutOfMemory")
    (call $trap (i32.const 16) (i32.const 93)))

  ;; System.currentTimeMillis: the IC's time (nanoseconds since 1970, the same on every replica).
  (func (export "currentTimeMillis") (result f64)
    (f64.div (f64.convert_i64_u (call $time)) (f64.const 1000000)))
)

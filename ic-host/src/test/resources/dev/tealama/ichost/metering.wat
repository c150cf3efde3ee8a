;; Pure functions (no imports) whose instruction counts are compared between Chicory's interpreter, which reports
;; every instruction it executes, and the instrumented module in compiled mode.
(module
  (memory 1)
  (global $g (mut i32) (i32.const 3))
  ;; 19 instructions, no branches.
  (func (export "straight") (result i32)
    (i32.add
      (i32.mul (i32.const 6) (i32.const 7))
      (i32.sub (global.get $g) (i32.load (i32.const 0))))
    (i32.store (i32.const 8) (i32.const 5))
    (drop (i32.load (i32.const 8)))
    (global.set $g (i32.const 4))
    (i32.const 1)
    i32.xor)
  ;; Sum of 1..n with a block, a loop and br_if.
  (func (export "sum") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; Recursive Fibonacci: calls, if/else, returns.
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; br_table dispatch in a loop, if without else, early return.
  (func (export "dispatch") (param $n i32) (result i32)
    (local $acc i32)
    (loop $again
      (block $c2 (block $c1 (block $c0
        (br_table $c0 $c1 $c2 (i32.rem_u (local.get $n) (i32.const 3))))
        (local.set $acc (i32.add (local.get $acc) (i32.const 1))) (br $c2))
        (local.set $acc (i32.add (local.get $acc) (i32.const 10))))
      (if (i32.gt_u (local.get $acc) (i32.const 100000)) (then (return (local.get $acc))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (local.get $n)))
    (local.get $acc))
)

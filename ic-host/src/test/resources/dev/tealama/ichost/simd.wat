;; 128-bit SIMD code for the lowering test (SimdLoweringTest): each function's result is checked against the Wasm
;; specification's lane arithmetic written out in Java, and its instruction count against the count of its
;; instructions (straight-line code: each instruction once, its end included).
(module
  (memory (export "memory") 1)
  (global $started (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $twice $dot16)
  (type $binary (func (param i32 i32) (result i32)))
  (start $init)
  (func $init (global.set $started (i32.const 42)))
  (global $doubler funcref (ref.func $twice))
  (func (export "started") (result i32) (global.get $started))
  ;; a function reference held in a global (renumbered too), put in the table and called
  (func (export "via_global") (param i32) (result i32)
    (table.set 0 (i32.const 1) (global.get $doubler))
    (call_indirect (type $binary) (local.get 0) (local.get 0) (i32.const 1)))
  (func $twice (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 0)))
  ;; Sum of a[i] * b[i] over 16 signed bytes at a and b: 21 instructions.
  (func $dot16 (export "dot16") (param $a i32) (param $b i32) (result i32) (local $v v128)
    (local.set $v
      (i32x4.add
        (i32x4.dot_i16x8_s
          (i16x8.extend_low_i8x16_s (v128.load (local.get $a)))
          (i16x8.extend_low_i8x16_s (v128.load (local.get $b))))
        (i32x4.dot_i16x8_s
          (i16x8.extend_high_i8x16_s (v128.load (local.get $a)))
          (i16x8.extend_high_i8x16_s (v128.load (local.get $b))))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))
  ;; Through the table: renumbered functions still reached by call_indirect.
  (func (export "indirect") (param $which i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $binary) (local.get $a) (local.get $b) (local.get $which)))
  ;; out[0..16) = ((float) (a lanes as i32) * (c, c, c, c)) + (shuffled b), with bitselect, splat, replace_lane,
  ;; shifts, and/or, a v128.const and local.tee: 31 instructions.
  (func (export "mix") (param $a i32) (param $b i32) (param $out i32) (param $c f32) (local $t v128)
    (v128.store offset=16 (local.get $out)
      (v128.bitselect
        (local.tee $t (i32x4.shl (v128.load offset=0 (local.get $b)) (i32.const 3)))
        (i8x16.shr_u (v128.load (local.get $a)) (i32.const 4))
        (v128.const i32x4 0xFFFF0000 0x0000FFFF 0xFF00FF00 0x00FF00FF)))
    (v128.store (local.get $out)
      (f32x4.add
        (f32x4.mul
          (f32x4.convert_i32x4_s (i32x4.replace_lane 2 (v128.load (local.get $a)) (i32.const -7)))
          (f32x4.splat (local.get $c)))
        (f32x4.convert_i32x4_s
          (v128.and
            (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $t) (v128.load (local.get $b)))
            (i8x16.sub (i8x16.splat (i32.const 15)) (v128.const i32x4 0 0 0 0)))))))
  ;; n times dot16 in a loop: n * 6 + 1 + 21 n... counted against its own arithmetic in the test.
  (func (export "loop") (param $n i32) (param $a i32) (param $b i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $dot16 (local.get $a) (local.get $b))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc))
  ;; an if whose result is a v128 (binaryen makes them of a local set on one branch): $c ? a * 2 : a, stored at $out
  (func (export "if_vector") (param $c i32) (param $a i32) (param $out i32)
    (v128.store (local.get $out)
      (if (result v128) (local.get $c)
        (then (i32x4.add (v128.load (local.get $a)) (v128.load (local.get $a))))
        (else (v128.load (local.get $a))))))
)

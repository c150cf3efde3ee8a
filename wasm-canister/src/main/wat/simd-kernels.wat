;; Hand-written 128-bit Wasm SIMD kernels for the canister's matrix-vector products (TeaVM cannot emit SIMD).
;; Java calls them through dev.tealama.canister.kernels.SimdKernels (imports of module "kernels"); the build merges
;; this module into TeaVM's with wasm-merge, like the other shims.
;;
;; Each kernel computes four rows at a time, one f32 lane per row, for one token: per 32-element block the exact
;; integer dot product of the row's quants and the token's Q8_0 quants (i32x4.dot_i16x8_s on sign-extended bytes:
;; exact, so the order of the integer sums does not matter), then the block's float step exactly as core's scalar
;; dot product does it, in the same order of blocks:
;;   Q8_0 (Q8_0Format.dot):  sum += (float) isum * (d_w * d_x)
;;   Q4_0 (Q4_0Format.dot):  sum += (float) isum * d_w * d_x          (left to right)
;; Lanes are rows, so each row's float sum sees the same operations in the same order as the scalar kernel:
;; bit-identical results. F16 scales widen exactly as core's Float16 (normals, subnormals, infinities, quiet NaNs).
;;
;; Arguments (addresses in the Wasm memory):
;;   $w       first byte of the first row        $stride  bytes per row
;;   $groups  number of groups of four rows      $blocks  32-element blocks per row (at least 1)
;;   $xq      the token's Q8_0 quants (int8)     $xd      the token's Q8_0 block scales (f32)
;;   $out     where the 4 * $groups f32 results go
(module
  (import "main" "memory" (memory 1))

  (func (export "q8_0_rows4")
      (param $w i32) (param $stride i32) (param $groups i32) (param $xq0 i32) (param $xd0 i32)
      (param $blocks i32) (param $out i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $xq i32) (local $xd i32) (local $end i32)
    (local $v v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $h v128) (local $e v128)
    (local $sum v128)
    (block $done
      (loop $group
        (br_if $done (i32.eqz (local.get $groups)))
        (local.set $w0 (local.get $w))
        (local.set $w1 (i32.add (local.get $w0) (local.get $stride)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $stride)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $stride)))
        (local.set $xq (local.get $xq0))
        (local.set $xd (local.get $xd0))
        (local.set $end (i32.add (local.get $xd0) (i32.shl (local.get $blocks) (i32.const 2))))
        (local.set $sum (v128.const i32x4 0 0 0 0))
        (loop $block
          ;; the token's 32 quants as four i16x8
          (local.set $v (v128.load (local.get $xq)))
          (local.set $x0 (i16x8.extend_low_i8x16_s (local.get $v)))
          (local.set $x1 (i16x8.extend_high_i8x16_s (local.get $v)))
          (local.set $v (v128.load offset=16 (local.get $xq)))
          (local.set $x2 (i16x8.extend_low_i8x16_s (local.get $v)))
          (local.set $x3 (i16x8.extend_high_i8x16_s (local.get $v)))
          ;; each row: i32x4 partial sums of its block (quants at +2, after the F16 scale)
          (local.set $v (v128.load offset=2 (local.get $w0)))
          (local.set $a0 (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x0))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x1))))
          (local.set $v (v128.load offset=18 (local.get $w0)))
          (local.set $a0 (i32x4.add (local.get $a0) (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x2))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x3)))))
          (local.set $v (v128.load offset=2 (local.get $w1)))
          (local.set $a1 (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x0))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x1))))
          (local.set $v (v128.load offset=18 (local.get $w1)))
          (local.set $a1 (i32x4.add (local.get $a1) (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x2))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x3)))))
          (local.set $v (v128.load offset=2 (local.get $w2)))
          (local.set $a2 (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x0))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x1))))
          (local.set $v (v128.load offset=18 (local.get $w2)))
          (local.set $a2 (i32x4.add (local.get $a2) (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x2))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x3)))))
          (local.set $v (v128.load offset=2 (local.get $w3)))
          (local.set $a3 (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x0))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x1))))
          (local.set $v (v128.load offset=18 (local.get $w3)))
          (local.set $a3 (i32x4.add (local.get $a3) (i32x4.add
            (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $v)) (local.get $x2))
            (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $v)) (local.get $x3)))))
          ;; the four rows' block sums into the four lanes: [a0 a1 a2 a3] (integer adds: exact in any order)
          (local.set $a0 (i32x4.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
          (local.set $a2 (i32x4.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
          (local.set $a0 (i32x4.add
            (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a0) (local.get $a2))
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a0) (local.get $a2))))
          ;; the four rows' F16 scales, widened to f32 bits
          (local.set $h
            (i32x4.replace_lane 3
              (i32x4.replace_lane 2
                (i32x4.replace_lane 1
                  (i32x4.splat (i32.load16_u (local.get $w0)))
                  (i32.load16_u (local.get $w1)))
                (i32.load16_u (local.get $w2)))
              (i32.load16_u (local.get $w3))))
          (local.set $e (v128.and (local.get $h) (v128.const i32x4 0x7FFF 0x7FFF 0x7FFF 0x7FFF)))
          (local.set $h
            (v128.or
              (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))
              (v128.bitselect
                ;; infinity or NaN (made quiet, as F16C does)
                (v128.or
                  (v128.or (i32x4.shl (local.get $e) (i32.const 13))
                           (v128.const i32x4 0x7F800000 0x7F800000 0x7F800000 0x7F800000))
                  (v128.and (i32x4.gt_s (local.get $e) (v128.const i32x4 0x7C00 0x7C00 0x7C00 0x7C00))
                            (v128.const i32x4 0x400000 0x400000 0x400000 0x400000)))
                ;; zero, subnormal or normal: the bits shifted into place, scaled by 2^112 (exact)
                (f32x4.mul (i32x4.shl (local.get $e) (i32.const 13))
                           (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
                (i32x4.gt_s (local.get $e) (v128.const i32x4 0x7BFF 0x7BFF 0x7BFF 0x7BFF)))))
          ;; sum += (float) isum * (d_w * d_x)
          (local.set $sum (f32x4.add (local.get $sum)
            (f32x4.mul (f32x4.convert_i32x4_s (local.get $a0))
                       (f32x4.mul (local.get $h) (f32x4.splat (f32.load (local.get $xd)))))))
          (local.set $w0 (i32.add (local.get $w0) (i32.const 34)))
          (local.set $w1 (i32.add (local.get $w1) (i32.const 34)))
          (local.set $w2 (i32.add (local.get $w2) (i32.const 34)))
          (local.set $w3 (i32.add (local.get $w3) (i32.const 34)))
          (local.set $xq (i32.add (local.get $xq) (i32.const 32)))
          (local.set $xd (i32.add (local.get $xd) (i32.const 4)))
          (br_if $block (i32.ne (local.get $xd) (local.get $end))))
        (v128.store (local.get $out) (local.get $sum))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.shl (local.get $stride) (i32.const 2))))
        (local.set $groups (i32.sub (local.get $groups) (i32.const 1)))
        (br $group))))

  (func (export "q4_0_rows4")
      (param $w i32) (param $stride i32) (param $groups i32) (param $xq0 i32) (param $xd0 i32)
      (param $blocks i32) (param $out i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $xq i32) (local $xd i32) (local $end i32)
    (local $v v128) (local $lo v128) (local $hi v128) (local $x0 v128) (local $x1 v128) (local $x2 v128)
    (local $x3 v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $h v128)
    (local $e v128) (local $sum v128) (local $nibble v128) (local $eight v128)
    (local.set $nibble (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (local.set $eight (v128.const i8x16 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8 8))
    (block $done
      (loop $group
        (br_if $done (i32.eqz (local.get $groups)))
        (local.set $w0 (local.get $w))
        (local.set $w1 (i32.add (local.get $w0) (local.get $stride)))
        (local.set $w2 (i32.add (local.get $w1) (local.get $stride)))
        (local.set $w3 (i32.add (local.get $w2) (local.get $stride)))
        (local.set $xq (local.get $xq0))
        (local.set $xd (local.get $xd0))
        (local.set $end (i32.add (local.get $xd0) (i32.shl (local.get $blocks) (i32.const 2))))
        (local.set $sum (v128.const i32x4 0 0 0 0))
        (loop $block
          (local.set $v (v128.load (local.get $xq)))
          (local.set $x0 (i16x8.extend_low_i8x16_s (local.get $v)))
          (local.set $x1 (i16x8.extend_high_i8x16_s (local.get $v)))
          (local.set $v (v128.load offset=16 (local.get $xq)))
          (local.set $x2 (i16x8.extend_low_i8x16_s (local.get $v)))
          (local.set $x3 (i16x8.extend_high_i8x16_s (local.get $v)))
          ;; each row: element j (j < 16) is the low nibble of byte j minus 8, element j + 16 its high nibble
          (local.set $v (v128.load offset=2 (local.get $w0)))
          (local.set $lo (i8x16.sub (v128.and (local.get $v) (local.get $nibble)) (local.get $eight)))
          (local.set $hi (i8x16.sub (i8x16.shr_u (local.get $v) (i32.const 4)) (local.get $eight)))
          (local.set $a0 (i32x4.add
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $lo)) (local.get $x0))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $lo)) (local.get $x1)))
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $hi)) (local.get $x2))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $hi)) (local.get $x3)))))
          (local.set $v (v128.load offset=2 (local.get $w1)))
          (local.set $lo (i8x16.sub (v128.and (local.get $v) (local.get $nibble)) (local.get $eight)))
          (local.set $hi (i8x16.sub (i8x16.shr_u (local.get $v) (i32.const 4)) (local.get $eight)))
          (local.set $a1 (i32x4.add
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $lo)) (local.get $x0))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $lo)) (local.get $x1)))
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $hi)) (local.get $x2))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $hi)) (local.get $x3)))))
          (local.set $v (v128.load offset=2 (local.get $w2)))
          (local.set $lo (i8x16.sub (v128.and (local.get $v) (local.get $nibble)) (local.get $eight)))
          (local.set $hi (i8x16.sub (i8x16.shr_u (local.get $v) (i32.const 4)) (local.get $eight)))
          (local.set $a2 (i32x4.add
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $lo)) (local.get $x0))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $lo)) (local.get $x1)))
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $hi)) (local.get $x2))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $hi)) (local.get $x3)))))
          (local.set $v (v128.load offset=2 (local.get $w3)))
          (local.set $lo (i8x16.sub (v128.and (local.get $v) (local.get $nibble)) (local.get $eight)))
          (local.set $hi (i8x16.sub (i8x16.shr_u (local.get $v) (i32.const 4)) (local.get $eight)))
          (local.set $a3 (i32x4.add
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $lo)) (local.get $x0))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $lo)) (local.get $x1)))
            (i32x4.add
              (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $hi)) (local.get $x2))
              (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $hi)) (local.get $x3)))))
          (local.set $a0 (i32x4.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
          (local.set $a2 (i32x4.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
          (local.set $a0 (i32x4.add
            (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a0) (local.get $a2))
            (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a0) (local.get $a2))))
          (local.set $h
            (i32x4.replace_lane 3
              (i32x4.replace_lane 2
                (i32x4.replace_lane 1
                  (i32x4.splat (i32.load16_u (local.get $w0)))
                  (i32.load16_u (local.get $w1)))
                (i32.load16_u (local.get $w2)))
              (i32.load16_u (local.get $w3))))
          (local.set $e (v128.and (local.get $h) (v128.const i32x4 0x7FFF 0x7FFF 0x7FFF 0x7FFF)))
          (local.set $h
            (v128.or
              (i32x4.shl (v128.and (local.get $h) (v128.const i32x4 0x8000 0x8000 0x8000 0x8000)) (i32.const 16))
              (v128.bitselect
                (v128.or
                  (v128.or (i32x4.shl (local.get $e) (i32.const 13))
                           (v128.const i32x4 0x7F800000 0x7F800000 0x7F800000 0x7F800000))
                  (v128.and (i32x4.gt_s (local.get $e) (v128.const i32x4 0x7C00 0x7C00 0x7C00 0x7C00))
                            (v128.const i32x4 0x400000 0x400000 0x400000 0x400000)))
                (f32x4.mul (i32x4.shl (local.get $e) (i32.const 13))
                           (v128.const f32x4 0x1p112 0x1p112 0x1p112 0x1p112))
                (i32x4.gt_s (local.get $e) (v128.const i32x4 0x7BFF 0x7BFF 0x7BFF 0x7BFF)))))
          ;; sum += (float) isum * d_w * d_x
          (local.set $sum (f32x4.add (local.get $sum)
            (f32x4.mul (f32x4.mul (f32x4.convert_i32x4_s (local.get $a0)) (local.get $h))
                       (f32x4.splat (f32.load (local.get $xd))))))
          (local.set $w0 (i32.add (local.get $w0) (i32.const 18)))
          (local.set $w1 (i32.add (local.get $w1) (i32.const 18)))
          (local.set $w2 (i32.add (local.get $w2) (i32.const 18)))
          (local.set $w3 (i32.add (local.get $w3) (i32.const 18)))
          (local.set $xq (i32.add (local.get $xq) (i32.const 32)))
          (local.set $xd (i32.add (local.get $xd) (i32.const 4)))
          (br_if $block (i32.ne (local.get $xd) (local.get $end))))
        (v128.store (local.get $out) (local.get $sum))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.shl (local.get $stride) (i32.const 2))))
        (local.set $groups (i32.sub (local.get $groups) (i32.const 1)))
        (br $group))))
)

;; The load's repacking of Q8_0 / Q4_0 matrices into dev.tealama.canister.kernels.PackedLayout, in 128-bit Wasm SIMD.
;; Java calls it through dev.tealama.canister.kernels.SimdRepack (imports of module "repack"); the build merges this
;; module into TeaVM's with wasm-merge, like the other shims. PackedLayout.packRows4 is the reference: the parity
;; test (SimdRepackParityTest) checks every byte against it. Plain Java needed ~390 instructions per byte (19 `load`
;; calls for the 1B Q8_0 file); here it is about one.
;;
;; Both functions read a group of four GGUF rows from $src (row r at $src + r * $rowBytes, $blocks blocks each) and
;; write the group in the packed layout to $dst ($dst must not overlap the source: the canister copies the group
;; aside first). Per 32-element block:
;;   bytes 0-7     the four rows' F16 scales, row 0 first
;;   Q8_0 8-135    for column pair p = 0..15: row 0's two quants, row 1's, row 2's, row 3's
;;   Q4_0 8-71     four vectors of 16 bytes; vector v: low nibbles = pairs 4v and 4v+1, high nibbles = pairs 4v+2
;;                 and 4v+3, each pair in the Q8_0 order above
;;
;; The heart of both is one transposition: a row's 32 columns are 16 pairs (one i16 lane each), the four rows' pairs
;; 0..7 are four vectors, and interleaving them twice (16-bit lanes of rows 0/1 and 2/3, then 32-bit lanes of those)
;; gives the packed order: vector k holds pairs 2k and 2k+1 of rows 0, 1, 2, 3. (Written out per function: the local IC
;; host passes no v128 between functions.)
(module
  (import "main" "memory" (memory 1))

  ;; Q8_0: 34-byte blocks (scale, 32 int8 quants) in, 136-byte blocks out.
  (func (export "q8_0_rows4") (param $src i32) (param $rowBytes i32) (param $blocks i32) (param $dst i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $lo01 v128) (local $lo23 v128) (local $hi01 v128) (local $hi23 v128)
    (local.set $s0 (local.get $src))
    (block $done
      (loop $block
        (br_if $done (i32.eqz (local.get $blocks)))
        (local.set $s1 (i32.add (local.get $s0) (local.get $rowBytes)))
        (local.set $s2 (i32.add (local.get $s1) (local.get $rowBytes)))
        (local.set $s3 (i32.add (local.get $s2) (local.get $rowBytes)))
        ;; the four rows' F16 scales, row 0 first
        (i32.store16 offset=0 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s0)))
        (i32.store16 offset=2 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s1)))
        (i32.store16 offset=4 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s2)))
        (i32.store16 offset=6 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s3)))
        ;; columns 0..15 (pairs 0..7) of the four rows, transposed to packed vectors 0..3
        (local.set $a0 (v128.load offset=2 align=1 (local.get $s0)))
        (local.set $a1 (v128.load offset=2 align=1 (local.get $s1)))
        (local.set $a2 (v128.load offset=2 align=1 (local.get $s2)))
        (local.set $a3 (v128.load offset=2 align=1 (local.get $s3)))
        (local.set $lo01 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a0) (local.get $a1)))
        (local.set $lo23 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a2) (local.get $a3)))
        (local.set $hi01 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a0) (local.get $a1)))
        (local.set $hi23 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a2) (local.get $a3)))
        (v128.store offset=8 align=1 (local.get $dst)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=24 align=1 (local.get $dst)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=40 align=1 (local.get $dst)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $hi01) (local.get $hi23)))
        (v128.store offset=56 align=1 (local.get $dst)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $hi01) (local.get $hi23)))
        ;; columns 16..31 (pairs 8..15) to packed vectors 4..7
        (local.set $a0 (v128.load offset=18 align=1 (local.get $s0)))
        (local.set $a1 (v128.load offset=18 align=1 (local.get $s1)))
        (local.set $a2 (v128.load offset=18 align=1 (local.get $s2)))
        (local.set $a3 (v128.load offset=18 align=1 (local.get $s3)))
        (local.set $lo01 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a0) (local.get $a1)))
        (local.set $lo23 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a2) (local.get $a3)))
        (local.set $hi01 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a0) (local.get $a1)))
        (local.set $hi23 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a2) (local.get $a3)))
        (v128.store offset=72 align=1 (local.get $dst)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=88 align=1 (local.get $dst)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $lo01) (local.get $lo23)))
        (v128.store offset=104 align=1 (local.get $dst)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $hi01) (local.get $hi23)))
        (v128.store offset=120 align=1 (local.get $dst)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $hi01) (local.get $hi23)))
        (local.set $s0 (i32.add (local.get $s0) (i32.const 34)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 136)))
        (local.set $blocks (i32.sub (local.get $blocks) (i32.const 1)))
        (br $block))))

  ;; Q4_0: 18-byte blocks (scale, 16 bytes: low nibbles columns 0..15, high nibbles columns 16..31) in, 72-byte
  ;; blocks out. Each row's low nibbles (pairs 0..7) and high nibbles (pairs 8..15) go through the Q8_0
  ;; transposition as bytes 0..15, and each two transposed vectors are packed into one (the second in the high
  ;; nibbles).
  (func (export "q4_0_rows4") (param $src i32) (param $rowBytes i32) (param $blocks i32) (param $dst i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $lo01 v128) (local $lo23 v128) (local $hi01 v128) (local $hi23 v128)
    (local.set $s0 (local.get $src))
    (block $done
      (loop $block
        (br_if $done (i32.eqz (local.get $blocks)))
        (local.set $s1 (i32.add (local.get $s0) (local.get $rowBytes)))
        (local.set $s2 (i32.add (local.get $s1) (local.get $rowBytes)))
        (local.set $s3 (i32.add (local.get $s2) (local.get $rowBytes)))
        ;; the four rows' F16 scales, row 0 first
        (i32.store16 offset=0 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s0)))
        (i32.store16 offset=2 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s1)))
        (i32.store16 offset=4 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s2)))
        (i32.store16 offset=6 align=1 (local.get $dst) (i32.load16_u align=1 (local.get $s3)))
        ;; low nibbles: columns 0..15, packed vectors 0 and 1
        (local.set $a0 (v128.and (v128.load offset=2 align=1 (local.get $s0)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
        (local.set $a1 (v128.and (v128.load offset=2 align=1 (local.get $s1)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
        (local.set $a2 (v128.and (v128.load offset=2 align=1 (local.get $s2)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
        (local.set $a3 (v128.and (v128.load offset=2 align=1 (local.get $s3)) (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15)))
        (local.set $lo01 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a0) (local.get $a1)))
        (local.set $lo23 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a2) (local.get $a3)))
        (local.set $hi01 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a0) (local.get $a1)))
        (local.set $hi23 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a2) (local.get $a3)))
        (v128.store offset=8 align=1 (local.get $dst)
          (v128.or (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $lo01) (local.get $lo23))
            (i8x16.shl (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $lo01) (local.get $lo23)) (i32.const 4))))
        (v128.store offset=24 align=1 (local.get $dst)
          (v128.or (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $hi01) (local.get $hi23))
            (i8x16.shl (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $hi01) (local.get $hi23)) (i32.const 4))))
        ;; high nibbles: columns 16..31, packed vectors 2 and 3
        (local.set $a0 (i8x16.shr_u (v128.load offset=2 align=1 (local.get $s0)) (i32.const 4)))
        (local.set $a1 (i8x16.shr_u (v128.load offset=2 align=1 (local.get $s1)) (i32.const 4)))
        (local.set $a2 (i8x16.shr_u (v128.load offset=2 align=1 (local.get $s2)) (i32.const 4)))
        (local.set $a3 (i8x16.shr_u (v128.load offset=2 align=1 (local.get $s3)) (i32.const 4)))
        (local.set $lo01 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a0) (local.get $a1)))
        (local.set $lo23 (i8x16.shuffle 0 1 16 17 2 3 18 19 4 5 20 21 6 7 22 23 (local.get $a2) (local.get $a3)))
        (local.set $hi01 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a0) (local.get $a1)))
        (local.set $hi23 (i8x16.shuffle 8 9 24 25 10 11 26 27 12 13 28 29 14 15 30 31 (local.get $a2) (local.get $a3)))
        (v128.store offset=40 align=1 (local.get $dst)
          (v128.or (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $lo01) (local.get $lo23))
            (i8x16.shl (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $lo01) (local.get $lo23)) (i32.const 4))))
        (v128.store offset=56 align=1 (local.get $dst)
          (v128.or (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $hi01) (local.get $hi23))
            (i8x16.shl (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $hi01) (local.get $hi23)) (i32.const 4))))
        (local.set $s0 (i32.add (local.get $s0) (i32.const 18)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 72)))
        (local.set $blocks (i32.sub (local.get $blocks) (i32.const 1)))
        (br $block))))
)

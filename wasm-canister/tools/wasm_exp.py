"""fdlibm's exp (core's DetMath.exp) on two f64 lanes in Wasm SIMD, shared by the generators whose kernels call
DetMath.expf two floats at a time (gen-activations.py's SwiGLU, gen-attention.py's softmax): the local IC host passes
no v128 between functions, so the steps are written out inline wherever they are used; this is their one text.

Exact for float arguments (every branch computed in both lanes and each lane's own kept): results beyond -110 and 100
are 0 and infinity as floats whatever the double; a NaN flows through as a NaN. Uses the v128 locals $big, $k, $kd,
$hi, $lo, $r, $rr, $c, $rc besides the argument and the result.
"""


def splat_f64(value):
    return "(v128.const f64x2 {0} {0})".format(value)


EXP = f"""\
;; |x| above ln2/2 by DetMath's high-word test (high word > 0x3fd62e42): reduced by k*ln2, k != 0
(local.set $big (f64x2.ge (f64x2.abs (local.get $x)) {splat_f64("0x1.62e43p-2")}))
;; k = (int) (x / ln2 +- 0.5), the sign of x's; in the band |x| < 3ln2/2 that is the +-1 DetMath sets there,
;; and its hi, lo below are DetMath's for that band bit for bit (x - (-1)*LN2_HI is x + LN2_HI)
(local.set $k (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
  (f64x2.mul (local.get $x) {splat_f64("0x1.71547652b82fep0")})
  (v128.or {splat_f64("0.5")} (v128.and (local.get $x) {splat_f64("-0.0")})))))
(local.set $kd (v128.and (f64x2.convert_low_i32x4_s (local.get $k)) (local.get $big)))
(local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $kd) {splat_f64("0x1.62e42feep-1")})))
(local.set $lo (f64x2.mul (local.get $kd) {splat_f64("0x1.a39ef35793c76p-33")}))
;; r = hi - lo (k = 0: x itself, as DetMath keeps it)
(local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
(local.set $rr (f64x2.mul (local.get $r) (local.get $r)))
(local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $rr)
  (f64x2.add {splat_f64("0x1.555555555553ep-3")} (f64x2.mul (local.get $rr)
  (f64x2.add {splat_f64("-0x1.6c16c16bebd93p-9")} (f64x2.mul (local.get $rr)
  (f64x2.add {splat_f64("0x1.1566aaf25de2cp-14")} (f64x2.mul (local.get $rr)
  (f64x2.add {splat_f64("-0x1.bbd41c5d26bf1p-20")} (f64x2.mul (local.get $rr)
  {splat_f64("0x1.6376972bea4d0p-25")})))))))))))
(local.set $rc (f64x2.mul (local.get $r) (local.get $c)))
;; 1 - ((lo - r*c/(2 - c)) - hi); where k = 0 this is DetMath's 1 - (r*c/(c - 2) - r) bit for bit (lo = +0,
;; hi = r, and +0 - q = -q unless q is 0, which happens only for the |x| < 2^-28 lanes replaced next)
(local.set $y (f64x2.sub {splat_f64("1")} (f64x2.sub (f64x2.sub (local.get $lo)
    (f64x2.div (local.get $rc) (f64x2.sub {splat_f64("2")} (local.get $c)))) (local.get $hi))))
;; |x| < 2^-28: 1 + x
(local.set $y (v128.bitselect (f64x2.add {splat_f64("1")} (local.get $x)) (local.get $y)
  (f64x2.lt (f64x2.abs (local.get $x)) {splat_f64("0x1p-28")})))
;; times 2^k: k added to the exponent field (k >= -159 here, so never DetMath's subnormal case)
(local.set $y (i64x2.add (local.get $y) (i64x2.shl
  (v128.and (i64x2.extend_low_i32x4_s (local.get $k)) (local.get $big)) (i32.const 52))))
;; beyond the range computed: e^x > 2.6e43 is infinity as a float, e^x < 1.7e-48 is 0 (and so are
;; DetMath's overflow and underflow results); NaN has flowed through as NaN
(local.set $y (v128.bitselect {splat_f64("inf")} (local.get $y)
  (f64x2.gt (local.get $x) {splat_f64("100")})))
(local.set $y (v128.bitselect {splat_f64("0")} (local.get $y)
  (f64x2.lt (local.get $x) {splat_f64("-110")})))"""


def f64x2_exp(x, y, indent):
    """The statements leaving exp of the f64x2 local x in the f64x2 local y, each line indented by indent spaces."""
    return "\n".join(" " * indent + line for line in EXP.replace("$x", x).replace("$y", y).split("\n"))

;; java.lang.Math as TeaVM's runtime imports it (module "teavmMath"). sqrt, floor and ceil are exact Wasm
;; instructions; exp, log, sin and cos call the canister's own deterministic fdlibm ports (dev.tealama.math.DetMath,
;; exported by dev.tealama.canister.api.MathExports), so no result depends on a host. Functions not provided here
;; (tan, asin, acos, atan, atan2) stay imports and fail the build's ic0-only check if the code ever uses them.
(module
  (import "main" "detmath_exp" (func $exp (param f64) (result f64)))
  (import "main" "detmath_log" (func $log (param f64) (result f64)))
  (import "main" "detmath_sin" (func $sin (param f64) (result f64)))
  (import "main" "detmath_cos" (func $cos (param f64) (result f64)))

  (func (export "sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
  (func (export "floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "ceil") (param f64) (result f64) (f64.ceil (local.get 0)))
  (func (export "exp") (param f64) (result f64) (call $exp (local.get 0)))
  (func (export "log") (param f64) (result f64) (call $log (local.get 0)))
  (func (export "sin") (param f64) (result f64) (call $sin (local.get 0)))
  (func (export "cos") (param f64) (result f64) (call $cos (local.get 0)))
)

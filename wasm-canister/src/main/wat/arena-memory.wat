;; Gives Java (dev.tealama.canister.store.LinearMemory) the Wasm memory instructions TeaVM does not expose: the
;; weight arena lives above TeaVM's heap and grows with memory.grow; bulk copies use memory.copy.
(module
  (import "main" "memory" (memory 1))
  ;; current size in 64 KiB pages
  (func (export "size") (result i32) (memory.size))
  ;; grows by the given number of pages; returns the old size, or -1 if the memory cannot grow (no trap)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  ;; copies n bytes from src to dst (ranges may overlap)
  (func (export "copy") (param $dst i32) (param $src i32) (param $n i32)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n)))
)

#!/usr/bin/env bash
# Turns TeaVM's output into the canister module (see docs/canister.md):
#   1. wat2wasm the shims (TeaVM runtime → ic0, java.lang.Math → Wasm instructions / DetMath, arena memory, and the
#      Wasm SIMD kernels, repacking, SHA-256, activations, attention and vector ops: 128-bit SIMD, which the IC enables, is enabled in every binaryen step below)
#   2. wasm-merge them into TeaVM's module
#   3. finish.mjs strip: only canister_* exports, unused code removed, validated, ic0-only imports enforced
#   4. wasm-opt -O3 -ocimfs=2000 --strip-debug --strip-producers
#   5. finish.mjs memory-max: memory maximum 65,536 pages (the arena grows above TeaVM's heap)
#   6. ic-wasm check-endpoints against ../canister.did, then embed candid:service metadata (public), as dfx does
#   7. wasm-validate (wabt) as a second, independent validator
# Usage: build-wasm.sh TEAVM_OUTPUT.wasm OUTPUT.wasm   (run from the wasm-canister directory)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module_dir="$(dirname "$here")"
root="$(dirname "$module_dir")"
input="$1"
output="$2"

need() {
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "error: the canister build needs '$1' ($2)" >&2
        exit 1
    fi
}
need wat2wasm "Debian package wabt: apt-get install -y wabt"
need wasm-validate "Debian package wabt: apt-get install -y wabt"
need node "Node.js, for binaryen.js"
bin="$here/node_modules/.bin"
ic_wasm="$here/node_modules/@icp-sdk/ic-wasm-linux-x64/bin/ic-wasm"
for tool in "$bin/wasm-merge" "$bin/wasm-opt" "$ic_wasm"; do
    if [ ! -x "$tool" ]; then
        echo "error: $tool is missing: run tools/install.sh (npm ci), which the Maven build does in generate-resources" >&2
        exit 1
    fi
done

work="$(dirname "$output")/wasm-build"
rm -rf "$work"
mkdir -p "$work"
features="--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-simd"

for shim in teavm-runtime teavm-math arena-memory simd-kernels simd-repack sha256 activations simd-attention vector-ops; do
    wat2wasm "$module_dir/src/main/wat/$shim.wat" -o "$work/$shim.wasm"
done
"$bin/wasm-merge" $features "$input" main "$work/teavm-runtime.wasm" teavm "$work/teavm-math.wasm" teavmMath \
    "$work/arena-memory.wasm" arena "$work/simd-kernels.wasm" kernels "$work/simd-repack.wasm" repack \
    "$work/sha256.wasm" sha256 "$work/activations.wasm" activations "$work/simd-attention.wasm" attention \
    "$work/vector-ops.wasm" vectors \
    -o "$work/merged.wasm"
node "$here/finish.mjs" strip "$work/merged.wasm" "$work/stripped.wasm"
# -ocimfs: a function with one caller is inlined only if it is small (binaryen's default inlines any size). Without
# it the SIMD kernels all land in CanisterKernels.matmul, a 110 KB function: still valid Wasm, but the local
# IC host (Chicory) cannot compile a function that large into one JVM method and interprets it, ~50x slower.
"$bin/wasm-opt" $features -O3 -ocimfs=2000 --strip-debug --strip-producers "$work/stripped.wasm" \
    -o "$work/optimized.wasm"
node "$here/finish.mjs" memory-max "$work/optimized.wasm" 65536

printf 'canister_init\ncanister_pre_upgrade\ncanister_post_upgrade\n' > "$work/hidden.txt"
"$ic_wasm" "$work/optimized.wasm" check-endpoints --candid "$root/canister.did" --hidden "$work/hidden.txt"
"$ic_wasm" "$work/optimized.wasm" -o "$output" metadata candid:service -f "$root/canister.did" -v public
wasm-validate "$output"
echo "canister module: $output ($(stat -c %s "$output") bytes)"

# Sourced by the scripts: makes sure the Debian tools the build and tests use are present (wabt: wat2wasm for the
# IC host's test canisters and the canister's shims, wasm-validate for the built canister).
tealama_ensure_wabt() {
    if command -v wat2wasm >/dev/null 2>&1 && command -v wasm-validate >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing Debian's wabt (wat2wasm, wasm-validate)..." >&2
        apt-get update -qq >/dev/null && apt-get install -y -qq wabt >/dev/null
    else
        echo "Tealama's build needs wabt (wat2wasm, wasm-validate): sudo apt-get install wabt" >&2
        exit 1
    fi
}
tealama_ensure_wabt

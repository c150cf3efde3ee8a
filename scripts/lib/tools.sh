# Sourced by the scripts: makes sure the Debian tools the build and tests use are present: wabt (wat2wasm for the IC
# host's test canisters and the canister's shims, wasm-validate for the built canister) and Node.js with npm (the
# canister build installs binaryen and ic-wasm from wasm-canister/tools/package-lock.json).
tealama_ensure_tools() {
    local missing=()
    { command -v wat2wasm && command -v wasm-validate; } >/dev/null 2>&1 || missing+=(wabt)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing Debian packages: ${missing[*]}..." >&2
        apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Tealama's build needs: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})" >&2
        exit 1
    fi
}
tealama_ensure_tools

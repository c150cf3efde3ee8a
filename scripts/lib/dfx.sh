# Sourced by the canister scripts: what they share about dfx, networks and identities.

# Fails with a message saying how to get dfx when it is not on the PATH.
tealama_require_dfx() {
    if ! command -v dfx >/dev/null 2>&1; then
        echo "$(basename "$0"): dfx is needed and not on the PATH; install it with" >&2
        echo "  sh -ci \"\$(curl -fsSL https://internetcomputer.org/install.sh)\"" >&2
        exit 1
    fi
}

# The value of --network NAME (or --network=NAME) among the arguments; "local" without one.
tealama_network_of() {
    local previous="" arg
    for arg in "$@"; do
        if [ "$previous" = "--network" ]; then
            echo "$arg"
            return
        fi
        case "$arg" in --network=*) echo "${arg#--network=}"; return ;; esac
        previous="$arg"
    done
    echo local
}

# Whether option $1 is among the remaining arguments (as "$1" or "$1=...").
tealama_has_option() {
    local name="$1" arg
    shift
    for arg in "$@"; do
        case "$arg" in "$name" | "$name"=*) return 0 ;; esac
    done
    return 1
}

# The local replica's URL, as dfx knows it for this project (4943 unless configured otherwise).
tealama_local_url() {
    local port
    port=$(dfx info webserver-port 2>/dev/null) || port=4943
    echo "http://127.0.0.1:$port"
}

# Exports dfx's current identity to a private temporary PEM file, in TEALAMA_PEM; removed when the script exits.
tealama_export_identity() {
    TEALAMA_PEM=$(mktemp "${TMPDIR:-/tmp}/tealama-identity.XXXXXX")
    chmod 600 "$TEALAMA_PEM"
    trap 'rm -f "$TEALAMA_PEM"' EXIT
    local name
    name=$(dfx identity whoami)
    if ! dfx identity export "$name" > "$TEALAMA_PEM"; then
        echo "$(basename "$0"): cannot export dfx identity '$name'; pass a PEM file with --identity FILE" >&2
        exit 1
    fi
}

# The tealama launcher of this checkout.
tealama_cli() {
    "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tealama" "$@"
}

# Prints the usage block at the top of script $1 (the comment lines after the shebang) when asked for help.
tealama_usage() {
    sed -n '2,/^[^#]/p' "$1" | sed '$d' | sed 's/^# \{0,1\}//'
}

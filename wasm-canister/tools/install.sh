#!/usr/bin/env bash
# Installs the pinned node tools (binaryen 132: wasm-merge, wasm-opt, binaryen.js; @icp-sdk/ic-wasm-linux-x64
# 0.11.1: ic-wasm) from package-lock.json into tools/node_modules, unless they are already there for this lock.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
    echo "error: the canister build needs Node.js and npm (Debian: apt-get install -y nodejs npm) to install binaryen and ic-wasm" >&2
    exit 1
fi
stamp=node_modules/.tealama-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/wasm-opt ]; then
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"

#!/usr/bin/env bash
# Regenerates testdata/reference/chat-templates.txt from a llama.cpp checkout with a CPU build.
# Usage: make_chat_reference.sh LLAMA_CPP_DIR [SCRATCH_DIR]   (default scratch: a new temporary directory)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
llama=$(cd "$1" && pwd)
scratch=${2:-$(mktemp -d)}
mkdir -p "$scratch"

python3 "$here/extract_test_templates.py" "$llama" "$root/testdata/models/tiny-llama3-Q8_0.gguf" \
    > "$scratch/templates.tsv"
g++ -std=c++17 -O1 -o "$scratch/chat_reference" "$here/chat_reference.cpp" \
    -I"$llama/include" -I"$llama/src" -I"$llama/ggml/include" \
    -L"$llama/build/bin" -lllama -Wl,-rpath,"$llama/build/bin"
"$scratch/chat_reference" "$scratch/templates.tsv" > "$root/testdata/reference/chat-templates.txt"
echo "wrote $root/testdata/reference/chat-templates.txt"

#!/usr/bin/env bash
# Writes testdata/reference/quantize.sha256: the SHA-256 of llama.cpp's `llama-quantize --pure IN OUT TYPE` for
# the inputs `tealama quantize` is tested on. Needs a llama.cpp build (commit de3ff81) and, for the F16/BF16 inputs,
# ../shared/tools/gen_llama_gguf.py (python3 + numpy).
#   LLAMA_CPP_BIN=/path/to/llama.cpp/build/bin testdata/tools/make_quantize_references.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${LLAMA_CPP_BIN:?set LLAMA_CPP_BIN to the directory holding llama-quantize}"
shared="${SHARED:-$here/../../shared}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 "$shared/tools/gen_llama_gguf.py" --preset tiny --type F16 -o "$work/tiny-llama3-F16.gguf" >/dev/null
python3 "$shared/tools/gen_llama_gguf.py" --preset tiny --type BF16 -o "$work/tiny-llama3-BF16.gguf" >/dev/null

out="$here/reference/quantize.sha256"
{
    echo "# SHA-256 of llama.cpp's 'llama-quantize --pure IN OUT TYPE' (commit de3ff81, CPU build) for each IN and TYPE."
    echo "# IN is testdata/models/IN, or (extended tests) made by ../shared/tools/gen_llama_gguf.py --preset tiny."
    echo "# Written by testdata/tools/make_quantize_references.sh. Columns: sha256, IN, TYPE."
    for spec in "$here/models/tiny-llama3-F32.gguf" "$here/models/stories260K.gguf" \
                "$work/tiny-llama3-F16.gguf" "$work/tiny-llama3-BF16.gguf"; do
        for type in q8_0 q4_0; do
            "$bin/llama-quantize" --pure "$spec" "$work/out.gguf" "$type" >/dev/null 2>&1
            echo "$(sha256sum < "$work/out.gguf" | cut -d' ' -f1)  $(basename "$spec")  $type"
        done
    done
} > "$out"
cat "$out"

#!/usr/bin/env bash
# Regenerates testdata/reference/tokenizer/ with llama.cpp's tokenizer (see the README there).
#   testdata/tools/make_tokenizer_references.sh /path/to/llama.cpp   (a checkout of de3ff81 built under build/)
set -euo pipefail
LLAMA=${1:?usage: $0 /path/to/llama.cpp}
cd "$(dirname "$0")/.."
OUT=reference/tokenizer
TOOL=$(mktemp -d)/llama-tokenizer-reference
mkdir -p "$OUT"

g++ -std=c++17 -O1 -I"$LLAMA/include" -I"$LLAMA/ggml/include" tools/llama-tokenizer-reference.cpp \
    -L"$LLAMA/build/bin" -lllama -Wl,-rpath,"$LLAMA/build/bin" -o "$TOOL"

python3 tools/tokenizer_texts.py edge > "$OUT/edge-cases.inp"
python3 tools/tokenizer_texts.py random > "$OUT/random.inp"

run() { "$TOOL" "$@" 2>/dev/null; }

for pair in llama3:tiny-llama3-Q8_0.gguf llama2:ggml-vocab-llama-spm.gguf stories260K:stories260K.gguf; do
    name=${pair%%:*}
    model=models/${pair#*:}
    sets="edge-cases random"
    [ "$name" = stories260K ] && sets=edge-cases  # its 512-token vocabulary makes long outputs
    for set in $sets; do
        run "$model" tokenize "$OUT/$set.inp" 0 0 > "$OUT/$name.$set.plain.tokens"
        run "$model" tokenize "$OUT/$set.inp" 1 1 > "$OUT/$name.$set.special.tokens"
        run "$model" detokenize "$OUT/$name.$set.plain.tokens" 0 0 > "$OUT/$name.$set.plain.detok"
        run "$model" detokenize "$OUT/$name.$set.special.tokens" 0 1 > "$OUT/$name.$set.special.detok"
    done
    run "$model" vocab > "$OUT/$name.vocab.tsv"
done

# llama.cpp's own test vectors, detokenized
run models/tiny-llama3-Q8_0.gguf detokenize reference/ggml-vocab-llama-bpe.gguf.out 0 0 > "$OUT/llama3.ggml-vocab-test.plain.detok"
run models/ggml-vocab-llama-spm.gguf detokenize reference/ggml-vocab-llama-spm.gguf.out 0 0 > "$OUT/llama2.ggml-vocab-test.plain.detok"

# the full vocabulary listings of the large vocabularies are kept as digests only
for name in llama3 llama2; do
    sha256sum "$OUT/$name.vocab.tsv" | cut -d' ' -f1 > "$OUT/$name.vocab.tsv.sha256"
    rm "$OUT/$name.vocab.tsv"
done

#!/usr/bin/env bash
# Regenerates testdata/tensor/ from llama.cpp (commit de3ff81) and ../shared. See testdata/tensor/README.md.
#   testdata/tools/make_tensor_fixtures.sh LLAMA_CPP_DIR SCRATCH_DIR
# LLAMA_CPP_DIR: a llama.cpp checkout with a CPU build in LLAMA_CPP_DIR/build (bin/ holds the .so files and
# llama-quantize). SCRATCH_DIR: where the generated models and the compiled harness go (not committed).
set -euo pipefail
LLAMA=$(realpath "$1")
SCRATCH=$(mkdir -p "$2" && realpath "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED=$ROOT/../shared
OUT=$ROOT/testdata/tensor
TOOLS=$ROOT/testdata/tools
BIN=$LLAMA/build/bin
GGML=$LLAMA/ggml

# 1. Models: the committed / shared ones, plus F16, BF16, Q4_1 and Q5_K made here.
mkdir -p "$SCRATCH/models" "$SCRATCH/stage" "$SCRATCH/c"
cd "$SCRATCH/models"
for m in tiny-llama3-F32 tiny-llama3-Q8_0 tiny-llama3-Q4_0 tinyk-llama3-Q4_K tinyk-llama3-Q6_K; do
    ln -sf "$SHARED/models/$m.gguf" .
done
for t in F16 BF16 Q4_1; do
    [ -f tiny-llama3-$t.gguf ] || python3 "$SHARED/tools/gen_llama_gguf.py" --preset tiny --type $t -o tiny-llama3-$t.gguf
done
[ -f tinyk-llama3-F32.gguf ] || python3 "$SHARED/tools/gen_llama_gguf.py" --preset tinyk --type F32 -o tinyk-llama3-F32.gguf
[ -f tinyk-llama3-Q5_K.gguf ] || "$BIN/llama-quantize" --pure tinyk-llama3-F32.gguf tinyk-llama3-Q5_K.gguf Q5_K
sha256sum tiny-llama3-F16.gguf tiny-llama3-BF16.gguf tiny-llama3-Q4_1.gguf tinyk-llama3-F32.gguf tinyk-llama3-Q5_K.gguf

# 2. Inputs, extracted with gguf-py.
PYTHONPATH=$LLAMA/gguf-py python3 "$TOOLS/tensor_fixtures_extract.py" "$SCRATCH/models" "$SCRATCH/stage"

# 3. The harness: ggml's generic dot products (quants.c) and scalar float dot products (vec.cpp) compiled
#    without SIMD flags and without FMA contraction, renamed so they do not clash with libggml-cpu's.
cd "$SCRATCH/c"
INC="-I$GGML/include -I$GGML/src -I$GGML/src/ggml-cpu"
RENAME=""
for f in q4_0_q8_0 q4_1_q8_1 q8_0_q8_0 q4_K_q8_K q5_K_q8_K q6_K_q8_K; do
    RENAME="$RENAME -Dggml_vec_dot_${f}_generic=gen_vec_dot_${f}"
done
gcc -O2 -ffp-contract=off -std=gnu11 $INC $RENAME -c "$GGML/src/ggml-cpu/quants.c" -o quants_generic.o
g++ -O2 -ffp-contract=off -std=gnu++17 $INC -Dggml_vec_dot_f32=scalar_vec_dot_f32 \
    -Dggml_vec_dot_f16=scalar_vec_dot_f16 -Dggml_vec_dot_bf16=scalar_vec_dot_bf16 \
    -c "$GGML/src/ggml-cpu/vec.cpp" -o vec_scalar.o
# keep only the renamed entry points global, so nothing else in these objects shadows libggml-cpu
objcopy -w --keep-global-symbol='gen_vec_dot_*' quants_generic.o
objcopy -w --keep-global-symbol='scalar_vec_dot_*' vec_scalar.o
gcc -O2 -mf16c -std=gnu11 -I"$GGML/include" "$TOOLS/ggml_reference.c" quants_generic.o vec_scalar.o \
    -L"$BIN" -Wl,-rpath,"$BIN" -lggml-cpu -lggml-base -lstdc++ -lm -o ggml_reference

# 4. Run it.
rm -rf "$OUT/weights" "$OUT/x" "$OUT/dot"
mkdir -p "$OUT/weights" "$OUT/x" "$OUT/dot"
R=./ggml_reference
$R conversions "$SCRATCH/stage/conversions.u32" "$OUT/conversions.bin"
$R halves "$SCRATCH/stage/halves.bin"
$R activations "$SCRATCH/stage/activations.f32" "$OUT/activations"
cp "$SCRATCH/stage/activations.f32" "$OUT/activations.f32"
cp "$SCRATCH/stage/quantize-offsets.txt" "$OUT/"
rm -f "$SCRATCH/dots.log"
for spec in F32:8:256 F16:8:256 BF16:8:256 Q8_0:32:256 Q4_0:32:256 Q4_1:32:256 Q4_K:32:512 Q5_K:32:512 Q6_K:32:512; do
    IFS=: read -r t rows cols <<< "$spec"
    cp "$SCRATCH/stage/weights/$t.bin" "$OUT/weights/"
    cp "$SCRATCH/stage/x/$t.f32" "$OUT/x/"
    $R weights "$t" "$rows" "$cols" "$OUT/weights/$t.bin" "$OUT/x/$t.f32" "$SCRATCH/stage/$t" 2>>"$SCRATCH/dots.log"
    mv "$SCRATCH/stage/$t.dequant.f32" "$OUT/weights/$t.dequant.f32"
    mv "$SCRATCH/stage/$t.dot.f32" "$OUT/dot/$t.f32"
    mv "$SCRATCH/stage/$t.blockdots.f32" "$OUT/dot/$t.blocks.f32"
done

rm -rf "$OUT/stress" && mkdir -p "$OUT/stress"
seed=1
for spec in Q8_0:32 Q4_0:32 Q4_1:32 Q4_K:8 Q5_K:8 Q6_K:8; do
    IFS=: read -r t blocks <<< "$spec"
    $R stress "$t" "$blocks" "$seed" "$OUT/stress/$t" 2>>"$SCRATCH/dots.log"
    seed=$((seed + 1))
done

# 5. Cross-checks and digests.
python3 - "$SCRATCH/stage" "$OUT" <<'EOF'
import hashlib, sys
import numpy as np
stage, out = sys.argv[1], sys.argv[2]
# gguf-py's dequantizer must agree with ggml's on every element (two independent implementations).
for t in ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"]:
    a = np.fromfile(f"{stage}/weights/{t}.gguf-py.f32", dtype="<f4")
    b = np.fromfile(f"{out}/weights/{t}.dequant.f32", dtype="<f4")
    assert a.view("<u4").tolist() == b.view("<u4").tolist(), t
    print(f"{t}: gguf-py dequantize == ggml dequantize_row ({b.size} values)")
# The exhaustive fp16/bf16 tables are committed as digests only.
rec = np.fromfile(f"{stage}/halves.bin", dtype=np.uint8).reshape(65536, 12)
parts = {"f16-to-f32": rec[:, 0:4], "f16-roundtrip": rec[:, 4:6], "bf16-to-f32": rec[:, 6:10],
         "bf16-roundtrip": rec[:, 10:12]}
with open(f"{out}/halves.sha256", "w") as f:
    for name, cols in parts.items():
        f.write(f"{hashlib.sha256(np.ascontiguousarray(cols).tobytes()).hexdigest()}  {name}\n")
print(open(f"{out}/halves.sha256").read())
EOF
echo "dot products: see $SCRATCH/dots.log"

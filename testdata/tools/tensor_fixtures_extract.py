#!/usr/bin/env python3
"""Step 1 of making testdata/tensor/ (see testdata/tensor/README.md): inputs for ggml's own functions.

Reads real tensor bytes with llama.cpp's gguf-py (GGUFReader gives each tensor's data offset) and writes:
  weights/<TYPE>.bin        the first rows (8 or 32) of blk.0.ffn_down.weight, raw ggml blocks as stored
  weights/<TYPE>.gguf-py.f32 gguf-py's gguf.quants.dequantize of the first 8 rows (a second, independent
                            dequantizer)
  x/<TYPE>.f32              a pseudo-random activation row (numpy PCG64, seed 20240 + ggml type id), N(0,1)
  activations.f32           1536 activations with hand-made edge cases, for the Q8_0 / Q8_1 / Q8_K quantizers
  conversions.u32           float32 bit patterns to convert to fp16 and bf16 (edge cases + random patterns)
  quantize-offsets.txt      every tensor of tiny-llama3-F32.gguf with its data offset in the F32, Q8_0 and
                            Q4_0 files (the weight-quantizer test reads those rows straight from the models)

usage: PYTHONPATH=<llama.cpp>/gguf-py python3 tensor_fixtures_extract.py MODELS_DIR OUT_DIR
MODELS_DIR holds all the .gguf files named below (committed, shared and generated ones).
"""
import os
import sys

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

# Rows per fixture: the float types' dot product is a plain double sum, 8 rows suffice; the quantized types get
# 32 rows so that the float rounding of the per-block terms is exercised on many blocks.
ROWS_FLOAT = 8
ROWS_QUANTIZED = 32

SOURCES = [
    # (type, model file, rows); ffn_down rows are 256 wide in the tiny models, 512 in the tinyk ones
    ("F32", "tiny-llama3-F32.gguf", ROWS_FLOAT),
    ("F16", "tiny-llama3-F16.gguf", ROWS_FLOAT),
    ("BF16", "tiny-llama3-BF16.gguf", ROWS_FLOAT),
    ("Q8_0", "tiny-llama3-Q8_0.gguf", ROWS_QUANTIZED),
    ("Q4_0", "tiny-llama3-Q4_0.gguf", ROWS_QUANTIZED),
    ("Q4_1", "tiny-llama3-Q4_1.gguf", ROWS_QUANTIZED),
    ("Q4_K", "tinyk-llama3-Q4_K.gguf", ROWS_QUANTIZED),
    ("Q5_K", "tinyk-llama3-Q5_K.gguf", ROWS_QUANTIZED),
    ("Q6_K", "tinyk-llama3-Q6_K.gguf", ROWS_QUANTIZED),
]
TENSOR = "blk.0.ffn_down.weight"


def tensor(reader, name):
    for t in reader.tensors:
        if t.name == name:
            return t
    raise SystemExit("no tensor " + name)


def extract_weights(models, out):
    os.makedirs(os.path.join(out, "weights"), exist_ok=True)
    os.makedirs(os.path.join(out, "x"), exist_ok=True)
    for type_name, file_name, rows in SOURCES:
        reader = GGUFReader(os.path.join(models, file_name))
        t = tensor(reader, TENSOR)
        assert t.tensor_type.name == type_name, (file_name, t.tensor_type.name)
        cols = int(t.shape[0])
        row_bytes = t.n_bytes // int(t.shape[1])
        raw = np.asarray(reader.data[t.data_offset:t.data_offset + rows * row_bytes], dtype=np.uint8)
        raw.tofile(os.path.join(out, "weights", type_name + ".bin"))
        first = raw[:8 * row_bytes]
        if type_name == "F32":
            floats = first.view(np.float32)
        elif type_name == "F16":
            floats = first.view(np.float16).astype(np.float32)
        else:
            floats = dequantize(first.reshape(8, row_bytes), t.tensor_type).astype(np.float32).reshape(-1)
        assert floats.size == 8 * cols
        floats.astype("<f4").tofile(os.path.join(out, "weights", type_name + ".gguf-py.f32"))
        rng = np.random.Generator(np.random.PCG64(20240 + int(t.tensor_type)))
        rng.standard_normal(cols, dtype=np.float32).astype("<f4").tofile(os.path.join(out, "x", type_name + ".f32"))
        print(f"{type_name}: {rows} rows x {cols} of {TENSOR} from {file_name}, {rows * row_bytes} bytes")


def activations(out):
    """6 super-blocks of 256 (= 48 blocks of 32), with edge cases in the first blocks."""
    rng = np.random.Generator(np.random.PCG64(7))
    x = np.zeros(1536, dtype=np.float32)
    # block 0: all zero (d = 0, id = 0)
    # block 1: amax 127 makes id exactly 1, so x*id lands on .5: round-half-to-even vs roundf differ
    x[32:64] = [127, -127, 0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -3.5, 126.5, -126.5, 4.5, 5.5, 0, -0,
                0.25, 0.75, 1.25, 10.5, 11.5, -10.5, -11.5, 100.5, 101.5, -100.5, -101.5, 64.5, 63.5, 1, -1, 2]
    # block 2: tiny values, fp16(d) underflows to a subnormal / zero
    x[64:96] = rng.standard_normal(32, dtype=np.float32) * np.float32(1e-9)
    # block 3: huge values, fp16(d) overflows to infinity
    x[96:128] = rng.standard_normal(32, dtype=np.float32) * np.float32(1e7)
    # block 4: a single spike
    x[128 + 17] = -3.25
    # block 5: subnormal float inputs
    x[160:192] = rng.standard_normal(32, dtype=np.float32) * np.float32(1e-40)
    # rest of super-block 0: normal values of varying scale
    for b in range(6, 8):
        x[32 * b:32 * b + 32] = rng.standard_normal(32, dtype=np.float32) * np.float32(0.1 * b)
    # super-block 1 (256..511) stays all zero (Q8_K's zero path)
    # super-block 2: largest magnitude is negative (Q8_K's iscale is then positive)
    x[512:768] = rng.standard_normal(256, dtype=np.float32)
    x[512 + 100] = -9.0
    # super-blocks 3..5: ordinary activations at three scales
    x[768:1024] = rng.standard_normal(256, dtype=np.float32) * np.float32(0.02)
    x[1024:1280] = rng.standard_normal(256, dtype=np.float32)
    x[1280:1536] = rng.standard_normal(256, dtype=np.float32) * np.float32(30)
    x.astype("<f4").tofile(os.path.join(out, "activations.f32"))


def conversions(out):
    """float32 bit patterns whose fp16 / bf16 rounding is worth checking."""
    cases = []

    def add(bits):
        cases.append(bits & 0xFFFFFFFF)

    for sign in (0, 0x80000000):
        for b in (0, 1, 0x7FFFFF, 0x800000, 0x7F800000, 0x7F800001, 0x7FC00000, 0x7FFFFFFF, 0x7FA00000,
                  0x7F802000, 0x7F801FFF, 0x7FBFE000, 0x7F7FFFFF, 0x3F800000):
            add(sign | b)
        for e in range(0, 255):  # every float exponent
            base = sign | (e << 23)
            # fp16 keeps 10 mantissa bits (halfway: low 13 bits 0x1000), bf16 keeps 7 (halfway: 0x8000)
            for m in (0, 1, 0x1000, 0x3000, 0x0FFF, 0x7FF000, 0x7FFFFF, 0x8000, 0x18000, 0x7FFF):
                add(base | m)
        # around the fp16 limits: max 65504, overflow at 65520, min normal 2^-14, min subnormal 2^-24
        for f in (65504.0, 65519.0, 65520.0, 65536.0, 2.0 ** -14, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -26,
                  2.0 ** -15, 1.5 * 2.0 ** -24, 2.5 * 2.0 ** -24):
            bits = int(np.array([f], dtype=np.float32).view(np.uint32)[0])
            for d in range(-3, 4):
                add(sign | (bits + d))
    rng = np.random.Generator(np.random.PCG64(11))
    for b in rng.integers(0, 2 ** 32, size=1500, dtype=np.uint64):
        add(int(b))
    np.array(cases, dtype="<u4").tofile(os.path.join(out, "conversions.u32"))
    print(f"{len(cases)} conversion cases")


def quantize_offsets(models, out):
    readers = {t: GGUFReader(os.path.join(models, f"tiny-llama3-{t}.gguf")) for t in ("F32", "Q8_0", "Q4_0")}
    lines = ["# tensor  elements  offset-in-F32-file  offset-in-Q8_0-file  offset-in-Q4_0-file  (quantized 2D only)"]
    for t in readers["F32"].tensors:
        q8 = tensor(readers["Q8_0"], t.name)
        q4 = tensor(readers["Q4_0"], t.name)
        if q8.tensor_type.name != "Q8_0" or q4.tensor_type.name != "Q4_0":
            continue  # norms stay F32
        lines.append(f"{t.name} {int(t.n_elements)} {t.data_offset} {q8.data_offset} {q4.data_offset}")
    with open(os.path.join(out, "quantize-offsets.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(lines) - 1} quantized tensors")


def main():
    models, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    extract_weights(models, out)
    activations(out)
    conversions(out)
    quantize_offsets(models, out)


if __name__ == "__main__":
    main()

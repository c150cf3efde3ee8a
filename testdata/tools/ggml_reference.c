// Step 2 of making testdata/tensor/ (see testdata/tensor/README.md): runs ggml's own functions on the inputs
// written by tensor_fixtures_extract.py and writes what they return.
//
// Links against llama.cpp's CPU build (libggml-base, libggml-cpu: dequantize_row_*, the x86 activation
// quantizers quantize_row_q8_0 / _q8_1 / _q8_K, the fp16/bf16 converters, the SIMD dot products through
// ggml_get_type_traits_cpu) and against two llama.cpp sources compiled by make_tensor_fixtures.sh with
// -ffp-contract=off and no SIMD flags: ggml-cpu/quants.c (the *_generic dot products, renamed gen_*) and
// ggml-cpu/vec.cpp (the scalar ggml_vec_dot_f32/f16/bf16, renamed scalar_*). Nothing here reimplements
// ggml arithmetic; this file only moves bytes in and out.
//
//   ggml_reference conversions IN.u32 OUT.bin     OUT: per input u32 float bits, u16 fp16 (F16C), u16 bf16
//   ggml_reference halves OUT.bin                 OUT: for h = 0..65535: u32 fp16->f32, u16 f32->fp16 of it,
//                                                      u32 bf16->f32, u16 f32->bf16 of it
//   ggml_reference activations IN.f32 OUTPREFIX   OUTPREFIX.{q8_0,q8_1,q8_K}.bin (ggml blocks),
//                                                 OUTPREFIX.{f16,bf16}.bin (u16 each)
//   ggml_reference stress TYPE BLOCKS SEED OUTPREFIX   see stress() below
//   ggml_reference weights TYPE ROWS COLS W.bin X.f32 OUTPREFIX
//                                                 OUTPREFIX.dequant.f32  the first 8 rows dequantized
//                                                 OUTPREFIX.dot.f32      ROWS x {generic, SIMD, as-built generic}
//                                                 OUTPREFIX.blockdots.f32  ROWS x (COLS / S): the generic dot
//                                                   product of each S-element segment alone (S = the block
//                                                   size, 32 for the float types): isolates each block's term
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ggml-cpu.h"
#include "ggml.h"

typedef void (*vec_dot_fn)(int n, float * s, size_t bs, const void * x, size_t bx, const void * y, size_t by, int nrc);

// x86 activation quantizers (libggml-cpu)
void quantize_row_q8_0(const float * x, void * y, int64_t k);
void quantize_row_q8_1(const float * x, void * y, int64_t k);
void quantize_row_q8_K(const float * x, void * y, int64_t k);
// dequantizers (libggml-base)
void dequantize_row_q4_0(const void * x, float * y, int64_t k);
void dequantize_row_q4_1(const void * x, float * y, int64_t k);
void dequantize_row_q8_0(const void * x, float * y, int64_t k);
void dequantize_row_q4_K(const void * x, float * y, int64_t k);
void dequantize_row_q5_K(const void * x, float * y, int64_t k);
void dequantize_row_q6_K(const void * x, float * y, int64_t k);
// generic dot products, compiled from ggml-cpu/quants.c with -ffp-contract=off
void gen_vec_dot_q4_0_q8_0(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void gen_vec_dot_q4_1_q8_1(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void gen_vec_dot_q8_0_q8_0(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void gen_vec_dot_q4_K_q8_K(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void gen_vec_dot_q5_K_q8_K(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void gen_vec_dot_q6_K_q8_K(int, float *, size_t, const void *, size_t, const void *, size_t, int);
// scalar float dot products, compiled from ggml-cpu/vec.cpp without SIMD and with -ffp-contract=off
void scalar_vec_dot_f32(int, float *, size_t, const float *, size_t, const float *, size_t, int);
void scalar_vec_dot_f16(int, float *, size_t, ggml_fp16_t *, size_t, ggml_fp16_t *, size_t, int);
void scalar_vec_dot_bf16(int, float *, size_t, ggml_bf16_t *, size_t, ggml_bf16_t *, size_t, int);
// the generic dot products as llama.cpp's build compiled them (-march=native: the compiler may fuse into FMA)
void ggml_vec_dot_q4_0_q8_0_generic(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void ggml_vec_dot_q4_1_q8_1_generic(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void ggml_vec_dot_q8_0_q8_0_generic(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void ggml_vec_dot_q4_K_q8_K_generic(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void ggml_vec_dot_q5_K_q8_K_generic(int, float *, size_t, const void *, size_t, const void *, size_t, int);
void ggml_vec_dot_q6_K_q8_K_generic(int, float *, size_t, const void *, size_t, const void *, size_t, int);

static void * read_file(const char * path, size_t * size) {
    FILE * f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    *size = (size_t) ftell(f);
    fseek(f, 0, SEEK_SET);
    void * data = malloc(*size + 64);
    if (fread(data, 1, *size, f) != *size) { perror(path); exit(1); }
    fclose(f);
    return data;
}

static void write_file(const char * path, const void * data, size_t size) {
    FILE * f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size) { perror(path); exit(1); }
    fclose(f);
}

static char * with_suffix(const char * prefix, const char * suffix) {
    char * s = malloc(strlen(prefix) + strlen(suffix) + 1);
    strcpy(s, prefix);
    strcat(s, suffix);
    return s;
}

static uint16_t f16c_from_float(float f) {
    return (uint16_t) _cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT);
}

static int conversions(const char * in, const char * out) {
    size_t size;
    uint32_t * bits = read_file(in, &size);
    size_t n = size / 4;
    uint8_t * rec = malloc(n * 8);
    size_t cpu_f16_differs = 0, cpu_bf16_differs = 0;
    for (size_t i = 0; i < n; i++) {
        float f;
        memcpy(&f, &bits[i], 4);
        uint16_t h = f16c_from_float(f);
        uint16_t b = ggml_fp32_to_bf16(f).bits;
        memcpy(rec + 8 * i, &bits[i], 4);
        memcpy(rec + 8 * i + 4, &h, 2);
        memcpy(rec + 8 * i + 6, &b, 2);
        // what ggml-cpu itself uses for F16 / BF16 activations, for the record
        ggml_fp16_t h2;
        ggml_bf16_t b2;
        ggml_cpu_fp32_to_fp16(&f, &h2, 1);
        ggml_cpu_fp32_to_bf16(&f, &b2, 1);
        cpu_f16_differs += h2 != h;
        cpu_bf16_differs += b2.bits != b;
    }
    write_file(out, rec, n * 8);
    fprintf(stderr, "conversions: %zu cases; ggml_cpu_fp32_to_fp16 differs from F16C on %zu, "
                    "ggml_cpu_fp32_to_bf16 from ggml_fp32_to_bf16 on %zu\n", n, cpu_f16_differs, cpu_bf16_differs);
    return 0;
}

static int halves(const char * out) {
    uint8_t * rec = malloc(65536 * 12);
    for (uint32_t h = 0; h < 65536; h++) {
        float f = _cvtsh_ss((unsigned short) h);
        uint16_t back = f16c_from_float(f);
        ggml_bf16_t b = { (uint16_t) h };
        float g = ggml_bf16_to_fp32(b);
        uint16_t bback = ggml_fp32_to_bf16(g).bits;
        memcpy(rec + 12 * h, &f, 4);
        memcpy(rec + 12 * h + 4, &back, 2);
        memcpy(rec + 12 * h + 6, &g, 4);
        memcpy(rec + 12 * h + 10, &bback, 2);
    }
    write_file(out, rec, 65536 * 12);
    return 0;
}

static int activations(const char * in, const char * prefix) {
    size_t size;
    float * x = read_file(in, &size);
    int64_t n = (int64_t) (size / 4);
    if (n % 256 != 0) { fprintf(stderr, "activations: need a multiple of 256\n"); return 1; }
    void * q80 = malloc((size_t) n / 32 * 34);
    void * q81 = malloc((size_t) n / 32 * 36);
    void * q8k = malloc((size_t) n / 256 * 292);
    memset(q8k, 0, (size_t) n / 256 * 292);  // quantize_row_q8_K leaves bsums of an all-zero block unset
    ggml_fp16_t * f16 = malloc((size_t) n * 2);
    ggml_bf16_t * bf16 = malloc((size_t) n * 2);
    quantize_row_q8_0(x, q80, n);
    quantize_row_q8_1(x, q81, n);
    quantize_row_q8_K(x, q8k, n);
    ggml_cpu_fp32_to_fp16(x, f16, n);
    ggml_fp32_to_bf16_row_ref(x, bf16, n);
    write_file(with_suffix(prefix, ".q8_0.bin"), q80, (size_t) n / 32 * 34);
    write_file(with_suffix(prefix, ".q8_1.bin"), q81, (size_t) n / 32 * 36);
    write_file(with_suffix(prefix, ".q8_K.bin"), q8k, (size_t) n / 256 * 292);
    write_file(with_suffix(prefix, ".f16.bin"), f16, (size_t) n * 2);
    write_file(with_suffix(prefix, ".bf16.bin"), bf16, (size_t) n * 2);
    return 0;
}

static enum ggml_type type_named(const char * name) {
    for (int t = 0; t < GGML_TYPE_COUNT; t++) {
        const char * tn = ggml_type_name((enum ggml_type) t);
        if (tn && strcasecmp(tn, name) == 0) {
            return (enum ggml_type) t;
        }
    }
    fprintf(stderr, "unknown type %s\n", name);
    exit(1);
}

static int weights(const char * type_name, int rows, int cols, const char * wpath, const char * xpath, const char * prefix) {
    enum ggml_type type = type_named(type_name);
    size_t wsize, xsize;
    uint8_t * w = read_file(wpath, &wsize);
    float * x = read_file(xpath, &xsize);
    size_t row_bytes = ggml_row_size(type, cols);
    if (wsize != row_bytes * rows || xsize != (size_t) cols * 4) { fprintf(stderr, "%s: sizes\n", type_name); return 1; }

    const int64_t n = (int64_t) 8 * cols;  // the dequantization fixture covers the first 8 rows
    float * deq = malloc(sizeof(float) * n);
    switch (type) {
        case GGML_TYPE_F32:  memcpy(deq, w, sizeof(float) * n); break;
        case GGML_TYPE_F16:  ggml_fp16_to_fp32_row((const ggml_fp16_t *) w, deq, n); break;
        case GGML_TYPE_BF16: ggml_bf16_to_fp32_row((const ggml_bf16_t *) w, deq, n); break;
        case GGML_TYPE_Q4_0: dequantize_row_q4_0(w, deq, n); break;
        case GGML_TYPE_Q4_1: dequantize_row_q4_1(w, deq, n); break;
        case GGML_TYPE_Q8_0: dequantize_row_q8_0(w, deq, n); break;
        case GGML_TYPE_Q4_K: dequantize_row_q4_K(w, deq, n); break;
        case GGML_TYPE_Q5_K: dequantize_row_q5_K(w, deq, n); break;
        case GGML_TYPE_Q6_K: dequantize_row_q6_K(w, deq, n); break;
        default: fprintf(stderr, "no dequantizer for %s\n", type_name); return 1;
    }
    write_file(with_suffix(prefix, ".dequant.f32"), deq, sizeof(float) * n);

    // The activations in vec_dot_type form, made by the CPU backend's own from_float (as a matmul does).
    const struct ggml_type_traits_cpu * traits = ggml_get_type_traits_cpu(type);
    enum ggml_type act_type = traits->vec_dot_type;
    void * xq = calloc(1, ggml_row_size(act_type, cols) + 64);
    ggml_get_type_traits_cpu(act_type)->from_float(x, xq, cols);

    vec_dot_fn generic = NULL, built = NULL;
    switch (type) {
        case GGML_TYPE_F32:  generic = (vec_dot_fn) scalar_vec_dot_f32; break;
        case GGML_TYPE_F16:  generic = (vec_dot_fn) scalar_vec_dot_f16; break;
        case GGML_TYPE_BF16: generic = (vec_dot_fn) scalar_vec_dot_bf16; break;
        case GGML_TYPE_Q4_0: generic = gen_vec_dot_q4_0_q8_0; built = ggml_vec_dot_q4_0_q8_0_generic; break;
        case GGML_TYPE_Q4_1: generic = gen_vec_dot_q4_1_q8_1; built = ggml_vec_dot_q4_1_q8_1_generic; break;
        case GGML_TYPE_Q8_0: generic = gen_vec_dot_q8_0_q8_0; built = ggml_vec_dot_q8_0_q8_0_generic; break;
        case GGML_TYPE_Q4_K: generic = gen_vec_dot_q4_K_q8_K; built = ggml_vec_dot_q4_K_q8_K_generic; break;
        case GGML_TYPE_Q5_K: generic = gen_vec_dot_q5_K_q8_K; built = ggml_vec_dot_q5_K_q8_K_generic; break;
        case GGML_TYPE_Q6_K: generic = gen_vec_dot_q6_K_q8_K; built = ggml_vec_dot_q6_K_q8_K_generic; break;
        default: return 1;
    }
    float * dots = malloc(sizeof(float) * rows * 3);
    for (int r = 0; r < rows; r++) {
        const void * wr = w + row_bytes * r;
        generic(cols, &dots[3 * r], 0, wr, 0, xq, 0, 1);
        traits->vec_dot(cols, &dots[3 * r + 1], 0, wr, 0, xq, 0, 1);
        if (built) {
            built(cols, &dots[3 * r + 2], 0, wr, 0, xq, 0, 1);
        } else {
            dots[3 * r + 2] = dots[3 * r];  // the float dot products have no separate generic build
        }
        fprintf(stderr, "%s row %d: generic %.9g  SIMD %.9g  as-built generic %.9g\n", type_name, r,
                dots[3 * r], dots[3 * r + 1], dots[3 * r + 2]);
    }
    write_file(with_suffix(prefix, ".dot.f32"), dots, sizeof(float) * rows * 3);

    int segment = ggml_blck_size(type) > 1 ? (int) ggml_blck_size(type) : 32;
    int segments = cols / segment;
    size_t segment_bytes = ggml_row_size(type, segment);
    size_t act_segment_bytes = ggml_row_size(act_type, segment);
    float * block_dots = malloc(sizeof(float) * rows * segments);
    for (int r = 0; r < rows; r++) {
        for (int b = 0; b < segments; b++) {
            generic(segment, &block_dots[r * segments + b], 0, w + row_bytes * r + segment_bytes * b, 0,
                    (const uint8_t *) xq + act_segment_bytes * b, 0, 1);
        }
    }
    write_file(with_suffix(prefix, ".blockdots.f32"), block_dots, sizeof(float) * rows * segments);
    return 0;
}

// Deterministic input generation for the stress fixtures (splitmix64); not ggml arithmetic.
static uint64_t rng_state;
static uint64_t next_random(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static float uniform(float lo, float hi) {
    return lo + (hi - lo) * (float) ((next_random() >> 40) * 0x1p-24);
}
static void put_half(uint8_t * p, float f) {
    uint16_t h = f16c_from_float(f);
    memcpy(p, &h, 2);
}

// Random blocks of TYPE (random bytes, with fp16 scales set to sane positive values) and activations that
// correlate with them (the dequantized weights plus noise), so the integer block sums are large and every
// float rounding step of the generic code matters. Writes OUTPREFIX.bin (the blocks), OUTPREFIX.x.f32 and
// OUTPREFIX.dots.f32: the generic dot product of each block alone, then of all blocks, then the SIMD one.
static int stress(const char * type_name, int blocks, uint64_t seed, const char * prefix) {
    enum ggml_type type = type_named(type_name);
    rng_state = seed;
    int qk = (int) ggml_blck_size(type);
    size_t block_bytes = ggml_type_size(type);
    int n = qk * blocks;
    uint8_t * w = malloc(block_bytes * blocks);
    for (size_t i = 0; i < block_bytes * blocks; i++) {
        w[i] = (uint8_t) next_random();
    }
    for (int b = 0; b < blocks; b++) {
        uint8_t * p = w + block_bytes * b;
        switch (type) {
            case GGML_TYPE_Q8_0: case GGML_TYPE_Q4_0: put_half(p, uniform(0.001f, 0.05f)); break;
            case GGML_TYPE_Q4_1: put_half(p, uniform(0.001f, 0.05f)); put_half(p + 2, uniform(-0.4f, 0.0f)); break;
            case GGML_TYPE_Q4_K: case GGML_TYPE_Q5_K:
                put_half(p, uniform(0.0005f, 0.005f)); put_half(p + 2, uniform(0.0005f, 0.005f)); break;
            case GGML_TYPE_Q6_K: put_half(p + 208, uniform(0.0005f, 0.005f)); break;
            default: fprintf(stderr, "stress: no %s\n", type_name); return 1;
        }
    }
    float * x = malloc(sizeof(float) * n);
    ggml_get_type_traits(type)->to_float(w, x, n);
    for (int i = 0; i < n; i++) {
        x[i] = x[i] * uniform(0.5f, 2.0f) + uniform(-0.05f, 0.05f);
    }
    const struct ggml_type_traits_cpu * traits = ggml_get_type_traits_cpu(type);
    enum ggml_type act_type = traits->vec_dot_type;
    void * xq = calloc(1, ggml_row_size(act_type, n) + 64);
    ggml_get_type_traits_cpu(act_type)->from_float(x, xq, n);
    vec_dot_fn generic = NULL;
    switch (type) {
        case GGML_TYPE_Q4_0: generic = gen_vec_dot_q4_0_q8_0; break;
        case GGML_TYPE_Q4_1: generic = gen_vec_dot_q4_1_q8_1; break;
        case GGML_TYPE_Q8_0: generic = gen_vec_dot_q8_0_q8_0; break;
        case GGML_TYPE_Q4_K: generic = gen_vec_dot_q4_K_q8_K; break;
        case GGML_TYPE_Q5_K: generic = gen_vec_dot_q5_K_q8_K; break;
        case GGML_TYPE_Q6_K: generic = gen_vec_dot_q6_K_q8_K; break;
        default: return 1;
    }
    size_t act_block_bytes = ggml_type_size(act_type);
    float * dots = malloc(sizeof(float) * (blocks + 2));
    for (int b = 0; b < blocks; b++) {
        generic(qk, &dots[b], 0, w + block_bytes * b, 0, (const uint8_t *) xq + act_block_bytes * b, 0, 1);
    }
    generic(n, &dots[blocks], 0, w, 0, xq, 0, 1);
    traits->vec_dot(n, &dots[blocks + 1], 0, w, 0, xq, 0, 1);
    fprintf(stderr, "stress %s: %d blocks, generic %.9g, SIMD %.9g\n", type_name, blocks, dots[blocks], dots[blocks + 1]);
    write_file(with_suffix(prefix, ".bin"), w, block_bytes * blocks);
    write_file(with_suffix(prefix, ".x.f32"), x, sizeof(float) * n);
    write_file(with_suffix(prefix, ".dots.f32"), dots, sizeof(float) * (blocks + 2));
    return 0;
}

int main(int argc, char ** argv) {
    ggml_cpu_init();  // fills ggml_table_f32_f16, which the generic code reads fp16 through
    if (argc == 4 && strcmp(argv[1], "conversions") == 0) return conversions(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "halves") == 0) return halves(argv[2]);
    if (argc == 4 && strcmp(argv[1], "activations") == 0) return activations(argv[2], argv[3]);
    if (argc == 8 && strcmp(argv[1], "weights") == 0) {
        return weights(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5], argv[6], argv[7]);
    }
    if (argc == 6 && strcmp(argv[1], "stress") == 0) {
        return stress(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10), argv[5]);
    }
    fprintf(stderr, "usage: see the comment at the top of ggml_reference.c\n");
    return 2;
}

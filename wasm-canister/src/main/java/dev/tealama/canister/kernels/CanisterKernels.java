package dev.tealama.canister.kernels;

import dev.tealama.canister.store.LinearMemory;
import dev.tealama.canister.store.WeightArena;
import dev.tealama.math.DetMath;
import dev.tealama.model.Attention;
import dev.tealama.model.Kernels;
import dev.tealama.model.KvCache;
import dev.tealama.model.Matrix;
import dev.tealama.model.Rope;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import java.util.Arrays;

/**
 * The canister's kernels: Q8_0, Q4_0, Q4_K, Q5_K, Q6_K, F32 and F16 matrices in the weight arena go to the Wasm SIMD kernels
 * ({@link SimdKernels}), which read the weights where they lie (no copy) and give the scalar kernels' bits; every
 * other case (other weight types, weights not in the arena, rows left over after groups of four) runs core's
 * {@link ScalarKernels}, the reference. Matrices the load repacked into {@link PackedLayout} (their groups of four
 * rows; the rows left over keep the GGUF layout) go to the packed kernels, whole or in slices of whole groups (the
 * output projection: core's session slices it at multiples of four rows); a token's embedding is read back from the
 * packed layout when the token embedding is the repacked output projection. The greedy sampler's argmax is Wasm SIMD
 * too.
 */
public final class CanisterKernels implements Kernels {
    private final ScalarKernels scalar = new ScalarKernels();
    private final long[] packedOffsets;
    private float[] scratch = new float[0]; // the packed kernels' activations (act_prep), 4-byte units
    private float[] head = new float[0]; // attention: queries rounded to F16, inverse sums, per-position records
    private byte[] group = new byte[0]; // a packed group of four rows, to read one row back (a token's embedding)

    /** Kernels for a model none of whose matrices is repacked. */
    public CanisterKernels() {
        this(new long[0]);
    }

    /** @param packedOffsets the arena offsets of the repacked matrices, sorted */
    public CanisterKernels(long[] packedOffsets) {
        this.packedOffsets = packedOffsets;
    }

    @Override
    public void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
        if (matmulFloatWeights(w, x, count, out, rowStart, rowEnd)) {
            return;
        }
        GgmlType type = w.format().type();
        boolean simd = (type == GgmlType.Q8_0 || type == GgmlType.Q4_0) && w.source() instanceof WeightArena
                && count > 0 && x[0].type() == ActivationType.Q8_0;
        if (isPacked(w)) {
            if (!simd || rowStart < 0 || rowStart % 4 != 0 || rowEnd <= rowStart || rowEnd > w.rows()
                    || (rowEnd % 4 != 0 && rowEnd != w.rows())) {
                // the scalar kernels cannot read the packed layout: this would give wrong results, not slow ones
                throw new IllegalStateException("the repacked matrix " + w.name() + " can only be multiplied by Q8_0"
                        + " activations in whole groups of four rows, not rows " + rowStart + ".." + rowEnd);
            }
            matmulPacked(w, x, count, out, rowStart, rowEnd);
            return;
        }
        if (kQuantInArena(w, x, count)) {
            matmulKQuants(w, x, count, out, rowStart, rowEnd);
            return;
        }
        int groups = simd ? (rowEnd - rowStart) / 4 : 0;
        if (groups > 0) {
            WeightArena arena = (WeightArena) w.source();
            int first = (int) arena.address(w.rowOffset(rowStart)); // a Wasm address: u32 in an i32
            int stride = w.rowBytes();
            int blocks = w.cols() / 32;
            boolean q8 = type == GgmlType.Q8_0;
            int t = 0;
            // addresses of Java arrays stay valid until the next allocation: none happens until a kernel returns
            for (; t + 4 <= count; t += 4) { // a prompt batch: each block of weights decoded once for four tokens
                int xq0 = quants(x[t]);
                int xq1 = quants(x[t + 1]);
                int xq2 = quants(x[t + 2]);
                int xq3 = quants(x[t + 3]);
                int xd0 = scales(x[t]);
                int xd1 = scales(x[t + 1]);
                int xd2 = scales(x[t + 2]);
                int xd3 = scales(x[t + 3]);
                int o0 = (int) LinearMemory.addressOf(out[t], rowStart);
                int o1 = (int) LinearMemory.addressOf(out[t + 1], rowStart);
                int o2 = (int) LinearMemory.addressOf(out[t + 2], rowStart);
                int o3 = (int) LinearMemory.addressOf(out[t + 3], rowStart);
                if (q8) {
                    SimdKernels.q8_0Rows4x4(first, stride, groups, blocks, xq0, xq1, xq2, xq3, xd0, xd1, xd2, xd3,
                            o0, o1, o2, o3);
                } else {
                    SimdKernels.q4_0Rows4x4(first, stride, groups, blocks, xq0, xq1, xq2, xq3, xd0, xd1, xd2, xd3,
                            o0, o1, o2, o3);
                }
            }
            for (; t < count; t++) {
                int o = (int) LinearMemory.addressOf(out[t], rowStart);
                if (q8) {
                    SimdKernels.q8_0Rows4(first, stride, groups, blocks, quants(x[t]), scales(x[t]), o);
                } else {
                    SimdKernels.q4_0Rows4(first, stride, groups, blocks, quants(x[t]), scales(x[t]), o);
                }
            }
        }
        int done = rowStart + 4 * groups;
        if (done < rowEnd) {
            scalar.matmul(w, x, count, out, done, rowEnd);
        }
    }

    /**
     * An F32 or F16 matrix in the arena times its float activations (F16: rounded to halves): its groups of four rows
     * in {@link SimdKernels#f32Rows4} / {@link SimdKernels#f16Rows4} (one call per token: the kernels are bound by
     * their per-product work, which a batch would not share), the rows left over in the scalar kernels. The kernels
     * read the weights where they lie and the activations' float array in place.
     *
     * @return false if this is not such a case (nothing was done)
     */
    private boolean matmulFloatWeights(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart,
                                       int rowEnd) {
        GgmlType type = w.format().type();
        ActivationType activations = type == GgmlType.F32 ? ActivationType.F32 : ActivationType.F16;
        if ((type != GgmlType.F32 && type != GgmlType.F16) || !(w.source() instanceof WeightArena) || count == 0
                || x[0].type() != activations) {
            return false;
        }
        int cols = w.cols();
        for (int t = 0; t < count; t++) {
            if (x[t].type() != activations || x[t].length() < cols) {
                // the kernel would read other memory: refuse as core's dot products do
                throw new IllegalArgumentException("token " + t + ": " + x[t].length() + " " + x[t].type()
                        + " activations for the " + cols + " columns of " + w.name());
            }
        }
        int groups = (rowEnd - rowStart) / 4;
        if (groups > 0) {
            WeightArena arena = (WeightArena) w.source();
            int first = (int) arena.address(w.rowOffset(rowStart)); // a Wasm address: u32 in an i32
            // addresses of Java arrays stay valid until the next allocation: none happens until the kernel returns
            for (int t = 0; t < count; t++) {
                int values = (int) LinearMemory.addressOf(x[t].values(), 0);
                int o = (int) LinearMemory.addressOf(out[t], rowStart);
                if (type == GgmlType.F32) {
                    SimdKernels.f32Rows4(first, w.rowBytes(), groups, cols, values, o);
                } else {
                    SimdKernels.f16Rows4(first, w.rowBytes(), groups, cols, values, o);
                }
            }
        }
        int done = rowStart + 4 * groups;
        if (done < rowEnd) {
            scalar.matmul(w, x, count, out, done, rowEnd);
        }
        return true;
    }

    /**
     * Whether {@code w} is a Q4_K, Q5_K or Q6_K matrix in the arena multiplied by Q8_K activations (the K-quant kernels,
     * which need at least one super-block per row).
     */
    private static boolean kQuantInArena(Matrix w, QuantizedVector[] x, int count) {
        GgmlType type = w.format().type();
        return (type == GgmlType.Q4_K || type == GgmlType.Q5_K || type == GgmlType.Q6_K)
                && w.source() instanceof WeightArena && count > 0
                && x[0].type() == ActivationType.Q8_K && w.cols() >= 256;
    }

    /**
     * A Q4_K, Q5_K or Q6_K matrix in the arena (GGUF layout, read where it lies): its groups of four rows in the K-quant
     * kernels, four tokens at a time (each super-block of weights decoded once for the four), then one; the rows
     * left over after the groups of four in the scalar kernels.
     */
    private void matmulKQuants(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
        int groups = (rowEnd - rowStart) / 4;
        if (groups > 0) {
            WeightArena arena = (WeightArena) w.source();
            int first = (int) arena.address(w.rowOffset(rowStart)); // a Wasm address: u32 in an i32
            int stride = w.rowBytes();
            int blocks = w.cols() / 256;
            GgmlType type = w.format().type();
            int t = 0;
            // addresses of Java arrays stay valid until the next allocation: none happens until a kernel returns
            for (; t + 4 <= count; t += 4) {
                int o0 = (int) LinearMemory.addressOf(out[t], rowStart);
                int o1 = (int) LinearMemory.addressOf(out[t + 1], rowStart);
                int o2 = (int) LinearMemory.addressOf(out[t + 2], rowStart);
                int o3 = (int) LinearMemory.addressOf(out[t + 3], rowStart);
                if (type == GgmlType.Q4_K) {
                    SimdKernels.q4_kRows4x4(first, stride, groups, blocks, quants(x[t]), quants(x[t + 1]),
                            quants(x[t + 2]), quants(x[t + 3]), scales(x[t]), scales(x[t + 1]), scales(x[t + 2]),
                            scales(x[t + 3]), groupSums(x[t]), groupSums(x[t + 1]), groupSums(x[t + 2]),
                            groupSums(x[t + 3]), o0, o1, o2, o3);
                } else if (type == GgmlType.Q5_K) {
                    SimdKernels.q5_kRows4x4(first, stride, groups, blocks, quants(x[t]), quants(x[t + 1]),
                            quants(x[t + 2]), quants(x[t + 3]), scales(x[t]), scales(x[t + 1]), scales(x[t + 2]),
                            scales(x[t + 3]), groupSums(x[t]), groupSums(x[t + 1]), groupSums(x[t + 2]),
                            groupSums(x[t + 3]), o0, o1, o2, o3);
                } else {
                    SimdKernels.q6_kRows4x4(first, stride, groups, blocks, quants(x[t]), quants(x[t + 1]),
                            quants(x[t + 2]), quants(x[t + 3]), scales(x[t]), scales(x[t + 1]), scales(x[t + 2]),
                            scales(x[t + 3]), o0, o1, o2, o3);
                }
            }
            for (; t < count; t++) {
                int o = (int) LinearMemory.addressOf(out[t], rowStart);
                if (type == GgmlType.Q4_K) {
                    SimdKernels.q4_kRows4(first, stride, groups, blocks, quants(x[t]), scales(x[t]),
                            groupSums(x[t]), o);
                } else if (type == GgmlType.Q5_K) {
                    SimdKernels.q5_kRows4(first, stride, groups, blocks, quants(x[t]), scales(x[t]),
                            groupSums(x[t]), o);
                } else {
                    SimdKernels.q6_kRows4(first, stride, groups, blocks, quants(x[t]), scales(x[t]), o);
                }
            }
        }
        int done = rowStart + 4 * groups;
        if (done < rowEnd) {
            scalar.matmul(w, x, count, out, done, rowEnd);
        }
    }

    private static int groupSums(QuantizedVector x) {
        return (int) LinearMemory.addressOf(x.groupSums(), 0);
    }

    /**
     * Rows {@code [rowStart, rowEnd)} of a repacked matrix ({@code rowStart} a multiple of four; the output projection
     * comes in slices of whole groups): its groups of four rows in the packed kernels, sixteen tokens at a time, then
     * eight, four, one (each group of weights decoded once per call), the rows after the last group of four (GGUF
     * layout) in the scalar kernels.
     */
    private void matmulPacked(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
        WeightArena arena = (WeightArena) w.source();
        int packedRows = 4 * (w.rows() / 4); // the rows after them keep the GGUF layout
        int groups = Math.max(0, (Math.min(rowEnd, packedRows) - rowStart) / 4);
        if (groups == 0) {
            scalar.matmul(w, x, count, out, rowStart, rowEnd);
            return;
        }
        int blocks = w.cols() / 32;
        boolean q8 = w.format().type() == GgmlType.Q8_0;
        int scratchWords = 17 * 16 * blocks; // 68 bytes per block and token, up to 16 tokens
        if (scratch.length < scratchWords) {
            scratch = new float[scratchWords]; // before taking any address: an allocation may move arrays
        }
        int first = (int) arena.address(w.rowOffset(rowStart)); // group rowStart / 4
        int r = rowStart; // the results go to out[t][rowStart..]
        int s = (int) LinearMemory.addressOf(scratch, 0);
        int t = 0;
        for (; t + 16 <= count; t += 16) {
            SimdKernels.actPrep16(blocks, quants(x[t]), quants(x[t + 1]), quants(x[t + 2]), quants(x[t + 3]),
                    quants(x[t + 4]), quants(x[t + 5]), quants(x[t + 6]), quants(x[t + 7]), quants(x[t + 8]),
                    quants(x[t + 9]), quants(x[t + 10]), quants(x[t + 11]), quants(x[t + 12]), quants(x[t + 13]),
                    quants(x[t + 14]), quants(x[t + 15]), scales(x[t]), scales(x[t + 1]), scales(x[t + 2]),
                    scales(x[t + 3]), scales(x[t + 4]), scales(x[t + 5]), scales(x[t + 6]), scales(x[t + 7]),
                    scales(x[t + 8]), scales(x[t + 9]), scales(x[t + 10]), scales(x[t + 11]), scales(x[t + 12]),
                    scales(x[t + 13]), scales(x[t + 14]), scales(x[t + 15]), s);
            if (q8) {
                SimdKernels.q8_0Packed16(first, groups, blocks, s, at(out[t], r), at(out[t + 1], r),
                        at(out[t + 2], r), at(out[t + 3], r), at(out[t + 4], r), at(out[t + 5], r),
                        at(out[t + 6], r), at(out[t + 7], r), at(out[t + 8], r), at(out[t + 9], r),
                        at(out[t + 10], r), at(out[t + 11], r), at(out[t + 12], r), at(out[t + 13], r),
                        at(out[t + 14], r), at(out[t + 15], r));
            } else {
                SimdKernels.q4_0Packed16(first, groups, blocks, s, at(out[t], r), at(out[t + 1], r),
                        at(out[t + 2], r), at(out[t + 3], r), at(out[t + 4], r), at(out[t + 5], r),
                        at(out[t + 6], r), at(out[t + 7], r), at(out[t + 8], r), at(out[t + 9], r),
                        at(out[t + 10], r), at(out[t + 11], r), at(out[t + 12], r), at(out[t + 13], r),
                        at(out[t + 14], r), at(out[t + 15], r));
            }
        }
        for (; t + 8 <= count; t += 8) {
            SimdKernels.actPrep8(blocks, quants(x[t]), quants(x[t + 1]), quants(x[t + 2]), quants(x[t + 3]),
                    quants(x[t + 4]), quants(x[t + 5]), quants(x[t + 6]), quants(x[t + 7]), scales(x[t]),
                    scales(x[t + 1]), scales(x[t + 2]), scales(x[t + 3]), scales(x[t + 4]), scales(x[t + 5]),
                    scales(x[t + 6]), scales(x[t + 7]), s);
            if (q8) {
                SimdKernels.q8_0Packed8(first, groups, blocks, s, at(out[t], r), at(out[t + 1], r),
                        at(out[t + 2], r), at(out[t + 3], r), at(out[t + 4], r), at(out[t + 5], r),
                        at(out[t + 6], r), at(out[t + 7], r));
            } else {
                SimdKernels.q4_0Packed8(first, groups, blocks, s, at(out[t], r), at(out[t + 1], r),
                        at(out[t + 2], r), at(out[t + 3], r), at(out[t + 4], r), at(out[t + 5], r),
                        at(out[t + 6], r), at(out[t + 7], r));
            }
        }
        for (; t + 4 <= count; t += 4) {
            SimdKernels.actPrep4(blocks, quants(x[t]), quants(x[t + 1]), quants(x[t + 2]), quants(x[t + 3]),
                    scales(x[t]), scales(x[t + 1]), scales(x[t + 2]), scales(x[t + 3]), s);
            if (q8) {
                SimdKernels.q8_0Packed4(first, groups, blocks, s, at(out[t], r), at(out[t + 1], r),
                        at(out[t + 2], r), at(out[t + 3], r));
            } else {
                SimdKernels.q4_0Packed4(first, groups, blocks, s, at(out[t], r), at(out[t + 1], r),
                        at(out[t + 2], r), at(out[t + 3], r));
            }
        }
        for (; t < count; t++) {
            SimdKernels.actPrep1(blocks, quants(x[t]), scales(x[t]), s);
            if (q8) {
                SimdKernels.q8_0Packed1(first, groups, blocks, s, at(out[t], r));
            } else {
                SimdKernels.q4_0Packed1(first, groups, blocks, s, at(out[t], r));
            }
        }
        int done = rowStart + 4 * groups;
        if (done < rowEnd) {
            scalar.matmul(w, x, count, out, done, rowEnd);
        }
    }

    /**
     * Attention over an F16 cache: core's {@link Attention#attend} (llama.cpp's flash attention, one query row at a
     * time) in Wasm SIMD ({@link AttentionKernels}, {@code simd-attention.wat}): per token and group of up to four query
     * heads sharing a key/value head, the scores of all positions (two positions per f64x2 accumulator, each summing in
     * core's order), core's online softmax with the same {@link DetMath#expf} steps, and the value accumulation (per
     * chunk of 8 elements, every position's update in order, rounded to F16 as core rounds it), so the same bits. An
     * F32 cache, or heads whose size is not a multiple of 4, take core's code.
     */
    @Override
    public void attention(Attention attention, float[][] q, int count, KvCache cache, int layer, int startPos,
                          float[][] out) {
        int n = attention.headDim();
        if (!cache.isF16() || n % 4 != 0 || count == 0) {
            Kernels.super.attention(attention, q, count, cache, layer, startPos, out);
            return;
        }
        int heads = attention.heads();
        int group = attention.groupSize();
        int chunk = Math.min(group, 4);
        int positions = startPos + count; // the last token's positions
        // scratch (floats): the queries of up to four heads (2n each), four inverse sums, and a record per position
        int recordFloats = AttentionKernels.recordBytes(chunk) / 4;
        int need = 8 * n + 4 + recordFloats * (positions + 1);
        if (head.length < need) {
            head = new float[Math.max(need, head.length + head.length / 2)]; // before taking any address
        }
        int kvDim = attention.kvDim();
        int stride = 2 * kvDim; // bytes from one position to the next: the cache holds F16
        float scale = attention.scale();
        int qBuf = (int) LinearMemory.addressOf(head, 0);
        int inv = (int) LinearMemory.addressOf(head, 8 * n);
        int rec = (int) LinearMemory.addressOf(head, 8 * n + 4);
        int keys = (int) LinearMemory.addressOf(cache.keys16(layer), 0);
        int values = (int) LinearMemory.addressOf(cache.values16(layer), 0);
        for (int t = 0; t < count; t++) {
            int qt = (int) LinearMemory.addressOf(q[t], 0);
            int ot = (int) LinearMemory.addressOf(out[t], 0);
            for (int h = 0; h < heads; ) {
                int kvHead = h / group;
                int g = Math.min(Math.min(4, (kvHead + 1) * group - h), heads - h);
                int kv = 2 * kvHead * n;
                AttentionKernels.attend(g, qt + 4 * h * n, n, keys + kv, values + kv, stride, startPos + t + 1, scale,
                        qBuf, rec, inv, ot + 4 * h * n);
                h += g;
            }
        }
    }

    /** Q8_0 and Q8_K inputs are quantized in Wasm SIMD ({@link ActivationSimd}), to core's bits; others by core. */
    @Override
    public void quantize(QuantizedVector target, float[] x, int length) {
        if (ActivationSimd.quantizes(target)) {
            ActivationSimd.quantize(target, x, length);
        } else {
            target.quantize(x, 0, length);
        }
    }

    /** SwiGLU in Wasm SIMD ({@link ActivationSimd}), fdlibm's exp two lanes at a time, to core's bits. */
    @Override
    public void swiglu(float[] gate, float[] up, int length) {
        ActivationSimd.swiglu(gate, up, length);
    }

    /** RMSNorm in Wasm SIMD ({@link VectorOps}), core's sum order and float steps. */
    @Override
    public void rmsNorm(float[] out, float[] in, float[] weight, float eps) {
        if (!VectorOps.rmsNorm(out, in, weight, eps)) {
            Kernels.super.rmsNorm(out, in, weight, eps);
        }
    }

    /** The residual add in Wasm SIMD ({@link VectorOps}). */
    @Override
    public void add(float[] acc, float[] delta, int n) {
        if (!VectorOps.add(acc, delta, n)) {
            Kernels.super.add(acc, delta, n);
        }
    }

    /** RoPE's rotation in Wasm SIMD ({@link VectorOps}), core's float expressions. */
    @Override
    public void rope(Rope rope, float[] x, int heads, float[] cos, float[] sin) {
        if (!VectorOps.rope(rope, x, heads, cos, sin)) {
            Kernels.super.rope(rope, x, heads, cos, sin);
        }
    }

    /** The F16 cache's store in Wasm SIMD ({@link VectorOps}): {@code Float16.fromFloat}'s halves. */
    @Override
    public void storeKeyValue(KvCache cache, int layer, int pos, float[] key, float[] value) {
        if (!VectorOps.storeKeyValue(cache, layer, pos, key, value)) {
            Kernels.super.storeKeyValue(cache, layer, pos, key, value);
        }
    }

    /** The address of {@code out[row]}. */
    private static int at(float[] out, int row) {
        return (int) LinearMemory.addressOf(out, row);
    }

    private boolean isPacked(Matrix w) {
        return packedOffsets.length > 0 && Arrays.binarySearch(packedOffsets, w.offset()) >= 0;
    }

    /**
     * A token's embedding. A repacked matrix (the token embedding when it is also the output projection) is read
     * back in the GGUF layout first: its row's group of four rows from the arena, then {@link PackedLayout#unpackRow}
     * (the file's bytes again, so the same floats); anything else as core reads it.
     */
    @Override
    public void dequantizeRow(Matrix w, int row, byte[] scratch, float[] dst) {
        if (!isPacked(w) || row >= 4 * (w.rows() / 4)) {
            w.dequantizeRow(row, scratch, dst, 0);
            return;
        }
        if (row < 0) {
            throw new IndexOutOfBoundsException("row " + row + " of " + w.name());
        }
        int rowBytes = w.rowBytes();
        if (group.length < 4 * rowBytes) {
            group = new byte[4 * rowBytes];
        }
        w.source().read(w.rowOffset(row & ~3), group, 0, 4 * rowBytes);
        PackedLayout.unpackRow(w.format().type(), group, 0, rowBytes, row & 3, scratch, 0);
        w.format().dequantize(scratch, 0, dst, 0, w.cols());
    }

    /**
     * Top-k's scan for the next token above its heap's root, in Wasm SIMD ({@link SimdKernels#firstAboveF32}, 16
     * logits per iteration), the same index as core's scan.
     */
    @Override
    public int firstAbove(float[] values, int from, int n, float threshold) {
        if (n < 0 || n > values.length || from < 0) {
            throw new IndexOutOfBoundsException("from " + from + ", " + n + " values of " + values.length);
        }
        return SimdKernels.firstAboveF32((int) LinearMemory.addressOf(values, 0), from, n, threshold);
    }

    /**
     * The greedy choice over the logits in Wasm SIMD ({@link SimdKernels#argmaxF32}: the maximum, then its first
     * index; ~2 instructions per value instead of ~58 for the scan in TeaVM Java), the same index as core's scan.
     */
    @Override
    public int argmax(float[] values, int n) {
        if (n < 0 || n > values.length) {
            throw new IndexOutOfBoundsException(n + " values of " + values.length);
        }
        return SimdKernels.argmaxF32((int) LinearMemory.addressOf(values, 0), n);
    }

    private static int quants(QuantizedVector x) {
        return (int) LinearMemory.addressOf(x.quants(), 0);
    }

    private static int scales(QuantizedVector x) {
        return (int) LinearMemory.addressOf(x.scales(), 0);
    }

    @Override
    public String name() {
        return "canister simd";
    }
}

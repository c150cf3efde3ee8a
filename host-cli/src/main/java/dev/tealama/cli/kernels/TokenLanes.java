package dev.tealama.cli.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.tealama.cli.kernels.Lanes.B128;
import static dev.tealama.cli.kernels.Lanes.F512;
import static dev.tealama.cli.kernels.Lanes.I512;
import static dev.tealama.cli.kernels.Lanes.LE;
import static dev.tealama.cli.kernels.Lanes.SHORT_LE;

/**
 * Prompt batches of Q8_0 and Q4_0 weights on AVX-512 machines: 4 rows × 16 tokens at a time, one token per float lane.
 *
 * <p>The activations of 16 tokens are laid out element by element ({@link Activations#laneQuants}): the 16 tokens'
 * quants of element {@code j} (as floats) fill one 512-bit vector. A weight block of 4 rows is decoded once into 128
 * floats; then each weight element is broadcast and multiplied into the vector of its element, 32 fused
 * multiply-adds per row and block, with no horizontal sums at all: lane {@code t} accumulates token {@code t}'s
 * block sum. One activation vector serves 4 rows, so the loop does about one load per multiply-add.
 *
 * <p>Groups go through a tile two at a time where there are two ({@link #PAIRS}): a decoded block then serves 32
 * tokens and each broadcast weight two multiply-adds, which cuts the loads and decoding per multiply-add; measured
 * about 20% faster on a 2048 × 2048 matrix × 64 tokens (PromptMatmulBenchmark, Q8_0 and Q4_0).
 *
 * <p>Bit-exact with core's scalar kernels: the products of int8 values and the sums of 32 of them are integers
 * below 2^24, exact in float whatever the order, so each lane ends a block with the scalar kernel's exact
 * {@code sumi}; it is then scaled and added to the token's total with the scalar kernel's float operations in the
 * scalar kernel's block order ({@code sum += sumi · (d_w · d_x)} for Q8_0, {@code sum += sumi · d_w · d_x} for
 * Q4_0).
 */
final class TokenLanes {
    /** Tokens per group: the lanes of a 512-bit float vector. */
    static final int TOKENS = 16;
    /** Rows multiplied together, sharing each activation load. */
    static final int ROWS = 4;
    /**
     * Weight bytes of a tile: every group of tokens is multiplied by one tile before the next. A group's activations
     * are 64 bytes per element (up to 900 KB for an 8B model's FFN), read once per 4 rows, so they must stay in the
     * L2 cache while the tile's rows go by; the tile, read once per group, is large enough that the groups'
     * activations are read from farther away only once per tile. 512 KB of weights plus one group fit a 2 MB L2.
     */
    static final int TILE_BYTES = 512 * 1024;
    /**
     * Whether two groups of tokens go through a tile together ({@link #q4_0Pair}): each broadcast weight then feeds
     * two multiply-adds and each decoded block serves 32 tokens. Off with {@code -Dtealama.pairs=false}, to compare.
     */
    static final boolean PAIRS = !"false".equals(System.getProperty("tealama.pairs"));

    private TokenLanes() {
    }

    /**
     * {@code out[t][r]} for the whole groups of 16 tokens ({@link Activations#laneGroups}) and rows
     * {@code [rowFrom, rowTo)}; rows go in tiles that stay in cache while every group is multiplied by them.
     */
    static void multiply(boolean q4, MemorySegment w, int rowBytes, int cols, int rowFrom, int rowTo, Activations x,
                         float[][] out, Scratch scratch) {
        multiply(q4, w, 0, rowBytes, cols, rowFrom, rowTo, x, out, scratch);
    }

    /** Rows of {@code rowBytes} bytes in a tile of {@link #TILE_BYTES} (at least one quad of {@link #ROWS}). */
    static int tileRows(int rowBytes) {
        return Math.max(ROWS, (TILE_BYTES / rowBytes) & ~(ROWS - 1));
    }

    /**
     * As {@link #multiply(boolean, MemorySegment, int, int, int, int, Activations, float[][], Scratch)}, where
     * {@code w} starts at row {@code firstRow} (a copy of some rows, such as {@link InterleavedQ4_0Kernel}'s tiles).
     */
    static void multiply(boolean q4, MemorySegment w, int firstRow, int rowBytes, int cols, int rowFrom, int rowTo,
                         Activations x, float[][] out, Scratch scratch) {
        int blocks = cols / 32;
        int tile = tileRows(rowBytes);
        long[] rows = scratch.laneRows;
        float[] result = scratch.laneResult;
        for (int r0 = rowFrom; r0 < rowTo; r0 += tile) {
            int r1 = Math.min(rowTo, r0 + tile);
            int g = 0;
            for (; PAIRS && g + 2 <= x.laneGroups(); g += 2) {
                float[] xq = x.laneQuants(g);
                float[] xd = x.laneScales(g);
                float[] yq = x.laneQuants(g + 1);
                float[] yd = x.laneScales(g + 1);
                for (int r = r0; r < r1; r += ROWS) {
                    for (int k = 0; k < ROWS; k++) {
                        // a short last quad repeats its last row
                        rows[k] = (long) (Math.min(r + k, r1 - 1) - firstRow) * rowBytes;
                    }
                    if (q4) {
                        q4_0Pair(w, rows, blocks, xq, xd, yq, yd, scratch.laneWeights, scratch.laneScales, result);
                    } else {
                        q8_0Pair(w, rows, blocks, xq, xd, yq, yd, scratch.laneWeights, scratch.laneScales, result);
                    }
                    for (int k = 0; k < ROWS && r + k < r1; k++) {
                        for (int t = 0; t < TOKENS; t++) {
                            out[g * TOKENS + t][r + k] = result[k * TOKENS + t];
                            out[(g + 1) * TOKENS + t][r + k] = result[(ROWS + k) * TOKENS + t];
                        }
                    }
                }
            }
            for (; g < x.laneGroups(); g++) {
                float[] xq = x.laneQuants(g);
                float[] xd = x.laneScales(g);
                for (int r = r0; r < r1; r += ROWS) {
                    for (int k = 0; k < ROWS; k++) {
                        // a short last quad repeats its last row
                        rows[k] = (long) (Math.min(r + k, r1 - 1) - firstRow) * rowBytes;
                    }
                    if (q4) {
                        q4_0(w, rows, blocks, xq, xd, scratch.laneWeights, scratch.laneScales, result);
                    } else {
                        q8_0(w, rows, blocks, xq, xd, scratch.laneWeights, scratch.laneScales, result);
                    }
                    for (int k = 0; k < ROWS && r + k < r1; k++) {
                        for (int t = 0; t < TOKENS; t++) {
                            out[g * TOKENS + t][r + k] = result[k * TOKENS + t];
                        }
                    }
                }
            }
        }
    }

    /** Four Q8_0 rows (at byte offsets {@code rows}) times one group: {@code result[16k + t]} for row k, token t. */
    private static void q8_0(MemorySegment w, long[] rows, int blocks, float[] xq, float[] xd, float[] wf, float[] dw,
                             float[] result) {
        FloatVector acc0 = FloatVector.zero(F512);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < ROWS; k++) {
                long p = rows[k] + b * 34L;
                ((FloatVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).intoArray(wf, k * 32);
                ((FloatVector) ByteVector.fromMemorySegment(B128, w, p + 18, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).intoArray(wf, k * 32 + 16);
                dw[k] = Float.float16ToFloat(w.get(SHORT_LE, p));
            }
            FloatVector xs = FloatVector.fromArray(F512, xd, b * TOKENS);
            FloatVector s0 = FloatVector.zero(F512);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector u0 = s0;
            FloatVector u1 = s0;
            FloatVector u2 = s0;
            FloatVector u3 = s0;
            int xo = b * 32 * TOKENS;
            for (int j = 0; j < 32; j += 2) {
                FloatVector x0 = FloatVector.fromArray(F512, xq, xo + j * TOKENS);
                FloatVector x1 = FloatVector.fromArray(F512, xq, xo + j * TOKENS + TOKENS);
                s0 = x0.fma(FloatVector.broadcast(F512, wf[j]), s0);
                u0 = x1.fma(FloatVector.broadcast(F512, wf[j + 1]), u0);
                s1 = x0.fma(FloatVector.broadcast(F512, wf[32 + j]), s1);
                u1 = x1.fma(FloatVector.broadcast(F512, wf[33 + j]), u1);
                s2 = x0.fma(FloatVector.broadcast(F512, wf[64 + j]), s2);
                u2 = x1.fma(FloatVector.broadcast(F512, wf[65 + j]), u2);
                s3 = x0.fma(FloatVector.broadcast(F512, wf[96 + j]), s3);
                u3 = x1.fma(FloatVector.broadcast(F512, wf[97 + j]), u3);
            }
            // scalar: sum += sumi * (d_w * d_x)
            acc0 = acc0.add(s0.add(u0).mul(xs.mul(dw[0])));
            acc1 = acc1.add(s1.add(u1).mul(xs.mul(dw[1])));
            acc2 = acc2.add(s2.add(u2).mul(xs.mul(dw[2])));
            acc3 = acc3.add(s3.add(u3).mul(xs.mul(dw[3])));
        }
        acc0.intoArray(result, 0);
        acc1.intoArray(result, TOKENS);
        acc2.intoArray(result, 2 * TOKENS);
        acc3.intoArray(result, 3 * TOKENS);
    }

    /** Four Q4_0 rows times one group, as {@link #q8_0}; the nibbles minus 8 are decoded to floats first. */
    private static void q4_0(MemorySegment w, long[] rows, int blocks, float[] xq, float[] xd, float[] wf, float[] dw,
                             float[] result) {
        FloatVector acc0 = FloatVector.zero(F512);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < ROWS; k++) {
                long p = rows[k] + b * 18L;
                IntVector packed = (IntVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                        .convertShape(VectorOperators.B2I, I512, 0);
                packed.selectFrom(Lanes.Q4_0_VALUES).reinterpretAsFloats().intoArray(wf, k * 32);
                packed.lanewise(VectorOperators.ASHR, 4).selectFrom(Lanes.Q4_0_VALUES).reinterpretAsFloats()
                        .intoArray(wf, k * 32 + 16);
                dw[k] = Float.float16ToFloat(w.get(SHORT_LE, p));
            }
            FloatVector xs = FloatVector.fromArray(F512, xd, b * TOKENS);
            FloatVector s0 = FloatVector.zero(F512);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector u0 = s0;
            FloatVector u1 = s0;
            FloatVector u2 = s0;
            FloatVector u3 = s0;
            int xo = b * 32 * TOKENS;
            for (int j = 0; j < 32; j += 2) {
                FloatVector x0 = FloatVector.fromArray(F512, xq, xo + j * TOKENS);
                FloatVector x1 = FloatVector.fromArray(F512, xq, xo + j * TOKENS + TOKENS);
                s0 = x0.fma(FloatVector.broadcast(F512, wf[j]), s0);
                u0 = x1.fma(FloatVector.broadcast(F512, wf[j + 1]), u0);
                s1 = x0.fma(FloatVector.broadcast(F512, wf[32 + j]), s1);
                u1 = x1.fma(FloatVector.broadcast(F512, wf[33 + j]), u1);
                s2 = x0.fma(FloatVector.broadcast(F512, wf[64 + j]), s2);
                u2 = x1.fma(FloatVector.broadcast(F512, wf[65 + j]), u2);
                s3 = x0.fma(FloatVector.broadcast(F512, wf[96 + j]), s3);
                u3 = x1.fma(FloatVector.broadcast(F512, wf[97 + j]), u3);
            }
            // scalar: sum += sumi * d_w * d_x, left to right
            acc0 = acc0.add(s0.add(u0).mul(dw[0]).mul(xs));
            acc1 = acc1.add(s1.add(u1).mul(dw[1]).mul(xs));
            acc2 = acc2.add(s2.add(u2).mul(dw[2]).mul(xs));
            acc3 = acc3.add(s3.add(u3).mul(dw[3]).mul(xs));
        }
        acc0.intoArray(result, 0);
        acc1.intoArray(result, TOKENS);
        acc2.intoArray(result, 2 * TOKENS);
        acc3.intoArray(result, 3 * TOKENS);
    }

    /**
     * Four rows times two groups of 16 tokens ({@code x} and {@code y}): {@code result[16k + t]} for row k and a token
     * of {@code x}, {@code result[64 + 16k + t]} for {@code y}. As {@link #q8_0}, with each broadcast weight feeding
     * both groups' multiply-adds and each block decoded once for 32 tokens. The block sums are exact integers in
     * either order, so the results are {@link #q8_0}'s bits.
     */
    private static void q8_0Pair(MemorySegment w, long[] rows, int blocks, float[] xq, float[] xd, float[] yq,
                                 float[] yd, float[] wf, float[] dw, float[] result) {
        FloatVector acc0 = FloatVector.zero(F512);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        FloatVector bcc0 = acc0;
        FloatVector bcc1 = acc0;
        FloatVector bcc2 = acc0;
        FloatVector bcc3 = acc0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < ROWS; k++) {
                long p = rows[k] + b * 34L;
                ((FloatVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).intoArray(wf, k * 32);
                ((FloatVector) ByteVector.fromMemorySegment(B128, w, p + 18, LE)
                        .convertShape(VectorOperators.B2F, F512, 0)).intoArray(wf, k * 32 + 16);
                dw[k] = Float.float16ToFloat(w.get(SHORT_LE, p));
            }
            FloatVector s0 = FloatVector.zero(F512);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector t0 = s0;
            FloatVector t1 = s0;
            FloatVector t2 = s0;
            FloatVector t3 = s0;
            int xo = b * 32 * TOKENS;
            for (int j = 0; j < 32; j++) {
                FloatVector x0 = FloatVector.fromArray(F512, xq, xo + j * TOKENS);
                FloatVector y0 = FloatVector.fromArray(F512, yq, xo + j * TOKENS);
                FloatVector w0 = FloatVector.broadcast(F512, wf[j]);
                FloatVector w1 = FloatVector.broadcast(F512, wf[32 + j]);
                FloatVector w2 = FloatVector.broadcast(F512, wf[64 + j]);
                FloatVector w3 = FloatVector.broadcast(F512, wf[96 + j]);
                s0 = x0.fma(w0, s0);
                t0 = y0.fma(w0, t0);
                s1 = x0.fma(w1, s1);
                t1 = y0.fma(w1, t1);
                s2 = x0.fma(w2, s2);
                t2 = y0.fma(w2, t2);
                s3 = x0.fma(w3, s3);
                t3 = y0.fma(w3, t3);
            }
            FloatVector xs = FloatVector.fromArray(F512, xd, b * TOKENS);
            FloatVector ys = FloatVector.fromArray(F512, yd, b * TOKENS);
            // scalar: sum += sumi * (d_w * d_x)
            acc0 = acc0.add(s0.mul(xs.mul(dw[0])));
            acc1 = acc1.add(s1.mul(xs.mul(dw[1])));
            acc2 = acc2.add(s2.mul(xs.mul(dw[2])));
            acc3 = acc3.add(s3.mul(xs.mul(dw[3])));
            bcc0 = bcc0.add(t0.mul(ys.mul(dw[0])));
            bcc1 = bcc1.add(t1.mul(ys.mul(dw[1])));
            bcc2 = bcc2.add(t2.mul(ys.mul(dw[2])));
            bcc3 = bcc3.add(t3.mul(ys.mul(dw[3])));
        }
        acc0.intoArray(result, 0);
        acc1.intoArray(result, TOKENS);
        acc2.intoArray(result, 2 * TOKENS);
        acc3.intoArray(result, 3 * TOKENS);
        bcc0.intoArray(result, 4 * TOKENS);
        bcc1.intoArray(result, 5 * TOKENS);
        bcc2.intoArray(result, 6 * TOKENS);
        bcc3.intoArray(result, 7 * TOKENS);
    }

    /**
     * Four rows times two groups of 16 tokens ({@code x} and {@code y}): {@code result[16k + t]} for row k and a token
     * of {@code x}, {@code result[64 + 16k + t]} for {@code y}. As {@link #q4_0}, with each broadcast weight feeding
     * both groups' multiply-adds and each block decoded once for 32 tokens. The block sums are exact integers in
     * either order, so the results are {@link #q4_0}'s bits.
     */
    private static void q4_0Pair(MemorySegment w, long[] rows, int blocks, float[] xq, float[] xd, float[] yq,
                                 float[] yd, float[] wf, float[] dw, float[] result) {
        FloatVector acc0 = FloatVector.zero(F512);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        FloatVector bcc0 = acc0;
        FloatVector bcc1 = acc0;
        FloatVector bcc2 = acc0;
        FloatVector bcc3 = acc0;
        for (int b = 0; b < blocks; b++) {
            for (int k = 0; k < ROWS; k++) {
                long p = rows[k] + b * 18L;
                IntVector packed = (IntVector) ByteVector.fromMemorySegment(B128, w, p + 2, LE)
                        .convertShape(VectorOperators.B2I, I512, 0);
                packed.selectFrom(Lanes.Q4_0_VALUES).reinterpretAsFloats().intoArray(wf, k * 32);
                packed.lanewise(VectorOperators.ASHR, 4).selectFrom(Lanes.Q4_0_VALUES).reinterpretAsFloats()
                        .intoArray(wf, k * 32 + 16);
                dw[k] = Float.float16ToFloat(w.get(SHORT_LE, p));
            }
            FloatVector s0 = FloatVector.zero(F512);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            FloatVector t0 = s0;
            FloatVector t1 = s0;
            FloatVector t2 = s0;
            FloatVector t3 = s0;
            int xo = b * 32 * TOKENS;
            for (int j = 0; j < 32; j++) {
                FloatVector x0 = FloatVector.fromArray(F512, xq, xo + j * TOKENS);
                FloatVector y0 = FloatVector.fromArray(F512, yq, xo + j * TOKENS);
                FloatVector w0 = FloatVector.broadcast(F512, wf[j]);
                FloatVector w1 = FloatVector.broadcast(F512, wf[32 + j]);
                FloatVector w2 = FloatVector.broadcast(F512, wf[64 + j]);
                FloatVector w3 = FloatVector.broadcast(F512, wf[96 + j]);
                s0 = x0.fma(w0, s0);
                t0 = y0.fma(w0, t0);
                s1 = x0.fma(w1, s1);
                t1 = y0.fma(w1, t1);
                s2 = x0.fma(w2, s2);
                t2 = y0.fma(w2, t2);
                s3 = x0.fma(w3, s3);
                t3 = y0.fma(w3, t3);
            }
            FloatVector xs = FloatVector.fromArray(F512, xd, b * TOKENS);
            FloatVector ys = FloatVector.fromArray(F512, yd, b * TOKENS);
            // scalar: sum += sumi * d_w * d_x, left to right
            acc0 = acc0.add(s0.mul(dw[0]).mul(xs));
            acc1 = acc1.add(s1.mul(dw[1]).mul(xs));
            acc2 = acc2.add(s2.mul(dw[2]).mul(xs));
            acc3 = acc3.add(s3.mul(dw[3]).mul(xs));
            bcc0 = bcc0.add(t0.mul(dw[0]).mul(ys));
            bcc1 = bcc1.add(t1.mul(dw[1]).mul(ys));
            bcc2 = bcc2.add(t2.mul(dw[2]).mul(ys));
            bcc3 = bcc3.add(t3.mul(dw[3]).mul(ys));
        }
        acc0.intoArray(result, 0);
        acc1.intoArray(result, TOKENS);
        acc2.intoArray(result, 2 * TOKENS);
        acc3.intoArray(result, 3 * TOKENS);
        bcc0.intoArray(result, 4 * TOKENS);
        bcc1.intoArray(result, 5 * TOKENS);
        bcc2.intoArray(result, 6 * TOKENS);
        bcc3.intoArray(result, 7 * TOKENS);
    }
}

package dev.tealama.cli.kernels;

import dev.tealama.model.Attention;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import jdk.incubator.vector.VectorSpecies;

import static dev.tealama.cli.kernels.Lanes.D256;
import static dev.tealama.cli.kernels.Lanes.D512;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.F512;

/**
 * Core's F16 attention ({@link Attention}, llama.cpp's CPU flash-attention arithmetic) for one query head, with
 * vectors across the head's elements and its exponentials computed together. The same computation: the query, the
 * scores' keys and the accumulator rounded to F16 the same way, each update a multiply-add rounded once from double
 * as {@link Attention#fma}, the online softmax's maxima in the same order, {@link VectorMath#expf} for
 * {@code DetMath.expf}; only each score's dot product is summed in another order (in double, from float products),
 * which may move a score's last bit.
 *
 * <p>The scalar loop interleaves the scores, the running maximum, the exponentials and the accumulation; here they
 * are four passes over the positions, so that each pass runs in vectors: scores, then the arguments of the
 * exponentials (which need only the scores' running maximum), then all exponentials at once, then the accumulation.
 */
final class VectorAttention {
    /** ggml's AVX-512 F16 step: the first {@code n & ~63} elements of a head take a fused multiply-add. */
    private static final int FUSED_STEP_MASK = ~63;
    /** Floats per step: 16 on AVX-512 machines ({@link Lanes#WIDE}), halving the steps of a 64-element head. */
    private static final VectorSpecies<Float> F = Lanes.WIDE ? F512 : F256;
    /** The same lanes as doubles, two vectors per float vector. */
    private static final VectorSpecies<Double> D = Lanes.WIDE ? D512 : D256;
    private static final int STEP = F.length();
    private static final VectorMask<Float> HIGH_HALF = VectorMask.fromLong(F, ((1L << STEP) - 1) & (-1L << (STEP / 2)));

    private VectorAttention() {
    }

    /** {@code dst[0 .. n) = src[0 .. n)} as floats: a layer's F16 cache up to the last position attended. */
    static void widen(short[] src, float[] dst, int n) {
        VectorMath.widenHalves(src, 0, dst, n);
    }

    /** Whether {@link #head} handles heads of this size (whole vectors of {@link #STEP}). */
    static boolean supports(Attention shape) {
        return shape.headDim() % STEP == 0;
    }

    /**
     * Query head {@code h} of {@code q} over positions {@code [0, pos]}: {@code out[h·headDim ..]}, from one layer's
     * F16 keys and values widened to floats ({@link #widen}: exact, and done once per layer rather than once per
     * head and token).
     */
    static void head(Attention shape, float[] q, int h, float[] keys, float[] values, int pos, float[] out,
                     Scratch scratch) {
        int n = shape.headDim();
        int qOffset = h * n;
        int kvOffset = (h / shape.groupSize()) * n;
        int kvDim = shape.kvDim();
        int positions = pos + 1;
        Scratch.Attention s = scratch.attention(n, positions);
        float[] query = s.query;
        float[] acc = s.accumulator;
        float[] scores = s.scores;
        float[] arguments = s.arguments;
        float[] exps = s.exps;
        boolean[] rescale = s.rescale;

        System.arraycopy(q, qOffset, query, 0, n);
        VectorMath.roundToHalf(query, n);
        float scale = shape.scale();
        for (int p = 0; p < positions; p++) {
            int k = p * kvDim + kvOffset;
            DoubleVector low = DoubleVector.zero(D);
            DoubleVector high = DoubleVector.zero(D);
            for (int i = 0; i < n; i += STEP) {
                FloatVector products = FloatVector.fromArray(F, keys, k + i)
                        .mul(FloatVector.fromArray(F, query, i));
                low = low.add((DoubleVector) products.convertShape(VectorOperators.F2D, D, 0));
                high = high.add((DoubleVector) products.convertShape(VectorOperators.F2D, D, 1));
            }
            scores[p] = (float) low.add(high).reduceLanes(VectorOperators.ADD) * scale;
        }

        // the online softmax's exponentials: at a new maximum e^(old max - new max) rescales the accumulator,
        // otherwise e^(score - max) weighs the position's values
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < positions; p++) {
            float score = scores[p];
            if (score > max) {
                arguments[p] = max - score;
                rescale[p] = true;
                max = score;
            } else {
                arguments[p] = score - max;
                rescale[p] = false;
            }
        }
        VectorMath.expf(arguments, exps, positions);

        java.util.Arrays.fill(acc, 0, n, 0f);
        int fused = n & FUSED_STEP_MASK;
        float sum = 0f;
        for (int p = 0; p < positions; p++) {
            float ms = 1f;
            float vs = 1f;
            if (rescale[p]) {
                ms = exps[p];
                for (int i = 0; i < n; i += STEP) {
                    FloatVector.fromArray(F, acc, i).mul(ms).intoArray(acc, i);
                }
                VectorMath.roundToHalf(acc, n);
            } else {
                vs = exps[p];
            }
            int v0 = p * kvDim + kvOffset;
            double weight = vs;
            int i = 0;
            for (; i < fused; i += STEP) {
                // (float) ((double) v * vs + acc), as Attention.fma: the product is exact in double
                FloatVector v = FloatVector.fromArray(F, values, v0 + i);
                FloatVector a = FloatVector.fromArray(F, acc, i);
                DoubleVector low = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0)).mul(weight)
                        .add((DoubleVector) a.convertShape(VectorOperators.F2D, D, 0));
                DoubleVector high = ((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1)).mul(weight)
                        .add((DoubleVector) a.convertShape(VectorOperators.F2D, D, 1));
                ((FloatVector) low.convertShape(VectorOperators.D2F, F, 0))
                        .blend((FloatVector) high.convertShape(VectorOperators.D2F, F, -1), HIGH_HALF)
                        .intoArray(acc, i);
            }
            for (; i < n; i += STEP) {
                FloatVector.fromArray(F, acc, i).add(FloatVector.fromArray(F, values, v0 + i).mul(vs))
                        .intoArray(acc, i);
            }
            VectorMath.roundToHalf(acc, n);
            sum = sum * ms + vs;
        }
        float inverse = sum == 0.0f ? 0.0f : 1.0f / sum;
        for (int i = 0; i < n; i += STEP) {
            FloatVector.fromArray(F, acc, i).mul(inverse).intoArray(out, qOffset + i);
        }
    }
}

package dev.tealama.cli.kernels;

import dev.tealama.math.DetMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.tealama.cli.kernels.Lanes.D256;
import static dev.tealama.cli.kernels.Lanes.F256;
import static dev.tealama.cli.kernels.Lanes.I256;
import static dev.tealama.cli.kernels.Lanes.S128;

/**
 * Vector forms of the scalar functions core's attention and SwiGLU use, each giving the same bits as its scalar
 * original for every input: {@link #expf} is {@link DetMath#expf} (fdlibm's exp in double lanes, its branches turned
 * into lane selections), {@link #widenHalves} is {@code Float16.toFloat}, {@link #roundToHalf} is
 * {@code Float16.toFloat(Float16.fromFloat(x))}.
 */
final class VectorMath {
    private static final jdk.incubator.vector.VectorSpecies<Float> F128 = FloatVector.SPECIES_128;

    // fdlibm's constants, as in DetMath
    private static final double LN2_HI = 0x1.62e42feep-1;
    private static final double LN2_LO = 0x1.a39ef35793c76p-33;
    private static final double INV_LN2 = 0x1.71547652b82fep0;
    private static final double P1 = 0x1.555555555553ep-3;
    private static final double P2 = -0x1.6c16c16bebd93p-9;
    private static final double P3 = 0x1.1566aaf25de2cp-14;
    private static final double P4 = -0x1.bbd41c5d26bf1p-20;
    private static final double P5 = 0x1.6376972bea4d0p-25;

    private VectorMath() {
    }

    private static final DoubleVector ONE = DoubleVector.broadcast(D256, 1.0);
    private static final DoubleVector TWO = DoubleVector.broadcast(D256, 2.0);
    private static final DoubleVector HALF = DoubleVector.broadcast(D256, 0.5);
    private static final DoubleVector ZERO = DoubleVector.broadcast(D256, 0.0);
    private static final DoubleVector INFINITY = DoubleVector.broadcast(D256, Double.POSITIVE_INFINITY);

    /**
     * {@code dst[i] = DetMath.expf(src[i])} for {@code i < n}: fdlibm's exp lane by lane, exactly, where the result
     * is a normal double; results below 2^-1021 (which round to float zero) come back as 0. fdlibm's branches become
     * lane selections: no reduction for |x| ≤ ln2/2, the shortcut {@code 1 + x} below 2^-28, the overflow and
     * underflow thresholds (+Inf above 709.78, 0 below -709.78, as their floats are) and NaN. Written out in one
     * loop body (no helper calls) so that C2 inlines every Vector API call (see {@link Lanes}).
     */
    static void expf(float[] src, float[] dst, int n) {
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(F128, src, i).convertShape(VectorOperators.F2D, D256, 0);
            LongVector bits = x.reinterpretAsLongs();
            LongVector highAbs = bits.lanewise(VectorOperators.LSHR, 32).and(0x7fff_ffffL);
            VectorMask<Long> reduce = highAbs.compare(VectorOperators.GT, 0x3fd6_2e42L);

            // k = round(x / ln2) as fdlibm rounds it (truncating x/ln2 ± 0.5), 0 where |x| <= ln2/2
            DoubleVector half = bits.and(0x8000_0000_0000_0000L).or(HALF.reinterpretAsLongs()).reinterpretAsDoubles();
            LongVector k = ((LongVector) x.mul(INV_LN2).add(half).convert(VectorOperators.D2L, 0))
                    .blend(0L, reduce.not());
            DoubleVector kd = (DoubleVector) k.convert(VectorOperators.L2D, 0);
            DoubleVector hi = x.sub(kd.mul(LN2_HI));
            DoubleVector lo = kd.mul(LN2_LO);
            DoubleVector r = hi.sub(lo);

            DoubleVector rr = r.mul(r);
            DoubleVector c = r.sub(rr.mul(rr.mul(rr.mul(rr.mul(rr.mul(P5).add(P4)).add(P3)).add(P2)).add(P1)));
            DoubleVector rc = r.mul(c);
            LongVector unreduced = ONE.sub(rc.div(c.sub(TWO)).sub(r)).reinterpretAsLongs();
            LongVector y = ONE.sub(lo.sub(rc.div(TWO.sub(c))).sub(hi)).reinterpretAsLongs();
            LongVector result = y.add(k.lanewise(VectorOperators.LSHL, 52))
                    .blend(0L, k.compare(VectorOperators.LT, -1021L))
                    .blend(unreduced, reduce.not())
                    .blend(x.add(ONE).reinterpretAsLongs(), highAbs.compare(VectorOperators.LT, 0x3e30_0000L));
            LongVector outside = ZERO.blend(INFINITY, x.compare(VectorOperators.GT, 0.0))
                    .blend(x.add(x), x.compare(VectorOperators.NE, x)).reinterpretAsLongs();
            result = result.blend(outside, highAbs.compare(VectorOperators.GE, 0x4086_2e42L));
            ((FloatVector) result.reinterpretAsDoubles().convertShape(VectorOperators.D2F, F128, 0)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = DetMath.expf(src[i]);
        }
    }

    /** {@code dst[i] = Float16.toFloat(src[offset + i])} for {@code i < n} (a multiple of 8), exactly. */
    static void widenHalves(short[] src, int offset, float[] dst, int n) {
        for (int i = 0; i < n; i += 8) {
            IntVector bits = ((IntVector) ShortVector.fromArray(S128, src, offset + i)
                    .convertShape(VectorOperators.S2I, I256, 0)).and(0xFFFF);
            F16Kernel.widenBits(bits).intoArray(dst, i);
        }
    }

    /**
     * {@code a[i] = Float16.toFloat(Float16.fromFloat(a[i]))} for {@code i < n}: each value rounded to the nearest
     * half, ties to even, into subnormals, overflowing to infinity from 65520 up. Written as a plain loop over
     * {@link Float#floatToFloat16} and {@link Float#float16ToFloat}, which are IEEE round-to-nearest-even like core's
     * {@code Float16}: C2 compiles both to the CPU's own conversions (F16C {@code vcvtps2ph}, {@code vcvtph2ps}),
     * which beat the fifteen-odd bit operations per 8 lanes of the vector version this replaced (attention A/B in
     * docs/benchmarks.md).
     */
    static void roundToHalf(float[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] = Float.float16ToFloat(Float.floatToFloat16(a[i]));
        }
    }
}

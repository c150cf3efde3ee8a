package dev.tealama.cli.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The vector shapes and the few lane tricks every weight kernel shares.
 *
 * <p>The kernels work in 256-bit vectors: 16 shorts, 8 ints or 8 floats. That is AVX2's native width, and on
 * AVX-512 machines 256-bit instructions still issue on three ports where 512-bit ones get two. {@link #SUPPORTED}
 * says whether the hardware runs them natively; where it does not (say, 128-bit NEON), the Vector API would
 * emulate them slowly, so the host falls back to core's scalar kernels. The exception is Q8_0 and Q4_0 on AVX-512
 * machines ({@link #WIDE}): there the one-token kernels and the prompt kernel ({@link TokenLanes}) work in 16 float
 * lanes, because in floats a block needs no horizontal sums at all (products of int8 values and their sums stay
 * exact below 2^24), which saves more instructions than the narrower issue costs.
 *
 * <h2>Exact block sums without a horizontal sum per block</h2>
 * A quantized dot product needs one exact integer per block (the sum of 32 products) before it is scaled. Summing
 * the lanes of one vector costs about as much as computing the products, so kernels reduce eight blocks at once:
 * each block leaves an {@link IntVector} of 8 partial sums, and
 * {@code EVEN.selectFrom(a, b).add(ODD.selectFrom(a, b))} merges two such vectors into one whose lower half holds
 * the first block's partials summed in pairs and whose upper half the second's. Three rounds of it
 * (8 → 4 → 2 → 1 vectors) leave lane {@code i} holding block {@code i}'s exact sum, and the scales of eight blocks
 * are then applied in one vector multiply. A round of 16 blocks first computes and stores (after the first merge)
 * the partials of all 16, then reduces them in two groups of 8: the weight loads of 16 blocks go out back to back.
 *
 * <p>All the sums are integer (exact); only the order in which the scaled block terms are added differs from the
 * scalar kernels, as {@link dev.tealama.model.Kernels} allows.
 *
 * <h2>Why the hot loops spell the Vector API out</h2>
 * C2 stops inlining a method's own callees once the compilation has created about 18,000 nodes
 * ({@code NodeCountInliningCutoff}), and each Vector API call parses into hundreds before it is intrinsified; a
 * helper that is then not inlined takes and returns boxed vectors, which is many times slower. The Vector API's own
 * methods are force-inlined past that limit, so the hot loops call them directly and use the helpers here only
 * where a call is cheap (outside the loops, or with array arguments).
 *
 * <h2>Reading ahead</h2>
 * Each block's arithmetic depends on its load, so when the weights come from memory the out-of-order window fills
 * with waiting instructions after a few cache lines, and a thread streams at a third of the speed it computes. The
 * kernels therefore touch the weights {@link #READ_AHEAD} bytes ahead of the block they compute, one byte per cache
 * line, a cheap load with nothing waiting on it that brings the line in early: measured +50% on Q8_0 rows.
 */
final class Lanes {
    static final VectorSpecies<Byte> B128 = ByteVector.SPECIES_128;
    static final VectorSpecies<Short> S128 = ShortVector.SPECIES_128;
    static final VectorSpecies<Short> S256 = ShortVector.SPECIES_256;
    static final VectorSpecies<Integer> I256 = IntVector.SPECIES_256;
    static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
    static final VectorSpecies<Double> D256 = DoubleVector.SPECIES_256;
    static final VectorSpecies<Double> D512 = DoubleVector.SPECIES_512;
    static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512;
    static final VectorSpecies<Integer> I512 = IntVector.SPECIES_512;

    /** Blocks reduced together: one lane of an {@link #I256} vector each. */
    static final int GROUP = 8;

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    /** How far ahead of the current block the kernels touch the weights (see the class comment). */
    static final long READ_AHEAD = 4096;

    /** Whether this machine runs 256-bit vectors natively. */
    static final boolean SUPPORTED = ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    /**
     * Whether this machine runs 512-bit vectors natively (AVX-512): then the one-token Q8_0 and Q4_0 kernels work in
     * 16 float lanes (see {@link Q8_0Kernel#wideDot}). Off with {@code -Dtealama.wide=false}, to compare.
     */
    static final boolean WIDE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512
            && !"false".equals(System.getProperty("tealama.wide"));

    /** Two-vector lane selectors: the even and the odd lanes of (a, b), in order. */
    static final IntVector EVEN = IntVector.fromArray(I256, new int[] {0, 2, 4, 6, 8, 10, 12, 14}, 0);
    static final IntVector ODD = IntVector.fromArray(I256, new int[] {1, 3, 5, 7, 9, 11, 13, 15}, 0);

    /**
     * The floats -8 .. 7 as int bits, indexed by a Q4_0 nibble: {@code index.selectFrom(Q4_0_VALUES)} turns 16 nibbles
     * (the low 4 bits of each lane; selectFrom ignores the rest) into the floats {@code nibble - 8} with one
     * permute, where masking, subtracting and converting would take three instructions on the busiest port.
     */
    static final IntVector Q4_0_VALUES = IntVector.fromArray(I512, nibbleValues(), 0);

    private static int[] nibbleValues() {
        int[] bits = new int[16];
        for (int n = 0; n < 16; n++) {
            bits[n] = Float.floatToRawIntBits(n - 8);
        }
        return bits;
    }

    private Lanes() {
    }

    /**
     * Each int lane holding two int16 values (as {@link ShortVector#reinterpretAsInts} leaves them), their sum:
     * {@code (lane << 16 >> 16) + (lane >> 16)}, exact.
     */
    static IntVector addShortPairs(ShortVector pairs) {
        IntVector i = pairs.reinterpretAsInts();
        return i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(i.lanewise(VectorOperators.ASHR, 16));
    }

    /** The fp16 at {@code w[offset]} as a float. */
    static float half(MemorySegment w, long offset) {
        return Float.float16ToFloat(w.get(SHORT_LE, offset));
    }

    /** 16 signed bytes at {@code w[offset]} widened to shorts. */
    static ShortVector bytes(MemorySegment w, long offset) {
        return (ShortVector) ByteVector.fromMemorySegment(B128, w, offset, LE).convertShape(VectorOperators.B2S, S256, 0);
    }

    /**
     * {@code start + v[0] + v[1] + ... + v[7]}, added one lane at a time in that order (the K-quants' scalar
     * kernels end this way).
     */
    static float addInOrder(float start, FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        float sum = start;
        for (int i = 0; i < 8; i++) {
            sum += scratch[i];
        }
        return sum;
    }
}

package dev.tealama.tensor;

/**
 * An activation vector in the form a weight format's dot product reads ({@link ActivationType}), prepared once
 * per matmul and then read by every row's dot product.
 *
 * <p>The buffers are allocated once, for {@code capacity} elements, and reused by every {@link #quantize} call,
 * so a forward pass makes no garbage. Which buffers mean something depends on the type; the others are empty:
 * <ul>
 *   <li>{@code F32}: {@link #values()} holds a copy of the input.
 *   <li>{@code F16} / {@code BF16}: {@link #values()} holds the input rounded to that type, as floats.
 *   <li>{@code Q8_0}: {@link #quants()} one int8 per element, {@link #scales()} one fp16 {@code d} per block of
 *       32 (as a float). Element i stands for {@code quants[i] * scales[i / 32]}.
 *   <li>{@code Q8_1}: as Q8_0, plus {@link #blockSums()}: per block the fp16 of {@code d * sum(quants)}.
 *   <li>{@code Q8_K}: {@link #quants()}, {@link #scales()} one float {@code d} per block of 256, and
 *       {@link #groupSums()}: the sum of each 16 consecutive quants (16 per block).
 * </ul>
 * The arithmetic is exactly ggml's on x86 (see each quantizer), so dot products see the bits llama.cpp sees,
 * including blocks of subnormal or huge values (whose scales underflow or overflow). Only NaN inputs are not
 * reproduced lane for lane (x86's {@code max} treats them by position); they give deterministic garbage.
 *
 * <p>Not thread-safe while quantizing; any number of threads may read it afterwards.
 */
public final class QuantizedVector {
    private static final byte[] NO_BYTES = new byte[0];
    private static final float[] NO_FLOATS = new float[0];
    private static final short[] NO_SHORTS = new short[0];

    private final ActivationType type;
    private final int capacity;
    private final byte[] quants;
    private final float[] scales;
    private final float[] blockSums;
    private final short[] groupSums;
    private final float[] values;
    private int length;

    /**
     * A vector of {@code type} able to hold up to {@code capacity} elements (a multiple of the type's block
     * size).
     */
    public QuantizedVector(ActivationType type, int capacity) {
        if (type == null) {
            throw new IllegalArgumentException("activation type is null");
        }
        if (capacity < 0 || capacity % type.blockSize() != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a non-negative multiple of "
                    + type + "'s block size " + type.blockSize());
        }
        this.type = type;
        this.capacity = capacity;
        int blocks = capacity / type.blockSize();
        boolean integer = type == ActivationType.Q8_0 || type == ActivationType.Q8_1 || type == ActivationType.Q8_K;
        this.quants = integer ? new byte[capacity] : NO_BYTES;
        this.scales = integer ? new float[blocks] : NO_FLOATS;
        this.blockSums = type == ActivationType.Q8_1 ? new float[blocks] : NO_FLOATS;
        this.groupSums = type == ActivationType.Q8_K ? new short[capacity / 16] : NO_SHORTS;
        this.values = integer ? NO_FLOATS : new float[capacity];
    }

    public ActivationType type() {
        return type;
    }

    /** The most elements this vector can hold. */
    public int capacity() {
        return capacity;
    }

    /** How many elements the last {@link #quantize} call stored. */
    public int length() {
        return length;
    }

    /**
     * Converts {@code x[offset .. offset + length)} into this vector's form, replacing what it held.
     * {@code length} must be a multiple of the type's block size and at most the capacity.
     */
    public void quantize(float[] x, int offset, int length) {
        if (length < 0 || length % type.blockSize() != 0 || length > capacity) {
            throw new IllegalArgumentException("cannot quantize " + length + " elements to " + type
                    + ": need a multiple of " + type.blockSize() + " up to the capacity " + capacity);
        }
        if (offset < 0 || offset > x.length - length) {
            throw new IllegalArgumentException("elements [" + offset + ", " + ((long) offset + length)
                    + ") are outside the " + x.length + "-element input");
        }
        switch (type) {
            case F32:
                System.arraycopy(x, offset, values, 0, length);
                break;
            case F16:
                for (int i = 0; i < length; i++) {
                    values[i] = Float16.toFloat(Float16.fromFloat(x[offset + i]));
                }
                break;
            case BF16:
                for (int i = 0; i < length; i++) {
                    values[i] = BFloat16.toFloat(BFloat16.fromFloat(x[offset + i]));
                }
                break;
            case Q8_0:
            case Q8_1:
                quantizeQ8(x, offset, length, type == ActivationType.Q8_1);
                break;
            case Q8_K:
                quantizeQ8K(x, offset, length);
                break;
            default:
                throw new IllegalStateException("unhandled activation type " + type);
        }
        this.length = length;
    }

    /**
     * Declares that a host has written the Q8_0 or Q8_K form of {@code length} elements into {@link #quants()},
     * {@link #scales()} and (Q8_K) {@link #groupSums()} itself, with exactly {@link #quantize}'s arithmetic (the
     * canister does it in Wasm SIMD); the vector then holds them as if {@code quantize} had run.
     */
    public void markQuantized(int length) {
        if (type != ActivationType.Q8_0 && type != ActivationType.Q8_K) {
            throw new IllegalStateException("only Q8_0 and Q8_K vectors can be quantized by a host, not " + type);
        }
        if (length < 0 || length % type.blockSize() != 0 || length > capacity) {
            throw new IllegalArgumentException("cannot hold " + length + " elements of " + type + ": need a multiple of "
                    + type.blockSize() + " up to the capacity " + capacity);
        }
        this.length = length;
    }

    /**
     * Q8_0 / Q8_1 as x86 ggml makes them ({@code quantize_row_q8_0} / {@code _q8_1} in arch/x86/quants.c, not
     * the {@code _ref} versions): {@code d = amax / 127}, multiplier {@code 127 / amax}, round half to even.
     */
    private void quantizeQ8(float[] x, int offset, int length, boolean withSums) {
        for (int block = 0; block < length / 32; block++) {
            int start = block * 32;
            float amax = 0f;
            for (int j = 0; j < 32; j++) {
                amax = Math.max(amax, Math.abs(x[offset + start + j]));
            }
            float d = amax / 127f;
            float multiplier = amax != 0f ? 127f / amax : 0f;
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                // as x86 does it: round to int32 (out of range: INT_MIN), sum the int32s, saturate to int8;
                // the out-of-range case is real: a block of subnormal values has multiplier infinity
                int q = Rounding.x86RoundToInt32(x[offset + start + j] * multiplier);
                quants[start + j] = (byte) Math.max(-128, Math.min(127, q));
                sum += q;
            }
            scales[block] = roundToHalf(d);
            if (withSums) {
                // the sum is scaled by the unrounded d, then stored as fp16
                blockSums[block] = roundToHalf(d * sum);
            }
        }
    }

    /**
     * Q8_K as ggml makes it on every CPU ({@code quantize_row_q8_K_ref}): the scale comes from the element of
     * largest magnitude with its sign, {@code iscale = -127 / max}, {@code d = 1 / iscale}.
     */
    private void quantizeQ8K(float[] x, int offset, int length) {
        for (int block = 0; block < length / 256; block++) {
            int start = block * 256;
            float max = 0f;
            float amax = 0f;
            for (int j = 0; j < 256; j++) {
                float v = x[offset + start + j];
                float av = Math.abs(v);
                if (av > amax) {
                    amax = av;
                    max = v;
                }
            }
            if (amax == 0f) {
                scales[block] = 0f;
                for (int j = 0; j < 256; j++) {
                    quants[start + j] = 0;
                }
                for (int g = 0; g < 16; g++) {
                    groupSums[start / 16 + g] = 0;
                }
                continue;
            }
            float iscale = -127f / max;
            for (int j = 0; j < 256; j++) {
                quants[start + j] = (byte) Math.min(127, Rounding.nearestEven(iscale * x[offset + start + j]));
            }
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int j = 0; j < 16; j++) {
                    sum += quants[start + g * 16 + j];
                }
                groupSums[start / 16 + g] = (short) sum;
            }
            scales[block] = 1f / iscale;
        }
    }

    private static float roundToHalf(float f) {
        return Float16.toFloat(Float16.fromFloat(f));
    }

    /** Q8 types: one int8 per element. */
    public byte[] quants() {
        return quants;
    }

    /** Q8 types: one scale per block (Q8_0 / Q8_1: the fp16 {@code d} as a float; Q8_K: the float {@code d}). */
    public float[] scales() {
        return scales;
    }

    /** Q8_1: per block, the fp16 of {@code d * sum(quants)}, as a float. */
    public float[] blockSums() {
        return blockSums;
    }

    /** Q8_K: the sum of each group of 16 quants (16 per block). */
    public short[] groupSums() {
        return groupSums;
    }

    /** F32 / F16 / BF16: the elements, rounded to the type, as floats. */
    public float[] values() {
        return values;
    }
}

package dev.tealama.model;

import dev.tealama.tensor.Float16;

/**
 * Keys and values of every position seen so far, per layer: {@code positions × kvDim} values per layer, in F16 (as
 * llama.cpp keeps them, the default) or F32 (the precise scheme). Keys are stored after RoPE.
 *
 * <p>Memory: {@code 2 × layers × positions × kvDim × (2 or 4)} bytes, allocated up front so that a session never
 * fails half-way through for lack of memory.
 */
public final class KvCache {
    private final int kvDim;
    private final int capacity;
    private final short[][] keys16;
    private final short[][] values16;
    private final float[][] keys32;
    private final float[][] values32;

    public KvCache(int layers, int capacity, int kvDim, boolean f16) {
        this.kvDim = kvDim;
        this.capacity = capacity;
        long perLayer = (long) capacity * kvDim;
        if (perLayer > Integer.MAX_VALUE - 8) {
            throw new dev.tealama.TealamaException("a context of " + capacity + " positions needs a KV cache too large "
                    + "for one array per layer; use a smaller context size");
        }
        if (f16) {
            keys16 = new short[layers][(int) perLayer];
            values16 = new short[layers][(int) perLayer];
            keys32 = null;
            values32 = null;
        } else {
            keys32 = new float[layers][(int) perLayer];
            values32 = new float[layers][(int) perLayer];
            keys16 = null;
            values16 = null;
        }
    }

    /** Bytes a cache of this shape takes. */
    public static long bytesFor(int layers, int capacity, int kvDim, boolean f16) {
        return 2L * layers * capacity * kvDim * (f16 ? 2 : 4);
    }

    public boolean isF16() {
        return keys16 != null;
    }

    /** Positions the cache can hold. */
    public int capacity() {
        return capacity;
    }

    public int kvDim() {
        return kvDim;
    }

    /** Stores the key and value of position {@code pos} for {@code layer} (rounded to F16 in an F16 cache). */
    public void store(int layer, int pos, float[] key, float[] value) {
        int base = pos * kvDim;
        if (keys16 != null) {
            short[] k = keys16[layer];
            short[] v = values16[layer];
            for (int i = 0; i < kvDim; i++) {
                k[base + i] = Float16.fromFloat(key[i]);
                v[base + i] = Float16.fromFloat(value[i]);
            }
        } else {
            System.arraycopy(key, 0, keys32[layer], base, kvDim);
            System.arraycopy(value, 0, values32[layer], base, kvDim);
        }
    }

    /** F16 keys of {@code layer} (position {@code p}, element {@code i} at {@code p * kvDim + i}). */
    public short[] keys16(int layer) {
        return keys16[layer];
    }

    public short[] values16(int layer) {
        return values16[layer];
    }

    public float[] keys32(int layer) {
        return keys32[layer];
    }

    public float[] values32(int layer) {
        return values32[layer];
    }
}

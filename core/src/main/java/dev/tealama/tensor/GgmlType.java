package dev.tealama.tensor;

/**
 * The tensor element types a GGUF file can name, with ggml's numeric ids and block geometry.
 *
 * <p>Every type ggml has defined is listed, so that a file holding one Tealama cannot run still gets a clear
 * message naming the type ({@code "tensor blk.0.attn_q.weight has type IQ2_XXS, which Tealama does not
 * support"}) rather than "unknown type 16". {@link #isSupported()} says which ones the kernels implement.
 * A block of {@link #blockSize()} elements takes {@link #blockBytes()} bytes.
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, false),
    Q5_1(7, 32, 24, false),
    Q8_0(8, 32, 34, true),
    /** Activation-only type (Q4_1 weights are multiplied by Q8_1 activations); never a weight here. */
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, false),
    Q3_K(11, 256, 110, false),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    /** Activation-only type (K-quant weights are multiplied by Q8_K activations); never a weight here. */
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false),
    MXFP4(39, 32, 17, false),
    NVFP4(40, 64, 36, false),
    Q1_0(41, 128, 18, false),
    Q2_0(42, 64, 18, false);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int blockBytes;
    private final boolean supported;

    GgmlType(int id, int blockSize, int blockBytes, boolean supported) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
        this.supported = supported;
    }

    /** The type with ggml id {@code id}, or {@code null} if ggml never defined (or has removed) that id. */
    public static GgmlType ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** ggml's numeric id, as stored in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** Elements per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Whether Tealama can compute with weights of this type. */
    public boolean isSupported() {
        return supported;
    }

    /**
     * Bytes taken by {@code elements} elements (a multiple of the block size), or -1 if that overflows a long.
     */
    public long bytesFor(long elements) {
        long blocks = elements / blockSize;
        if (elements < 0 || blocks > Long.MAX_VALUE / blockBytes) {
            return -1;
        }
        return blocks * blockBytes;
    }
}

package dev.tealama.gguf;

/**
 * The type of a GGUF metadata value. The declaration order is GGUF's: {@link #ordinal()} is the id stored in the
 * file ({@code UINT8} = 0 ... {@code FLOAT64} = 12).
 */
public enum ValueType {
    UINT8(1, "u8"),
    INT8(1, "i8"),
    UINT16(2, "u16"),
    INT16(2, "i16"),
    UINT32(4, "u32"),
    INT32(4, "i32"),
    FLOAT32(4, "f32"),
    BOOL(1, "bool"),
    STRING(0, "str"),
    ARRAY(0, "arr"),
    UINT64(8, "u64"),
    INT64(8, "i64"),
    FLOAT64(8, "f64");

    private static final ValueType[] BY_ID = values();

    private final int fixedSize;
    private final String shortName;

    ValueType(int fixedSize, String shortName) {
        this.fixedSize = fixedSize;
        this.shortName = shortName;
    }

    /** The type with GGUF id {@code id}, or {@code null} if GGUF defines no such type. */
    public static ValueType ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** GGUF's numeric id for this type. */
    public int id() {
        return ordinal();
    }

    /** Bytes one value takes in the file, or 0 for {@code STRING} and {@code ARRAY}, whose size varies. */
    public int fixedSize() {
        return fixedSize;
    }

    /** Whether this is one of the eight integer types. */
    public boolean isInteger() {
        return fixedSize != 0 && this != FLOAT32 && this != FLOAT64 && this != BOOL;
    }

    /** Whether values of this type are unsigned integers. */
    public boolean isUnsignedInteger() {
        return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
    }

    /** The short name ggml prints ({@code u32}, {@code f32}, {@code str}, {@code arr}...). */
    public String shortName() {
        return shortName;
    }
}

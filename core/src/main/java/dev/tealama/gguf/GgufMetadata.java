package dev.tealama.gguf;

import dev.tealama.gguf.MetadataValue.ArrayValue;
import dev.tealama.gguf.MetadataValue.BoolValue;
import dev.tealama.gguf.MetadataValue.Float32Array;
import dev.tealama.gguf.MetadataValue.Float32Value;
import dev.tealama.gguf.MetadataValue.Float64Array;
import dev.tealama.gguf.MetadataValue.Float64Value;
import dev.tealama.gguf.MetadataValue.IntegerArray;
import dev.tealama.gguf.MetadataValue.IntegerValue;
import dev.tealama.gguf.MetadataValue.StringArray;
import dev.tealama.gguf.MetadataValue.StringValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order, with typed getters.
 *
 * <p>Each typed getter has two forms: without a default, a missing key is an error
 * ({@code "GGUF: missing metadata key 'llama.block_count'"}); with a default, a missing key gives the default. In
 * both, a value of the wrong type is an error naming the key and both types: a file that stores a value as the wrong
 * type is broken, and guessing would hide it.
 */
public final class GgufMetadata {
    private final Map<String, MetadataValue> entries;

    /** Metadata holding {@code entries} in the map's iteration order (the reader passes them in file order). */
    public GgufMetadata(Map<String, MetadataValue> entries) {
        this.entries = new LinkedHashMap<>(entries);
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The keys in file order (unmodifiable). */
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    /** Number of key/value pairs. */
    public int size() {
        return entries.size();
    }

    /** The value of {@code key}, or {@code null} if absent. */
    public MetadataValue get(String key) {
        return entries.get(key);
    }

    /** A string value. */
    public String string(String key) {
        return asString(key, require(key));
    }

    public String string(String key, String defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asString(key, v);
    }

    /** A value of any integer type, exactly. A {@code u64} above {@link Long#MAX_VALUE} is an error. */
    public long integer(String key) {
        return asLong(key, require(key));
    }

    public long integer(String key, long defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asLong(key, v);
    }

    /** A value of any integer type that fits in an {@code int}; anything outside the range is an error. */
    public int int32(String key) {
        return asInt(key, require(key));
    }

    public int int32(String key, int defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asInt(key, v);
    }

    /**
     * A {@code f32} value; {@code f64} and integer values are accepted too and rounded to the nearest {@code float}
     * (converters sometimes store {@code rope.freq_base} as an integer or a double).
     */
    public float float32(String key) {
        return asFloat(key, require(key));
    }

    public float float32(String key, float defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asFloat(key, v);
    }

    public boolean bool(String key) {
        return asBool(key, require(key));
    }

    public boolean bool(String key, boolean defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asBool(key, v);
    }

    /** A string array, decoded into a new array. */
    public String[] stringArray(String key) {
        return asStringArray(key, require(key));
    }

    /** A string array, decoded into a new array, or {@code defaultValue} (which may be {@code null}) if absent. */
    public String[] stringArray(String key, String[] defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asStringArray(key, v);
    }

    /**
     * A string array as a read-only list that decodes each element when it is read, or {@code defaultValue} (which
     * may be {@code null}) if the key is absent: for arrays too large to hold as strings all at once (merges).
     */
    public List<String> stringList(String key, List<String> defaultValue) {
        MetadataValue v = entries.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof StringArray a) {
            return a.asList();
        }
        throw wrongType(key, v, "an array of strings");
    }

    /** An array of {@code f32} (or {@code f64}, or integers, converted to {@code float}), as a new array. */
    public float[] floatArray(String key) {
        return asFloatArray(key, require(key));
    }

    /** As {@link #floatArray(String)}, or {@code defaultValue} (which may be {@code null}) if the key is absent. */
    public float[] floatArray(String key, float[] defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asFloatArray(key, v);
    }

    /** An array of any integer type whose elements all fit in an {@code int}, as a new array. */
    public int[] intArray(String key) {
        return asIntArray(key, require(key));
    }

    /** As {@link #intArray(String)}, or {@code defaultValue} (which may be {@code null}) if the key is absent. */
    public int[] intArray(String key, int[] defaultValue) {
        MetadataValue v = entries.get(key);
        return v == null ? defaultValue : asIntArray(key, v);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, MetadataValue> e : entries.entrySet()) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(e.getKey()).append('=').append(MetadataText.display(e.getValue(), 4, 60));
        }
        return out.append('}').toString();
    }

    private MetadataValue require(String key) {
        MetadataValue v = entries.get(key);
        if (v == null) {
            throw new GgufFormatException("GGUF: missing metadata key '" + key + "'");
        }
        return v;
    }

    private static String asString(String key, MetadataValue v) {
        if (v instanceof StringValue s) {
            return s.value();
        }
        throw wrongType(key, v, "a string");
    }

    private static long asLong(String key, MetadataValue v) {
        if (v instanceof IntegerValue i) {
            if (i.exceedsLong()) {
                throw new GgufFormatException("GGUF: metadata key '" + key + "' is " + i + ", which is too large");
            }
            return i.value();
        }
        throw wrongType(key, v, "an integer");
    }

    private static int asInt(String key, MetadataValue v) {
        long value = asLong(key, v);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new GgufFormatException("GGUF: metadata key '" + key + "' is " + value
                    + ", outside the range of a 32-bit integer");
        }
        return (int) value;
    }

    private static float asFloat(String key, MetadataValue v) {
        if (v instanceof Float32Value f) {
            return f.value();
        }
        if (v instanceof Float64Value d) {
            return (float) d.value();
        }
        if (v instanceof IntegerValue i) {
            return unsignedAwareFloat(i.type(), i.value());
        }
        throw wrongType(key, v, "a number");
    }

    private static boolean asBool(String key, MetadataValue v) {
        if (v instanceof BoolValue b) {
            return b.value();
        }
        throw wrongType(key, v, "a bool");
    }

    private static String[] asStringArray(String key, MetadataValue v) {
        if (v instanceof StringArray a) {
            return a.toArray();
        }
        throw wrongType(key, v, "an array of strings");
    }

    private static float[] asFloatArray(String key, MetadataValue v) {
        if (v instanceof Float32Array a) {
            return a.values().clone();
        }
        if (v instanceof Float64Array a) {
            double[] values = a.values();
            float[] out = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (float) values[i];
            }
            return out;
        }
        if (v instanceof IntegerArray a) {
            float[] out = new float[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = unsignedAwareFloat(a.elementType(), a.valueAt(i));
            }
            return out;
        }
        throw wrongType(key, v, "an array of numbers");
    }

    private static int[] asIntArray(String key, MetadataValue v) {
        if (v instanceof IntegerArray a) {
            int[] out = new int[a.size()];
            boolean unsigned64 = a.elementType() == ValueType.UINT64;
            for (int i = 0; i < out.length; i++) {
                long value = a.valueAt(i);
                if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE || (unsigned64 && value < 0)) {
                    String shown = unsigned64 ? Long.toUnsignedString(value) : Long.toString(value);
                    throw new GgufFormatException("GGUF: metadata key '" + key + "' element " + i + " is " + shown
                            + ", outside the range of a 32-bit integer");
                }
                out[i] = (int) value;
            }
            return out;
        }
        throw wrongType(key, v, "an array of integers");
    }

    private static float unsignedAwareFloat(ValueType type, long value) {
        if (type == ValueType.UINT64 && value < 0) {
            // 2^63 and above: halve (keeping the low bit so rounding stays correct), convert, double.
            return (float) ((value >>> 1) | (value & 1)) * 2.0f;
        }
        return (float) value;
    }

    private static GgufFormatException wrongType(String key, MetadataValue v, String expected) {
        return new GgufFormatException("GGUF: metadata key '" + key + "' is " + describeType(v) + ", expected "
                + expected);
    }

    private static String describeType(MetadataValue v) {
        if (v instanceof ArrayValue a) {
            return "an array of " + a.elementType().shortName();
        }
        return "a " + v.type().shortName();
    }
}

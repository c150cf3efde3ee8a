package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dylibso.chicory.runtime.Instance;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The SIMD instructions the canister's activation kernels use (Q8_0 and Q8_K quantization and SwiGLU's exp: f32x4
 * abs, neg, max, pmax, lt, nearest; i32x4 min_s; the saturating truncations and narrowings; f64x2 abs, sub, mul, div, comparisons, the i32
 * conversion; i64x2 extend and shift), lowered by {@link SimdLowering} and run by {@link SimdOps}, against the Wasm
 * specification's lane arithmetic written out here: every result bit, on random bit patterns (NaNs, infinities,
 * subnormals, signed zeros) and on the values where each instruction's rule changes (ties, saturation bounds).
 */
class SimdActivationOpsTest {
    private static final List<String> UNARY = List.of("f32x4.abs", "f32x4.neg", "f32x4.nearest",
            "i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f64x2_s_zero", "f64x2.abs", "f64x2.convert_low_i32x4_s",
            "i64x2.extend_low_i32x4_s");
    private static final List<String> BINARY = List.of("f32x4.max", "f32x4.lt", "i16x8.narrow_i32x4_s",
            "i8x16.narrow_i16x8_s", "f32x4.pmax", "i32x4.min_s", "f64x2.sub", "f64x2.mul", "f64x2.div", "f64x2.lt", "f64x2.gt", "f64x2.ge");

    private static Instance instance() {
        StringBuilder wat = new StringBuilder("(module (memory (export \"memory\") 1)\n");
        for (String op : UNARY) {
            wat.append("(func (export \"").append(op).append("\") (v128.store (i32.const 32) (").append(op)
                    .append(" (v128.load (i32.const 0)))))\n");
        }
        for (String op : BINARY) {
            wat.append("(func (export \"").append(op).append("\") (v128.store (i32.const 32) (").append(op)
                    .append(" (v128.load (i32.const 0)) (v128.load (i32.const 16)))))\n");
        }
        wat.append("(func (export \"i64x2.shl\") (param $s i32) (v128.store (i32.const 32) "
                + "(i64x2.shl (v128.load (i32.const 0)) (local.get $s))))\n)");
        return LoweredModules.instance(wat.toString(), true);
    }

    private static ByteBuffer run(Instance instance, String op, byte[] a, byte[] b) {
        instance.memory().write(0, a);
        instance.memory().write(16, b);
        instance.export(op).apply();
        return ByteBuffer.wrap(instance.memory().readBytes(32, 16)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Random 16 bytes, with special lane values mixed in: as floats, doubles, ints and shorts. */
    private static byte[] vector(Random random) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        int kind = random.nextInt(5);
        float[] floats = {0f, -0f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 3.5f, 0x1p31f, -0x1p31f, 0x1.fffffep30f, 1e10f,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 8388609f, 0x1p23f};
        double[] doubles = {0, -0.0, 0.5, -1.5, 2147483647.5, -2147483648.9, -2147483649.0, 1e300, Double.NaN,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 100, -110};
        int[] ints = {0, 127, 128, -128, -129, 32767, 32768, -32768, -32769, Integer.MIN_VALUE, Integer.MAX_VALUE};
        for (int lane = 0; lane < 4; lane++) {
            switch (kind) {
                case 0 -> b.putInt(random.nextInt());
                case 1 -> b.putFloat(floats[random.nextInt(floats.length)]);
                case 2 -> b.putInt(ints[random.nextInt(ints.length)]);
                case 3 -> b.putFloat((float) random.nextGaussian() * 300);
                default -> b.putShort((short) ints[random.nextInt(ints.length)])
                        .putShort((short) ints[random.nextInt(ints.length)]);
            }
        }
        if (kind == 1 && random.nextBoolean()) {
            b.clear();
            b.putDouble(doubles[random.nextInt(doubles.length)]).putDouble(doubles[random.nextInt(doubles.length)]);
        }
        return b.array();
    }

    private static byte[] f32x4(byte[] a, Function<Float, Object> lane) {
        ByteBuffer in = le(a);
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            put(out, lane.apply(in.getFloat(4 * i)));
        }
        return out.array();
    }

    private static byte[] f32x4(byte[] a, byte[] b, BiFunction<Float, Float, Object> lane) {
        ByteBuffer x = le(a);
        ByteBuffer y = le(b);
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            put(out, lane.apply(x.getFloat(4 * i), y.getFloat(4 * i)));
        }
        return out.array();
    }

    private static byte[] f64x2(byte[] a, byte[] b, BiFunction<Double, Double, Object> lane) {
        ByteBuffer x = le(a);
        ByteBuffer y = le(b);
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++) {
            put(out, lane.apply(x.getDouble(8 * i), y.getDouble(8 * i)));
        }
        return out.array();
    }

    private static void put(ByteBuffer out, Object value) {
        if (value instanceof Float f) {
            out.putInt(Float.floatToRawIntBits(f));
        } else if (value instanceof Double d) {
            out.putLong(Double.doubleToRawLongBits(d));
        } else if (value instanceof Long l) {
            out.putLong(l);
        } else {
            out.putInt((Integer) value);
        }
    }

    private static int saturate(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    /** The specification's result of {@code op}, lane by lane. */
    private static byte[] expected(String op, byte[] a, byte[] b, int shift) {
        ByteBuffer x = le(a);
        ByteBuffer y = le(b);
        ByteBuffer out = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        switch (op) {
            case "f32x4.abs" -> {
                for (int i = 0; i < 4; i++) {
                    out.putInt(x.getInt(4 * i) & 0x7FFFFFFF); // the sign bit cleared, NaNs too
                }
            }
            case "f32x4.neg" -> {
                for (int i = 0; i < 4; i++) {
                    out.putInt(x.getInt(4 * i) ^ 0x80000000);
                }
            }
            case "f32x4.nearest" -> {
                return f32x4(a, v -> Float.isNaN(v) ? v : (float) Math.rint(v));
            }
            case "i32x4.trunc_sat_f32x4_s" -> {
                return f32x4(a, v -> Float.isNaN(v) ? 0 : v >= 0x1p31f ? Integer.MAX_VALUE
                        : v < -0x1p31f ? Integer.MIN_VALUE : (int) (float) v);
            }
            case "i32x4.trunc_sat_f64x2_s_zero" -> {
                for (int i = 0; i < 2; i++) {
                    double v = x.getDouble(8 * i);
                    out.putInt(Double.isNaN(v) ? 0 : v >= 0x1p31 ? Integer.MAX_VALUE
                            : v <= -0x1p31 - 1 ? Integer.MIN_VALUE : (int) v);
                }
                out.putInt(0).putInt(0);
            }
            case "f64x2.abs" -> out.putLong(x.getLong(0) & Long.MAX_VALUE).putLong(x.getLong(8) & Long.MAX_VALUE);
            case "f64x2.convert_low_i32x4_s" -> out.putDouble(x.getInt(0)).putDouble(x.getInt(4));
            case "i64x2.extend_low_i32x4_s" -> out.putLong(x.getInt(0)).putLong(x.getInt(4));
            case "f32x4.max" -> {
                // NaN if either is; otherwise the larger, +0 above -0
                return f32x4(a, b, (p, q) -> Float.isNaN(p) || Float.isNaN(q) ? Float.NaN
                        : p == 0 && q == 0 ? Float.intBitsToFloat(Float.floatToRawIntBits(p) & Float.floatToRawIntBits(q))
                        : p > q ? p : q);
            }
            case "f32x4.pmax" -> {
                // b where a < b, else a: a NaN on either side keeps a, bits and all
                for (int i = 0; i < 4; i++) {
                    out.putInt(x.getFloat(4 * i) < y.getFloat(4 * i) ? y.getInt(4 * i) : x.getInt(4 * i));
                }
            }
            case "i32x4.min_s" -> {
                for (int i = 0; i < 4; i++) {
                    out.putInt(Math.min(x.getInt(4 * i), y.getInt(4 * i)));
                }
            }
            case "f32x4.lt" -> {
                return f32x4(a, b, (p, q) -> p < q ? -1 : 0);
            }
            case "i16x8.narrow_i32x4_s" -> {
                for (ByteBuffer src : List.of(x, y)) {
                    for (int i = 0; i < 4; i++) {
                        out.putShort((short) saturate(src.getInt(4 * i), Short.MIN_VALUE, Short.MAX_VALUE));
                    }
                }
            }
            case "i8x16.narrow_i16x8_s" -> {
                for (ByteBuffer src : List.of(x, y)) {
                    for (int i = 0; i < 8; i++) {
                        out.put((byte) saturate(src.getShort(2 * i), Byte.MIN_VALUE, Byte.MAX_VALUE));
                    }
                }
            }
            case "f64x2.sub" -> {
                return f64x2(a, b, (p, q) -> p - q);
            }
            case "f64x2.mul" -> {
                return f64x2(a, b, (p, q) -> p * q);
            }
            case "f64x2.div" -> {
                return f64x2(a, b, (p, q) -> p / q);
            }
            case "f64x2.lt" -> {
                return f64x2(a, b, (p, q) -> p < q ? -1L : 0L);
            }
            case "f64x2.gt" -> {
                return f64x2(a, b, (p, q) -> p > q ? -1L : 0L);
            }
            case "f64x2.ge" -> {
                return f64x2(a, b, (p, q) -> p >= q ? -1L : 0L);
            }
            case "i64x2.shl" -> out.putLong(x.getLong(0) << (shift & 63)).putLong(x.getLong(8) << (shift & 63));
            default -> throw new IllegalArgumentException(op);
        }
        return out.array();
    }

    /** Equal bits, except that a NaN lane only needs to be a NaN (Wasm leaves the payload of a computed NaN open). */
    private static void assertLanes(String op, byte[] expected, ByteBuffer actual, byte[] a, byte[] b) {
        boolean doubles = op.startsWith("f64x2") && !op.endsWith("t") && !op.endsWith("e");
        boolean floats = op.startsWith("f32x4") && !op.equals("f32x4.lt");
        ByteBuffer e = le(expected);
        String context = op + " of " + java.util.HexFormat.of().formatHex(a) + ", " + java.util.HexFormat.of().formatHex(b);
        if (doubles) {
            for (int i = 0; i < 2; i++) {
                double p = e.getDouble(8 * i);
                double q = actual.getDouble(8 * i);
                assertEquals(Double.isNaN(p) ? 0x7FF8000000000000L : Double.doubleToRawLongBits(p),
                        Double.isNaN(q) ? 0x7FF8000000000000L : Double.doubleToRawLongBits(q), context);
            }
        } else if (floats) {
            for (int i = 0; i < 4; i++) {
                float p = e.getFloat(4 * i);
                float q = actual.getFloat(4 * i);
                assertEquals(Float.isNaN(p) ? 0x7FC00000 : Float.floatToRawIntBits(p),
                        Float.isNaN(q) ? 0x7FC00000 : Float.floatToRawIntBits(q), context);
            }
        } else {
            assertEquals(java.util.HexFormat.of().formatHex(expected),
                    java.util.HexFormat.of().formatHex(actual.array()), context);
        }
    }

    @Test
    void everyInstructionFollowsTheSpecification() {
        Instance instance = instance();
        Random random = new Random(5);
        for (int round = 0; round < 2000; round++) {
            byte[] a = vector(random);
            byte[] b = vector(random);
            for (String op : UNARY) {
                assertLanes(op, expected(op, a, b, 0), run(instance, op, a, b), a, b);
            }
            for (String op : BINARY) {
                assertLanes(op, expected(op, a, b, 0), run(instance, op, a, b), a, b);
            }
            int shift = random.nextInt(200) - 100;
            instance.memory().write(0, a);
            instance.export("i64x2.shl").apply(shift);
            ByteBuffer shifted = ByteBuffer.wrap(instance.memory().readBytes(32, 16)).order(ByteOrder.LITTLE_ENDIAN);
            assertLanes("i64x2.shl", expected("i64x2.shl", a, b, shift), shifted, a, b);
        }
    }
}

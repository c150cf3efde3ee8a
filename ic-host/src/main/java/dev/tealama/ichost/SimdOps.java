package dev.tealama.ichost;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The 128-bit SIMD instructions this host runs, written in Java: Chicory 1.7.5 compiles no SIMD instruction (its
 * compiler rejects {@code v128}, its interpreter needs a separate SIMD module that is not on Maven Central), so
 * {@link SimdLowering} replaces each SIMD instruction by a call to one of these functions, on a {@code v128} held
 * as two i64 values (lanes little-endian: byte lane {@code i} is bits {@code 8i..8i+7} of {@code lo} for
 * {@code i < 8}, of {@code hi} for the others).
 *
 * <p>Each operation is the Wasm specification's, lane by lane. Only the instructions listed here are supported; a
 * module using another one is refused by name when it is prepared (add it here). Memory instructions
 * ({@code v128.load}, {@code v128.store}), {@code v128.const} and {@code v128} locals need no function: the
 * lowering writes them as i64 instructions.
 */
final class SimdOps {

    /** The import module name of the functions (an internal name: the canister's own imports are ic0 only). */
    static final String MODULE = "tealama:simd";

    /** What a lowered instruction pops and pushes, besides its v128 operands (each two i64). */
    enum Shape {
        /** v128 → v128 */
        UNARY(params(2), results(2)),
        /** v128 v128 → v128 */
        BINARY(params(4), results(2)),
        /** v128 v128 v128 → v128 */
        TERNARY(params(6), results(2)),
        /** v128 → i32 */
        TEST(params(2), List.of(ValType.I32)),
        /** v128 i32 → v128 (shift count) */
        SHIFT(with(params(2), ValType.I32), results(2)),
        /** i32 → v128 */
        SPLAT_I32(List.of(ValType.I32), results(2)),
        /** i64 → v128 */
        SPLAT_I64(List.of(ValType.I64), results(2)),
        /** f32 → v128 */
        SPLAT_F32(List.of(ValType.F32), results(2)),
        /** v128 i32(lane) → i32 */
        EXTRACT_I32(with(params(2), ValType.I32), List.of(ValType.I32)),
        /** v128 i32(lane) → i64 */
        EXTRACT_I64(with(params(2), ValType.I32), List.of(ValType.I64)),
        /** v128 i32(lane) → f32 */
        EXTRACT_F32(with(params(2), ValType.I32), List.of(ValType.F32)),
        /** v128 i32(value) i32(lane) → v128 */
        REPLACE_I32(with(with(params(2), ValType.I32), ValType.I32), results(2)),
        /** v128 i64(value) i32(lane) → v128 */
        REPLACE_I64(with(with(params(2), ValType.I64), ValType.I32), results(2)),
        /** v128 f32(value) i32(lane) → v128 */
        REPLACE_F32(with(with(params(2), ValType.F32), ValType.I32), results(2)),
        /** v128 v128 i64 i64 (the 16 lane indices) → v128 */
        SHUFFLE(params(6), results(2)),
        /** → v128: no function has it; the type of a block, loop or if whose result is a v128 (binaryen makes them) */
        BLOCK(params(0), results(2));

        final FunctionType type;

        Shape(List<ValType> params, List<ValType> results) {
            this.type = FunctionType.of(params, results);
        }
    }

    /** An operation's Java body: {@code args} as the Wasm function receives them. */
    @FunctionalInterface
    interface Body {
        long[] apply(long[] args);
    }

    record Op(OpCode opcode, Shape shape, Body body) {
        String name() {
            return opcode.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final Map<OpCode, Op> OPS = Collections.unmodifiableMap(build());

    private SimdOps() {
    }

    /** The host functions for the lowered module's {@link #MODULE} imports, in {@link #OPS} order. */
    static List<com.dylibso.chicory.runtime.ImportFunction> hostFunctions() {
        List<com.dylibso.chicory.runtime.ImportFunction> functions = new ArrayList<>();
        for (Op op : OPS.values()) {
            Body body = op.body();
            functions.add(new HostFunction(MODULE, op.name(), op.shape().type, (instance, args) -> body.apply(args)));
        }
        return functions;
    }

    private static List<ValType> params(int i64s) {
        List<ValType> list = new ArrayList<>();
        for (int i = 0; i < i64s; i++) {
            list.add(ValType.I64);
        }
        return list;
    }

    private static List<ValType> results(int i64s) {
        return params(i64s);
    }

    private static List<ValType> with(List<ValType> list, ValType type) {
        List<ValType> copy = new ArrayList<>(list);
        copy.add(type);
        return copy;
    }

    // ---- lanes ------------------------------------------------------------------------------------------------

    static int i8(long lo, long hi, int lane) {
        return (byte) ((lane < 8 ? lo >>> (8 * lane) : hi >>> (8 * (lane - 8))));
    }

    static int i16(long lo, long hi, int lane) {
        return (short) ((lane < 4 ? lo >>> (16 * lane) : hi >>> (16 * (lane - 4))));
    }

    static int i32(long lo, long hi, int lane) {
        return (int) ((lane < 2 ? lo >>> (32 * lane) : hi >>> (32 * (lane - 2))));
    }

    static float f32(long lo, long hi, int lane) {
        return Float.intBitsToFloat(i32(lo, hi, lane));
    }

    private static long[] ofI8(int[] lanes) {
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            lo |= (lanes[i] & 0xFFL) << (8 * i);
            hi |= (lanes[i + 8] & 0xFFL) << (8 * i);
        }
        return new long[] {lo, hi};
    }

    private static long[] ofI16(int[] lanes) {
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 4; i++) {
            lo |= (lanes[i] & 0xFFFFL) << (16 * i);
            hi |= (lanes[i + 4] & 0xFFFFL) << (16 * i);
        }
        return new long[] {lo, hi};
    }

    private static long[] ofI32(int a, int b, int c, int d) {
        return new long[] {(a & 0xFFFFFFFFL) | (long) b << 32, (c & 0xFFFFFFFFL) | (long) d << 32};
    }

    private static long[] ofF32(float a, float b, float c, float d) {
        return ofI32(Float.floatToRawIntBits(a), Float.floatToRawIntBits(b), Float.floatToRawIntBits(c),
                Float.floatToRawIntBits(d));
    }

    @FunctionalInterface
    private interface IntLaneOp {
        int apply(int a, int b);
    }

    @FunctionalInterface
    private interface FloatLaneOp {
        float apply(float a, float b);
    }

    private static Body i8x16(IntLaneOp op) {
        return args -> {
            int[] r = new int[16];
            for (int i = 0; i < 16; i++) {
                r[i] = op.apply(i8(args[0], args[1], i), i8(args[2], args[3], i));
            }
            return ofI8(r);
        };
    }

    private static Body i16x8(IntLaneOp op) {
        return args -> {
            int[] r = new int[8];
            for (int i = 0; i < 8; i++) {
                r[i] = op.apply(i16(args[0], args[1], i), i16(args[2], args[3], i));
            }
            return ofI16(r);
        };
    }

    private static Body i32x4(IntLaneOp op) {
        return args -> ofI32(op.apply(i32(args[0], args[1], 0), i32(args[2], args[3], 0)),
                op.apply(i32(args[0], args[1], 1), i32(args[2], args[3], 1)),
                op.apply(i32(args[0], args[1], 2), i32(args[2], args[3], 2)),
                op.apply(i32(args[0], args[1], 3), i32(args[2], args[3], 3)));
    }

    private static Body f32x4(FloatLaneOp op) {
        return args -> ofF32(op.apply(f32(args[0], args[1], 0), f32(args[2], args[3], 0)),
                op.apply(f32(args[0], args[1], 1), f32(args[2], args[3], 1)),
                op.apply(f32(args[0], args[1], 2), f32(args[2], args[3], 2)),
                op.apply(f32(args[0], args[1], 3), f32(args[2], args[3], 3)));
    }

    @FunctionalInterface
    private interface DoubleLaneOp {
        double apply(double a, double b);
    }

    @FunctionalInterface
    private interface DoubleLaneTest {
        boolean test(double a, double b);
    }

    private static Body f64x2(DoubleLaneOp op) {
        return a -> new long[] {
                Double.doubleToRawLongBits(op.apply(Double.longBitsToDouble(a[0]), Double.longBitsToDouble(a[2]))),
                Double.doubleToRawLongBits(op.apply(Double.longBitsToDouble(a[1]), Double.longBitsToDouble(a[3])))};
    }

    private static Body f64x2Compare(DoubleLaneTest test) {
        return a -> new long[] {
                test.test(Double.longBitsToDouble(a[0]), Double.longBitsToDouble(a[2])) ? -1L : 0L,
                test.test(Double.longBitsToDouble(a[1]), Double.longBitsToDouble(a[3])) ? -1L : 0L};
    }

    /** i16x8.extend_{low,high}_i8x16_{s,u}. */
    private static Body extendI8(boolean high, boolean signed) {
        return args -> {
            int[] r = new int[8];
            for (int i = 0; i < 8; i++) {
                int v = i8(args[0], args[1], high ? i + 8 : i);
                r[i] = signed ? v : v & 0xFF;
            }
            return ofI16(r);
        };
    }

    /** i32x4.extend_{low,high}_i16x8_{s,u}. */
    private static Body extendI16(boolean high, boolean signed) {
        return args -> {
            int base = high ? 4 : 0;
            int[] r = new int[4];
            for (int i = 0; i < 4; i++) {
                int v = i16(args[0], args[1], base + i);
                r[i] = signed ? v : v & 0xFFFF;
            }
            return ofI32(r[0], r[1], r[2], r[3]);
        };
    }

    private static Map<OpCode, Op> build() {
        Map<OpCode, Op> ops = new EnumMap<>(OpCode.class);
        // bitwise
        put(ops, OpCode.V128_NOT, Shape.UNARY, a -> new long[] {~a[0], ~a[1]});
        put(ops, OpCode.V128_AND, Shape.BINARY, a -> new long[] {a[0] & a[2], a[1] & a[3]});
        put(ops, OpCode.V128_ANDNOT, Shape.BINARY, a -> new long[] {a[0] & ~a[2], a[1] & ~a[3]});
        put(ops, OpCode.V128_OR, Shape.BINARY, a -> new long[] {a[0] | a[2], a[1] | a[3]});
        put(ops, OpCode.V128_XOR, Shape.BINARY, a -> new long[] {a[0] ^ a[2], a[1] ^ a[3]});
        // bitselect(v1, v2, c) = (v1 & c) | (v2 & ~c)
        put(ops, OpCode.V128_BITSELECT, Shape.TERNARY,
                a -> new long[] {(a[0] & a[4]) | (a[2] & ~a[4]), (a[1] & a[5]) | (a[3] & ~a[5])});
        put(ops, OpCode.V128_ANY_TRUE, Shape.TEST, a -> new long[] {(a[0] | a[1]) != 0 ? 1 : 0});
        // splats
        put(ops, OpCode.I8x16_SPLAT, Shape.SPLAT_I32, a -> {
            long b = a[0] & 0xFF;
            long v = b * 0x0101010101010101L;
            return new long[] {v, v};
        });
        put(ops, OpCode.I16x8_SPLAT, Shape.SPLAT_I32, a -> {
            long v = (a[0] & 0xFFFF) * 0x0001000100010001L;
            return new long[] {v, v};
        });
        put(ops, OpCode.I32x4_SPLAT, Shape.SPLAT_I32, a -> {
            long v = (a[0] & 0xFFFFFFFFL) * 0x0000000100000001L;
            return new long[] {v, v};
        });
        put(ops, OpCode.I64x2_SPLAT, Shape.SPLAT_I64, a -> new long[] {a[0], a[0]});
        put(ops, OpCode.F32x4_SPLAT, Shape.SPLAT_F32, a -> {
            long v = (a[0] & 0xFFFFFFFFL) * 0x0000000100000001L;
            return new long[] {v, v};
        });
        // lanes
        put(ops, OpCode.I8x16_EXTRACT_LANE_S, Shape.EXTRACT_I32, a -> new long[] {i8(a[0], a[1], (int) a[2])});
        put(ops, OpCode.I8x16_EXTRACT_LANE_U, Shape.EXTRACT_I32,
                a -> new long[] {i8(a[0], a[1], (int) a[2]) & 0xFF});
        put(ops, OpCode.I16x8_EXTRACT_LANE_S, Shape.EXTRACT_I32, a -> new long[] {i16(a[0], a[1], (int) a[2])});
        put(ops, OpCode.I16x8_EXTRACT_LANE_U, Shape.EXTRACT_I32,
                a -> new long[] {i16(a[0], a[1], (int) a[2]) & 0xFFFF});
        put(ops, OpCode.I32x4_EXTRACT_LANE, Shape.EXTRACT_I32, a -> new long[] {i32(a[0], a[1], (int) a[2])});
        put(ops, OpCode.I64x2_EXTRACT_LANE, Shape.EXTRACT_I64, a -> new long[] {a[2] == 0 ? a[0] : a[1]});
        put(ops, OpCode.F32x4_EXTRACT_LANE, Shape.EXTRACT_F32,
                a -> new long[] {i32(a[0], a[1], (int) a[2]) & 0xFFFFFFFFL});
        put(ops, OpCode.I32x4_REPLACE_LANE, Shape.REPLACE_I32, SimdOps::replaceI32);
        put(ops, OpCode.F32x4_REPLACE_LANE, Shape.REPLACE_F32, SimdOps::replaceI32);
        put(ops, OpCode.I64x2_REPLACE_LANE, Shape.REPLACE_I64,
                a -> a[3] == 0 ? new long[] {a[2], a[1]} : new long[] {a[0], a[2]});
        put(ops, OpCode.I8x16_SHUFFLE, Shape.SHUFFLE, a -> {
            int[] r = new int[16];
            for (int i = 0; i < 16; i++) {
                int lane = i8(a[4], a[5], i) & 0xFF;
                r[i] = lane < 16 ? i8(a[0], a[1], lane) : i8(a[2], a[3], lane - 16);
            }
            return ofI8(r);
        });
        put(ops, OpCode.I8x16_SWIZZLE, Shape.BINARY, a -> {
            int[] r = new int[16];
            for (int i = 0; i < 16; i++) {
                int lane = i8(a[2], a[3], i) & 0xFF;
                r[i] = lane < 16 ? i8(a[0], a[1], lane) : 0;
            }
            return ofI8(r);
        });
        // i8x16 arithmetic
        put(ops, OpCode.I8x16_ADD, Shape.BINARY, i8x16((x, y) -> x + y));
        put(ops, OpCode.I8x16_SUB, Shape.BINARY, i8x16((x, y) -> x - y));
        put(ops, OpCode.I8x16_EQ, Shape.BINARY, i8x16((x, y) -> x == y ? -1 : 0));
        put(ops, OpCode.I8x16_SHL, Shape.SHIFT, shiftI8((v, s) -> v << s));
        put(ops, OpCode.I8x16_SHR_S, Shape.SHIFT, shiftI8((v, s) -> v >> s));
        put(ops, OpCode.I8x16_SHR_U, Shape.SHIFT, shiftI8((v, s) -> (v & 0xFF) >>> s));
        // i16x8 arithmetic
        put(ops, OpCode.I16x8_ADD, Shape.BINARY, i16x8((x, y) -> x + y));
        put(ops, OpCode.I16x8_SUB, Shape.BINARY, i16x8((x, y) -> x - y));
        put(ops, OpCode.I16x8_MUL, Shape.BINARY, i16x8((x, y) -> x * y));
        put(ops, OpCode.I16x8_EXTEND_LOW_I8x16_S, Shape.UNARY, extendI8(false, true));
        put(ops, OpCode.I16x8_EXTEND_HIGH_I8x16_S, Shape.UNARY, extendI8(true, true));
        put(ops, OpCode.I16x8_EXTEND_LOW_I8x16_U, Shape.UNARY, extendI8(false, false));
        put(ops, OpCode.I16x8_EXTEND_HIGH_I8x16_U, Shape.UNARY, extendI8(true, false));
        put(ops, OpCode.I16x8_EXTMUL_LOW_I8x16_S, Shape.BINARY, extmulI8(false));
        put(ops, OpCode.I16x8_EXTMUL_HIGH_I8x16_S, Shape.BINARY, extmulI8(true));
        put(ops, OpCode.I16x8_EXTADD_PAIRWISE_I8x16_S, Shape.UNARY, a -> {
            int[] r = new int[8];
            for (int i = 0; i < 8; i++) {
                r[i] = i8(a[0], a[1], 2 * i) + i8(a[0], a[1], 2 * i + 1);
            }
            return ofI16(r);
        });
        // i32x4 arithmetic
        put(ops, OpCode.I32x4_ADD, Shape.BINARY, i32x4(Integer::sum));
        put(ops, OpCode.I32x4_SUB, Shape.BINARY, i32x4((x, y) -> x - y));
        put(ops, OpCode.I32x4_MUL, Shape.BINARY, i32x4((x, y) -> x * y));
        put(ops, OpCode.I32x4_EQ, Shape.BINARY, i32x4((x, y) -> x == y ? -1 : 0));
        put(ops, OpCode.I32x4_GT_S, Shape.BINARY, i32x4((x, y) -> x > y ? -1 : 0));
        put(ops, OpCode.I32x4_GT_U, Shape.BINARY, i32x4((x, y) -> Integer.compareUnsigned(x, y) > 0 ? -1 : 0));
        put(ops, OpCode.I32x4_GE_U, Shape.BINARY, i32x4((x, y) -> Integer.compareUnsigned(x, y) >= 0 ? -1 : 0));
        put(ops, OpCode.I32x4_MAX_U, Shape.BINARY, i32x4((x, y) -> Integer.compareUnsigned(x, y) >= 0 ? x : y));
        put(ops, OpCode.I32x4_MIN_S, Shape.BINARY, i32x4(Math::min));
        put(ops, OpCode.I32x4_LT_U, Shape.BINARY, i32x4((x, y) -> Integer.compareUnsigned(x, y) < 0 ? -1 : 0));
        put(ops, OpCode.I32x4_SHL, Shape.SHIFT, shiftI32((v, s) -> v << s));
        put(ops, OpCode.I32x4_SHR_S, Shape.SHIFT, shiftI32((v, s) -> v >> s));
        put(ops, OpCode.I32x4_SHR_U, Shape.SHIFT, shiftI32((v, s) -> v >>> s));
        put(ops, OpCode.I32x4_EXTEND_LOW_I16x8_S, Shape.UNARY, extendI16(false, true));
        put(ops, OpCode.I32x4_EXTEND_HIGH_I16x8_S, Shape.UNARY, extendI16(true, true));
        put(ops, OpCode.I32x4_EXTEND_LOW_I16x8_U, Shape.UNARY, extendI16(false, false));
        put(ops, OpCode.I32x4_EXTEND_HIGH_I16x8_U, Shape.UNARY, extendI16(true, false));
        put(ops, OpCode.I32x4_DOT_I16x8_S, Shape.BINARY, a -> {
            int[] r = new int[4];
            for (int i = 0; i < 4; i++) {
                r[i] = i16(a[0], a[1], 2 * i) * i16(a[2], a[3], 2 * i)
                        + i16(a[0], a[1], 2 * i + 1) * i16(a[2], a[3], 2 * i + 1);
            }
            return ofI32(r[0], r[1], r[2], r[3]);
        });
        put(ops, OpCode.I32x4_EXTADD_PAIRWISE_I16x8_S, Shape.UNARY, a -> ofI32(
                i16(a[0], a[1], 0) + i16(a[0], a[1], 1), i16(a[0], a[1], 2) + i16(a[0], a[1], 3),
                i16(a[0], a[1], 4) + i16(a[0], a[1], 5), i16(a[0], a[1], 6) + i16(a[0], a[1], 7)));
        // i64x2
        put(ops, OpCode.I64x2_ADD, Shape.BINARY, a -> new long[] {a[0] + a[2], a[1] + a[3]});
        // f32x4 (Java float arithmetic is IEEE 754 binary32 with round-to-nearest, as Wasm's)
        put(ops, OpCode.F32x4_ADD, Shape.BINARY, f32x4((x, y) -> x + y));
        put(ops, OpCode.F32x4_SUB, Shape.BINARY, f32x4((x, y) -> x - y));
        put(ops, OpCode.F32x4_MUL, Shape.BINARY, f32x4((x, y) -> x * y));
        put(ops, OpCode.F32x4_DIV, Shape.BINARY, f32x4((x, y) -> x / y));
        put(ops, OpCode.F32x4_ABS, Shape.UNARY, a -> new long[] {a[0] & 0x7FFF_FFFF_7FFF_FFFFL, a[1] & 0x7FFF_FFFF_7FFF_FFFFL});
        put(ops, OpCode.F32x4_GE, Shape.BINARY, a -> ofI32(
                f32(a[0], a[1], 0) >= f32(a[2], a[3], 0) ? -1 : 0, f32(a[0], a[1], 1) >= f32(a[2], a[3], 1) ? -1 : 0,
                f32(a[0], a[1], 2) >= f32(a[2], a[3], 2) ? -1 : 0, f32(a[0], a[1], 3) >= f32(a[2], a[3], 3) ? -1 : 0));
        // the canister's argmax and top-k over the logits: f32x4.max (NaN if either lane is NaN, as Wasm's; a
        // canonical NaN, as the IC's; -0 < +0), f32x4.eq and f32x4.gt (IEEE comparisons: -0 = +0, a NaN compares
        // false)
        // pseudo-maximum: b where a < b, else a itself (a NaN b leaves a; bits kept as they are)
        put(ops, OpCode.F32x4_PMAX, Shape.BINARY, a -> {
            long[] r = new long[2];
            for (int lane = 0; lane < 4; lane++) {
                float x = f32(a[0], a[1], lane);
                float y = f32(a[2], a[3], lane);
                int word = lane / 2;
                int shift = 32 * (lane % 2);
                long bits = (x < y ? a[2 + word] : a[word]) >>> shift & 0xFFFF_FFFFL;
                r[word] |= bits << shift;
            }
            return r;
        });
        put(ops, OpCode.F32x4_MAX, Shape.BINARY,
                f32x4((x, y) -> Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.max(x, y)));
        put(ops, OpCode.F32x4_EQ, Shape.BINARY, a -> ofI32(
                f32(a[0], a[1], 0) == f32(a[2], a[3], 0) ? -1 : 0, f32(a[0], a[1], 1) == f32(a[2], a[3], 1) ? -1 : 0,
                f32(a[0], a[1], 2) == f32(a[2], a[3], 2) ? -1 : 0, f32(a[0], a[1], 3) == f32(a[2], a[3], 3) ? -1 : 0));
        put(ops, OpCode.F32x4_GT, Shape.BINARY, a -> ofI32(
                f32(a[0], a[1], 0) > f32(a[2], a[3], 0) ? -1 : 0, f32(a[0], a[1], 1) > f32(a[2], a[3], 1) ? -1 : 0,
                f32(a[0], a[1], 2) > f32(a[2], a[3], 2) ? -1 : 0, f32(a[0], a[1], 3) > f32(a[2], a[3], 3) ? -1 : 0));
        put(ops, OpCode.F32x4_CONVERT_I32x4_S, Shape.UNARY,
                a -> ofF32(i32(a[0], a[1], 0), i32(a[0], a[1], 1), i32(a[0], a[1], 2), i32(a[0], a[1], 3)));
        // f64x2 (the F32 matrix kernels: products widened and summed in double, as core's F32Format.dot; Java's
        // double arithmetic and float <-> double conversions are IEEE 754 with round-to-nearest, as Wasm's)
        put(ops, OpCode.F64x2_ADD, Shape.BINARY, a -> new long[] {
                Double.doubleToRawLongBits(Double.longBitsToDouble(a[0]) + Double.longBitsToDouble(a[2])),
                Double.doubleToRawLongBits(Double.longBitsToDouble(a[1]) + Double.longBitsToDouble(a[3]))});
        put(ops, OpCode.F64x2_MUL, Shape.BINARY, a -> new long[] {
                Double.doubleToRawLongBits(Double.longBitsToDouble(a[0]) * Double.longBitsToDouble(a[2])),
                Double.doubleToRawLongBits(Double.longBitsToDouble(a[1]) * Double.longBitsToDouble(a[3]))});
        put(ops, OpCode.F64x2_PROMOTE_LOW_F32x4, Shape.UNARY, a -> new long[] {
                Double.doubleToRawLongBits(f32(a[0], a[1], 0)), Double.doubleToRawLongBits(f32(a[0], a[1], 1))});
        put(ops, OpCode.F32x4_DEMOTE_LOW_F64x2_ZERO, Shape.UNARY,
                a -> ofF32((float) Double.longBitsToDouble(a[0]), (float) Double.longBitsToDouble(a[1]), 0f, 0f));
        // the canister's activations (activations.wat: Q8_0 quantization, SwiGLU's exp in f64x2; f32x4.abs and
        // f64x2.mul are above)
        put(ops, OpCode.F32x4_NEG, Shape.UNARY,
                a -> new long[] {a[0] ^ 0x8000000080000000L, a[1] ^ 0x8000000080000000L});
        put(ops, OpCode.F32x4_LT, Shape.BINARY, a -> ofI32(
                f32(a[0], a[1], 0) < f32(a[2], a[3], 0) ? -1 : 0, f32(a[0], a[1], 1) < f32(a[2], a[3], 1) ? -1 : 0,
                f32(a[0], a[1], 2) < f32(a[2], a[3], 2) ? -1 : 0, f32(a[0], a[1], 3) < f32(a[2], a[3], 3) ? -1 : 0));
        // round to the nearest integer, ties to even (every float is a double, and rint's result is a float again)
        put(ops, OpCode.F32x4_NEAREST, Shape.UNARY, a -> ofF32((float) Math.rint(f32(a[0], a[1], 0)),
                (float) Math.rint(f32(a[0], a[1], 1)), (float) Math.rint(f32(a[0], a[1], 2)),
                (float) Math.rint(f32(a[0], a[1], 3))));
        // Java's (int) cast of a float or double is Wasm's saturating truncation: NaN 0, out of range the bound
        put(ops, OpCode.I32x4_TRUNC_SAT_F32X4_S, Shape.UNARY, a -> ofI32((int) f32(a[0], a[1], 0),
                (int) f32(a[0], a[1], 1), (int) f32(a[0], a[1], 2), (int) f32(a[0], a[1], 3)));
        put(ops, OpCode.I32x4_TRUNC_SAT_F64x2_S_ZERO, Shape.UNARY,
                a -> ofI32((int) Double.longBitsToDouble(a[0]), (int) Double.longBitsToDouble(a[1]), 0, 0));
        put(ops, OpCode.I16x8_NARROW_I32x4_S, Shape.BINARY, a -> {
            int[] r = new int[8];
            for (int i = 0; i < 4; i++) {
                r[i] = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, i32(a[0], a[1], i)));
                r[i + 4] = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, i32(a[2], a[3], i)));
            }
            return ofI16(r);
        });
        put(ops, OpCode.I8x16_NARROW_I16x8_S, Shape.BINARY, a -> {
            int[] r = new int[16];
            for (int i = 0; i < 8; i++) {
                r[i] = Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, i16(a[0], a[1], i)));
                r[i + 8] = Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, i16(a[2], a[3], i)));
            }
            return ofI8(r);
        });
        put(ops, OpCode.I64x2_EXTEND_LOW_I32x4_S, Shape.UNARY, a -> new long[] {i32(a[0], a[1], 0), i32(a[0], a[1], 1)});
        put(ops, OpCode.I64x2_SHL, Shape.SHIFT, a -> new long[] {a[0] << (a[2] & 63), a[1] << (a[2] & 63)});
        put(ops, OpCode.F64x2_ABS, Shape.UNARY,
                a -> new long[] {a[0] & Long.MAX_VALUE, a[1] & Long.MAX_VALUE});
        put(ops, OpCode.F64x2_SUB, Shape.BINARY, f64x2((x, y) -> x - y));
        put(ops, OpCode.F64x2_DIV, Shape.BINARY, f64x2((x, y) -> x / y));
        put(ops, OpCode.F64x2_LT, Shape.BINARY, f64x2Compare((x, y) -> x < y));
        put(ops, OpCode.F64x2_GT, Shape.BINARY, f64x2Compare((x, y) -> x > y));
        put(ops, OpCode.F64x2_GE, Shape.BINARY, f64x2Compare((x, y) -> x >= y));
        put(ops, OpCode.F64x2_CONVERT_LOW_I32x4_S, Shape.UNARY, a -> new long[] {
                Double.doubleToRawLongBits(i32(a[0], a[1], 0)), Double.doubleToRawLongBits(i32(a[0], a[1], 1))});
        return ops;
    }

    private static void put(Map<OpCode, Op> ops, OpCode opcode, Shape shape, Body body) {
        ops.put(opcode, new Op(opcode, shape, body));
    }

    private static long[] replaceI32(long[] a) {
        int lane = (int) a[3];
        long value = a[2] & 0xFFFFFFFFL;
        if (lane < 2) {
            long mask = 0xFFFFFFFFL << (32 * lane);
            return new long[] {(a[0] & ~mask) | value << (32 * lane), a[1]};
        }
        long mask = 0xFFFFFFFFL << (32 * (lane - 2));
        return new long[] {a[0], (a[1] & ~mask) | value << (32 * (lane - 2))};
    }

    private static Body extmulI8(boolean high) {
        return a -> {
            int[] r = new int[8];
            int base = high ? 8 : 0;
            for (int i = 0; i < 8; i++) {
                r[i] = i8(a[0], a[1], base + i) * i8(a[2], a[3], base + i);
            }
            return ofI16(r);
        };
    }

    private static Body shiftI8(IntLaneOp op) {
        return a -> {
            int s = (int) a[2] & 7;
            int[] r = new int[16];
            for (int i = 0; i < 16; i++) {
                r[i] = op.apply(i8(a[0], a[1], i), s);
            }
            return ofI8(r);
        };
    }

    private static Body shiftI32(IntLaneOp op) {
        return a -> {
            int s = (int) a[2] & 31;
            return ofI32(op.apply(i32(a[0], a[1], 0), s), op.apply(i32(a[0], a[1], 1), s),
                    op.apply(i32(a[0], a[1], 2), s), op.apply(i32(a[0], a[1], 3), s));
        };
    }
}

package dev.tealama.ichost;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a module that uses 128-bit SIMD into one Chicory 1.7.5 can compile: every {@code v128} value becomes two
 * i64 values (low and high 8 bytes), {@code v128} locals become pairs of i64 locals, loads, stores and constants
 * become i64 loads, stores and constants, and every other SIMD instruction a call to a host function of
 * {@link SimdOps} (imported under {@link SimdOps#MODULE}, after the module's own imports, so the module's own
 * functions move up by the number of these imports: calls, {@code ref.func}, exports, the start function and
 * element segments are renumbered; the {@code name} section is dropped).
 *
 * <p>The rewriting happens inside {@link MeteringInstrumenter}, instruction by instruction, so the metering still
 * charges each original instruction as 1, whatever it became: a SIMD instruction costs 1, as on the IC.
 *
 * <p>Limits (a module outside them is refused when prepared, or fails Chicory's validation if the limit cannot be
 * seen without typing the stack): no {@code v128} parameters, results or globals, and a {@code v128} is never
 * dropped (binaryen and hand-written kernels produce none of these; a block, loop or if whose result is a
 * {@code v128}, which binaryen makes of a local set on one branch, becomes one with two i64 results); the SIMD
 * instructions are those of
 * {@link SimdOps#OPS} plus {@code v128.load}, {@code v128.store}, {@code v128.const}.
 */
final class SimdLowering {
    private static final int TYPE_I32 = 0x7F;
    private static final int TYPE_I64 = 0x7E;
    private static final int TYPE_V128 = 0x7B;

    private static final int OP_CALL = 0x10;
    private static final int OP_SELECT_TYPED = 0x1C;
    private static final int OP_LOCAL_GET = 0x20;
    private static final int OP_LOCAL_SET = 0x21;
    private static final int OP_LOCAL_TEE = 0x22;
    private static final int OP_I64_LOAD = 0x29;
    private static final int OP_I64_STORE = 0x37;
    private static final int OP_I32_CONST = 0x41;
    private static final int OP_I64_CONST = 0x42;
    private static final int OP_REF_FUNC = 0xD2;

    private final WasmModule module;
    private final int importedFunctions;
    private final int typeCount;
    private final List<SimdOps.Op> ops = new ArrayList<>(SimdOps.OPS.values());

    private SimdLowering(WasmModule module) {
        this.module = module;
        this.importedFunctions = module.importSection().count(ExternalType.FUNCTION);
        this.typeCount = module.typeSection().typeCount();
    }

    /** A lowering for {@code module}, or null if it uses no SIMD (then nothing changes). */
    static SimdLowering of(WasmModule module) {
        for (FunctionBody body : module.codeSection().functionBodies()) {
            if (body.localTypes().contains(ValType.V128)) {
                return new SimdLowering(module);
            }
            for (Instruction instruction : body.instructions()) {
                if (isSimd(instruction.opcode())) {
                    return new SimdLowering(module);
                }
            }
        }
        return null;
    }

    static boolean isSimd(OpCode opcode) {
        return opcode.opcode() >= 0xFD00 && opcode.opcode() < 0xFE00;
    }

    /** The new index of function {@code index}. */
    long function(long index) {
        return index < importedFunctions ? index : index + ops.size();
    }

    // ---- sections -----------------------------------------------------------------------------------------------

    /** The type section with one type per {@link SimdOps.Shape} appended (type {@code typeCount + ordinal}). */
    byte[] typeSection(byte[] wasm, WasmBinary.Section section) {
        int[] position = {section.contentStart()};
        long count = WasmBinary.readU32(wasm, position);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WasmBinary.writeU32(out, count + SimdOps.Shape.values().length);
        out.write(wasm, position[0], section.contentEnd() - position[0]);
        for (SimdOps.Shape shape : SimdOps.Shape.values()) {
            out.write(0x60);
            WasmBinary.writeU32(out, shape.type.params().size());
            for (ValType type : shape.type.params()) {
                out.write(valType(type));
            }
            WasmBinary.writeU32(out, shape.type.returns().size());
            for (ValType type : shape.type.returns()) {
                out.write(valType(type));
            }
        }
        return out.toByteArray();
    }

    private static int valType(ValType type) {
        if (type.equals(ValType.I32)) {
            return TYPE_I32;
        }
        if (type.equals(ValType.I64)) {
            return TYPE_I64;
        }
        if (type.equals(ValType.F32)) {
            return 0x7D;
        }
        throw new IllegalStateException("No encoding for " + type);
    }

    /** The import section with the SIMD functions appended ({@code section} null: the module has none). */
    byte[] importSection(byte[] wasm, WasmBinary.Section section) {
        int[] position = {section == null ? 0 : section.contentStart()};
        long count = section == null ? 0 : WasmBinary.readU32(wasm, position);
        // appended after every other import, the new functions come right after the module's imported functions
        // (imports of other kinds take no function index)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WasmBinary.writeU32(out, count + ops.size());
        if (section != null) {
            out.write(wasm, position[0], section.contentEnd() - position[0]);
        }
        for (SimdOps.Op op : ops) {
            writeName(out, SimdOps.MODULE);
            writeName(out, op.name());
            out.write(0x00);
            WasmBinary.writeU32(out, typeCount + op.shape().ordinal());
        }
        return out.toByteArray();
    }

    private static void writeName(ByteArrayOutputStream out, String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        WasmBinary.writeU32(out, bytes.length);
        out.writeBytes(bytes);
    }

    /** The export section, function exports renumbered. */
    byte[] exportSection(byte[] wasm, WasmBinary.Section section) {
        int[] position = {section.contentStart()};
        long count = WasmBinary.readU32(wasm, position);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WasmBinary.writeU32(out, count);
        for (long i = 0; i < count; i++) {
            int nameLength = (int) WasmBinary.readU32(wasm, position);
            WasmBinary.writeU32(out, nameLength);
            out.write(wasm, position[0], nameLength);
            position[0] += nameLength;
            int kind = wasm[position[0]++] & 0xFF;
            long index = WasmBinary.readU32(wasm, position);
            out.write(kind);
            WasmBinary.writeU32(out, kind == 0 ? function(index) : index);
        }
        return out.toByteArray();
    }

    /** The start section, renumbered. */
    byte[] startSection(byte[] wasm, WasmBinary.Section section) {
        int[] position = {section.contentStart()};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WasmBinary.writeU32(out, function(WasmBinary.readU32(wasm, position)));
        return out.toByteArray();
    }

    /** The element section, function indices (plain or in {@code ref.func} expressions) renumbered. */
    byte[] elementSection(byte[] wasm, WasmBinary.Section section) {
        int[] position = {section.contentStart()};
        long count = WasmBinary.readU32(wasm, position);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WasmBinary.writeU32(out, count);
        for (long i = 0; i < count; i++) {
            int flags = (int) WasmBinary.readU32(wasm, position);
            WasmBinary.writeU32(out, flags);
            boolean passiveOrDeclarative = (flags & 1) != 0;
            boolean explicitTable = (flags & 2) != 0;
            boolean expressions = (flags & 4) != 0;
            if (!passiveOrDeclarative && explicitTable) {
                WasmBinary.writeU32(out, WasmBinary.readU32(wasm, position)); // table index
            }
            if (!passiveOrDeclarative) {
                constantExpression(wasm, position, out); // offset
            }
            if (passiveOrDeclarative || explicitTable) {
                out.write(wasm[position[0]++]); // element kind or reference type
            }
            long elements = WasmBinary.readU32(wasm, position);
            WasmBinary.writeU32(out, elements);
            for (long e = 0; e < elements; e++) {
                if (expressions) {
                    constantExpression(wasm, position, out);
                } else {
                    WasmBinary.writeU32(out, function(WasmBinary.readU32(wasm, position)));
                }
            }
        }
        if (position[0] != section.contentEnd()) {
            throw new IllegalStateException("Element section not read to its end");
        }
        return out.toByteArray();
    }

    /** The global section's entries (without their count), {@code ref.func} in initializers renumbered. */
    byte[] globalEntries(byte[] wasm, WasmBinary.Section section) {
        int[] position = {section.contentStart()};
        long count = WasmBinary.readU32(wasm, position);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = 0; i < count; i++) {
            int type = wasm[position[0]++] & 0xFF;
            if (type == TYPE_V128) {
                throw new InvalidModuleException("SIMD lowering: a v128 global");
            }
            if (type == 0x63 || type == 0x64) {
                throw new InvalidModuleException("SIMD lowering: a global of a typed reference");
            }
            out.write(type);
            out.write(wasm[position[0]++]); // mutability
            constantExpression(wasm, position, out);
        }
        return out.toByteArray();
    }

    /** Copies a constant expression up to and including its {@code end}, renumbering {@code ref.func}. */
    private void constantExpression(byte[] wasm, int[] position, ByteArrayOutputStream out) {
        while (true) {
            int opcode = wasm[position[0]++] & 0xFF;
            out.write(opcode);
            switch (opcode) {
                case 0x0B:
                    return;
                case OP_I32_CONST:
                case OP_I64_CONST: {
                    int start = position[0];
                    while ((wasm[position[0]++] & 0x80) != 0) {
                        // LEB128 continuation
                    }
                    out.write(wasm, start, position[0] - start);
                    break;
                }
                case 0x43: // f32.const
                    out.write(wasm, position[0], 4);
                    position[0] += 4;
                    break;
                case 0x44: // f64.const
                    out.write(wasm, position[0], 8);
                    position[0] += 8;
                    break;
                case 0x23: // global.get
                    WasmBinary.writeU32(out, WasmBinary.readU32(wasm, position));
                    break;
                case 0xD0: // ref.null t
                    out.write(wasm[position[0]++]);
                    break;
                case OP_REF_FUNC:
                    WasmBinary.writeU32(out, function(WasmBinary.readU32(wasm, position)));
                    break;
                case 0x6A: // i32.add, sub, mul; i64.add, sub, mul (extended constant expressions)
                case 0x6B:
                case 0x6C:
                case 0x7C:
                case 0x7D:
                case 0x7E:
                    break;
                default:
                    throw new InvalidModuleException(
                            "SIMD lowering: unexpected instruction 0x" + Integer.toHexString(opcode)
                                    + " in a constant expression");
            }
        }
    }

    // ---- function bodies ----------------------------------------------------------------------------------------

    /** How one function's code is rewritten: its locals, then each instruction. */
    final class Body {
        /** local index → index of the local holding its high 8 bytes, or -1 if it is not a v128. */
        private final int[] high;
        private final byte[] locals;
        private final int tempAddress;
        private final int tempCondition;
        private final int tempLow;
        private final int tempHigh;
        private final int tempLow2;
        private final int tempHigh2;

        Body(byte[] wasm, int localsStart, int localsEnd, int definedIndex) {
            int params = module.functionSection().getFunctionType(definedIndex, module.typeSection()).params().size();
            for (ValType type : module.functionSection().getFunctionType(definedIndex, module.typeSection())
                    .params()) {
                if (type.equals(ValType.V128)) {
                    throw new InvalidModuleException("SIMD lowering: function " + (importedFunctions + definedIndex)
                            + " takes a v128 parameter");
                }
            }
            for (ValType type : module.functionSection().getFunctionType(definedIndex, module.typeSection())
                    .returns()) {
                if (type.equals(ValType.V128)) {
                    throw new InvalidModuleException("SIMD lowering: function " + (importedFunctions + definedIndex)
                            + " returns a v128");
                }
            }
            int[] position = {localsStart};
            long groups = WasmBinary.readU32(wasm, position);
            List<long[]> declared = new ArrayList<>(); // {count, type}
            long total = params;
            int vectors = 0;
            for (long g = 0; g < groups; g++) {
                long count = WasmBinary.readU32(wasm, position);
                int type = wasm[position[0]++] & 0xFF;
                if (type == TYPE_V128) {
                    vectors += (int) count;
                }
                declared.add(new long[] {count, type});
                total += count;
            }
            if (position[0] != localsEnd) {
                throw new IllegalStateException("Locals not read to their end");
            }
            high = new int[(int) total];
            java.util.Arrays.fill(high, -1);
            int next = (int) total;
            int index = params;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            WasmBinary.writeU32(out, declared.size() + (vectors > 0 ? 1 : 0) + 2);
            for (long[] group : declared) {
                WasmBinary.writeU32(out, group[0]);
                out.write(group[1] == TYPE_V128 ? TYPE_I64 : (int) group[1]);
                for (long k = 0; k < group[0]; k++, index++) {
                    if (group[1] == TYPE_V128) {
                        high[index] = next++;
                    }
                }
            }
            if (vectors > 0) {
                WasmBinary.writeU32(out, vectors);
                out.write(TYPE_I64);
            }
            WasmBinary.writeU32(out, 2);
            out.write(TYPE_I32);
            WasmBinary.writeU32(out, 4);
            out.write(TYPE_I64);
            tempAddress = next;
            tempCondition = next + 1;
            tempLow = next + 2;
            tempHigh = next + 3;
            tempLow2 = next + 4;
            tempHigh2 = next + 5;
            locals = out.toByteArray();
        }

        byte[] locals() {
            return locals;
        }

        /** Writes the rewritten form of {@code instruction}, whose bytes are {@code wasm[start, end)}. */
        void emit(ByteArrayOutputStream out, byte[] wasm, Instruction instruction, int start, int end) {
            OpCode opcode = instruction.opcode();
            switch (opcode) {
                case CALL:
                    out.write(OP_CALL);
                    WasmBinary.writeU32(out, function(instruction.operand(0)));
                    return;
                case REF_FUNC:
                    out.write(OP_REF_FUNC);
                    WasmBinary.writeU32(out, function(instruction.operand(0)));
                    return;
                case LOCAL_GET:
                case LOCAL_SET:
                case LOCAL_TEE:
                    if (high[(int) instruction.operand(0)] >= 0) {
                        vectorLocal(out, opcode, (int) instruction.operand(0));
                        return;
                    }
                    break;
                case BLOCK:
                case LOOP:
                case IF:
                    if ((wasm[start + 1] & 0xFF) == TYPE_V128) {
                        // result v128 -> results i64 i64: a type index (multi-value), the type of Shape.BLOCK
                        out.write(wasm[start]);
                        WasmBinary.writeS64(out, typeCount + SimdOps.Shape.BLOCK.ordinal());
                        return;
                    }
                    break;
                case SELECT_T:
                    if ((wasm[end - 1] & 0xFF) == TYPE_V128) {
                        selectVector(out);
                        return;
                    }
                    break;
                default:
                    if (isSimd(opcode)) {
                        simd(out, instruction);
                        return;
                    }
            }
            out.write(wasm, start, end - start);
        }

        private void vectorLocal(ByteArrayOutputStream out, OpCode opcode, int local) {
            switch (opcode) {
                case LOCAL_GET:
                    op(out, OP_LOCAL_GET, local);
                    op(out, OP_LOCAL_GET, high[local]);
                    break;
                case LOCAL_SET:
                    op(out, OP_LOCAL_SET, high[local]);
                    op(out, OP_LOCAL_SET, local);
                    break;
                default:
                    op(out, OP_LOCAL_SET, high[local]);
                    op(out, OP_LOCAL_TEE, local);
                    op(out, OP_LOCAL_GET, high[local]);
            }
        }

        /** {@code select (result v128)}: [a.lo a.hi b.lo b.hi c] → a if c != 0 else b. */
        private void selectVector(ByteArrayOutputStream out) {
            op(out, OP_LOCAL_SET, tempCondition);
            op(out, OP_LOCAL_SET, tempHigh2);
            op(out, OP_LOCAL_SET, tempLow2);
            op(out, OP_LOCAL_SET, tempHigh);
            op(out, OP_LOCAL_SET, tempLow);
            for (int[] pair : new int[][] {{tempLow, tempLow2}, {tempHigh, tempHigh2}}) {
                op(out, OP_LOCAL_GET, pair[0]);
                op(out, OP_LOCAL_GET, pair[1]);
                op(out, OP_LOCAL_GET, tempCondition);
                out.write(0x1B); // select
            }
        }

        private void simd(ByteArrayOutputStream out, Instruction instruction) {
            OpCode opcode = instruction.opcode();
            switch (opcode) {
                case V128_LOAD: {
                    long offset = instruction.operand(1);
                    op(out, OP_LOCAL_TEE, tempAddress);
                    memory(out, OP_I64_LOAD, offset);
                    op(out, OP_LOCAL_GET, tempAddress);
                    memory(out, OP_I64_LOAD, offset + 8);
                    return;
                }
                case V128_STORE: {
                    long offset = instruction.operand(1);
                    op(out, OP_LOCAL_SET, tempHigh);
                    op(out, OP_LOCAL_SET, tempLow);
                    op(out, OP_LOCAL_TEE, tempAddress);
                    op(out, OP_LOCAL_GET, tempLow);
                    memory(out, OP_I64_STORE, offset);
                    op(out, OP_LOCAL_GET, tempAddress);
                    op(out, OP_LOCAL_GET, tempHigh);
                    memory(out, OP_I64_STORE, offset + 8);
                    return;
                }
                case V128_CONST:
                    i64Const(out, instruction.operand(0));
                    i64Const(out, instruction.operand(1));
                    return;
                case V128_LOAD8_SPLAT:
                    memory(out, 0x2D, instruction.operand(1)); // i32.load8_u
                    callOp(out, SimdOps.OPS.get(OpCode.I8x16_SPLAT));
                    return;
                case V128_LOAD16_SPLAT:
                    memory(out, 0x2F, instruction.operand(1)); // i32.load16_u
                    callOp(out, SimdOps.OPS.get(OpCode.I16x8_SPLAT));
                    return;
                case V128_LOAD32_SPLAT:
                    memory(out, 0x28, instruction.operand(1)); // i32.load
                    callOp(out, SimdOps.OPS.get(OpCode.I32x4_SPLAT));
                    return;
                case V128_LOAD64_SPLAT:
                    memory(out, OP_I64_LOAD, instruction.operand(1));
                    callOp(out, SimdOps.OPS.get(OpCode.I64x2_SPLAT));
                    return;
                case V128_LOAD32_ZERO:
                    memory(out, 0x35, instruction.operand(1)); // i64.load32_u
                    i64Const(out, 0);
                    return;
                case V128_LOAD64_ZERO:
                    memory(out, OP_I64_LOAD, instruction.operand(1));
                    i64Const(out, 0);
                    return;
                case V128_LOAD8x8_S:
                    memory(out, OP_I64_LOAD, instruction.operand(1));
                    i64Const(out, 0);
                    callOp(out, SimdOps.OPS.get(OpCode.I16x8_EXTEND_LOW_I8x16_S));
                    return;
                case V128_LOAD8x8_U:
                    memory(out, OP_I64_LOAD, instruction.operand(1));
                    i64Const(out, 0);
                    callOp(out, SimdOps.OPS.get(OpCode.I16x8_EXTEND_LOW_I8x16_U));
                    return;
                default:
            }
            SimdOps.Op op = SimdOps.OPS.get(opcode);
            if (op == null) {
                throw new InvalidModuleException("This host does not run the SIMD instruction " + opcode
                        + " (supported: v128.load, v128.store, v128.const and " + SimdOps.OPS.keySet() + ")");
            }
            switch (op.shape()) {
                case EXTRACT_I32:
                case EXTRACT_I64:
                case EXTRACT_F32:
                case REPLACE_I32:
                case REPLACE_I64:
                case REPLACE_F32:
                    out.write(OP_I32_CONST);
                    WasmBinary.writeS64(out, instruction.operand(0));
                    break;
                case SHUFFLE:
                    i64Const(out, instruction.operand(0));
                    i64Const(out, instruction.operand(1));
                    break;
                default:
            }
            callOp(out, op);
        }

        private void callOp(ByteArrayOutputStream out, SimdOps.Op op) {
            out.write(OP_CALL);
            WasmBinary.writeU32(out, importedFunctions + ops.indexOf(op));
        }

        private void op(ByteArrayOutputStream out, int opcode, int index) {
            out.write(opcode);
            WasmBinary.writeU32(out, index);
        }

        private void memory(ByteArrayOutputStream out, int opcode, long offset) {
            out.write(opcode);
            WasmBinary.writeU32(out, 0); // alignment hint: 1 byte (the v128 access may be unaligned)
            WasmBinary.writeU32(out, offset);
        }

        private void i64Const(ByteArrayOutputStream out, long value) {
            out.write(OP_I64_CONST);
            WasmBinary.writeS64(out, value);
        }
    }
}

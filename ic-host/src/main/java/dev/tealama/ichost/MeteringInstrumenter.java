package dev.tealama.ichost;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.Instruction;
import com.dylibso.chicory.wasm.types.OpCode;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Rewrites a module so that it counts its own instructions, which works in Chicory's compiled mode (the interpreter's
 * execution listener does not, and the interpreter is far too slow for models).
 *
 * <p>The rewritten module has one more global, an i64 holding the instructions the message may still execute. The
 * code of every function is cut into straight-line segments, which start at the function's entry, at the first
 * instruction of a loop body, of a then- and an else-branch, after a conditional or unconditional branch, and just
 * after every {@code end} but the function's (where branches land). At the start of each segment the rewritten code
 * subtracts the number of original instructions in the segment. At function entries and loop heads it also checks
 * the counter and executes {@code unreachable} once it is negative, so a runaway loop or recursion traps within one
 * segment of the limit; the host tells this trap from the canister's own by the negative counter.
 *
 * <p>What counts as one instruction is what Chicory's interpreter counts: every instruction of the function body,
 * {@code block}, {@code loop}, {@code end} and {@code else} included, each as 1 (the IC weighs some instructions
 * differently and charges System API calls extra; this host does not). A segment is charged in full when it starts,
 * so a trap in its middle or {@code ic0.performance_counter} called from it counts the instructions after the
 * call too. The instrumentation's own instructions are not counted.
 *
 * <p>A module that uses 128-bit SIMD is lowered at the same time ({@link SimdLowering}): each SIMD instruction
 * still counts 1, whatever it is rewritten to.
 */
final class MeteringInstrumenter {

    private static final int OP_UNREACHABLE = 0x00;
    private static final int OP_IF = 0x04;
    private static final int OP_END = 0x0B;
    private static final int OP_GLOBAL_GET = 0x23;
    private static final int OP_GLOBAL_SET = 0x24;
    private static final int OP_I64_CONST = 0x42;
    private static final int OP_I64_LT_S = 0x53;
    private static final int OP_I64_SUB = 0x7D;
    private static final int BLOCK_TYPE_EMPTY = 0x40;
    private static final int TYPE_I64 = 0x7E;
    private static final int MUTABLE = 0x01;

    /** The rewritten module and the index of its counter global. */
    record Result(byte[] wasm, int counterGlobal) {
    }

    private MeteringInstrumenter() {
    }

    /**
     * Instruments a validated module.
     *
     * @param wasm          the module's bytes
     * @param module        the same module as Chicory parsed it (its instruction addresses locate the code)
     * @param initialBudget the counter's initial value: what the Wasm start function may execute
     */
    static Result instrument(byte[] wasm, WasmModule module, long initialBudget) {
        int counter = module.importSection().count(ExternalType.GLOBAL) + module.globalSection().globalCount();
        SimdLowering simd = SimdLowering.of(module);
        List<WasmBinary.Section> sections = WasmBinary.sections(wasm);
        ByteArrayOutputStream out = new ByteArrayOutputStream(wasm.length + wasm.length / 2);
        out.write(wasm, 0, 8);
        boolean globalWritten = false;
        boolean importsWritten = simd == null;
        for (WasmBinary.Section section : sections) {
            if (!importsWritten && section.id() != WasmBinary.CUSTOM && section.id() != WasmBinary.TYPE
                    && section.id() != WasmBinary.IMPORT) {
                writeSection(out, WasmBinary.IMPORT, simd.importSection(wasm, null)); // the module had none
                importsWritten = true;
            }
            if (!globalWritten && comesAfterGlobals(section.id())) {
                writeSection(out, WasmBinary.GLOBAL, globalSection(wasm, null, null, initialBudget));
                globalWritten = true;
            }
            if (section.id() == WasmBinary.GLOBAL) {
                byte[] entries = simd != null ? simd.globalEntries(wasm, section) : null;
                writeSection(out, WasmBinary.GLOBAL, globalSection(wasm, section, entries, initialBudget));
                globalWritten = true;
            } else if (section.id() == WasmBinary.CODE) {
                writeSection(out, WasmBinary.CODE, codeSection(wasm, section, module, counter, simd));
            } else if (simd != null && section.id() == WasmBinary.TYPE) {
                writeSection(out, WasmBinary.TYPE, simd.typeSection(wasm, section));
            } else if (simd != null && section.id() == WasmBinary.IMPORT) {
                writeSection(out, WasmBinary.IMPORT, simd.importSection(wasm, section));
                importsWritten = true;
            } else if (simd != null && section.id() == WasmBinary.EXPORT) {
                writeSection(out, WasmBinary.EXPORT, simd.exportSection(wasm, section));
            } else if (simd != null && section.id() == WasmBinary.START) {
                writeSection(out, WasmBinary.START, simd.startSection(wasm, section));
            } else if (simd != null && section.id() == WasmBinary.ELEMENT) {
                writeSection(out, WasmBinary.ELEMENT, simd.elementSection(wasm, section));
            } else if (simd != null && section.id() == WasmBinary.CUSTOM
                    && WasmBinary.customSectionName(wasm, section).equals("name")) {
                continue; // function names by index: the indices moved
            } else {
                out.write(wasm, section.headerStart(), section.contentEnd() - section.headerStart());
            }
        }
        if (!globalWritten) {
            writeSection(out, WasmBinary.GLOBAL, globalSection(wasm, null, null, initialBudget));
        }
        return new Result(out.toByteArray(), counter);
    }

    /** Whether a section with this id must follow the global section (custom sections may go anywhere). */
    private static boolean comesAfterGlobals(int id) {
        switch (id) {
            case WasmBinary.EXPORT:
            case WasmBinary.START:
            case WasmBinary.ELEMENT:
            case WasmBinary.DATA_COUNT:
            case WasmBinary.CODE:
            case WasmBinary.DATA:
                return true;
            default:
                return false;
        }
    }

    /**
     * The global section with the counter appended; {@code entries}, if not null, replaces the existing entries'
     * bytes (renumbered by {@link SimdLowering}).
     */
    private static byte[] globalSection(byte[] wasm, WasmBinary.Section existing, byte[] entries,
            long initialBudget) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        long count = 0;
        int entriesStart = 0;
        if (existing != null) {
            int[] position = {existing.contentStart()};
            count = WasmBinary.readU32(wasm, position);
            entriesStart = position[0];
        }
        WasmBinary.writeU32(content, count + 1);
        if (entries != null) {
            content.writeBytes(entries);
        } else if (existing != null) {
            content.write(wasm, entriesStart, existing.contentEnd() - entriesStart);
        }
        content.write(TYPE_I64);
        content.write(MUTABLE);
        content.write(OP_I64_CONST);
        WasmBinary.writeS64(content, initialBudget);
        content.write(OP_END);
        return content.toByteArray();
    }

    private static byte[] codeSection(byte[] wasm, WasmBinary.Section section, WasmModule module, int counter,
            SimdLowering simd) {
        FunctionBody[] bodies = module.codeSection().functionBodies();
        int[] position = {section.contentStart()};
        long count = WasmBinary.readU32(wasm, position);
        if (count != bodies.length) {
            throw new IllegalStateException("Code section has " + count + " bodies, Chicory parsed " + bodies.length);
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream(section.contentLength() * 2);
        WasmBinary.writeU32(content, count);
        for (int f = 0; f < bodies.length; f++) {
            long size = WasmBinary.readU32(wasm, position);
            int bodyStart = position[0];
            int bodyEnd = (int) (bodyStart + size);
            List<? extends Instruction> instructions = bodies[f].instructions();
            SimdLowering.Body lowering = simd == null ? null
                    : simd.new Body(wasm, bodyStart, instructions.get(0).address(), f);
            byte[] rewritten = functionBody(wasm, bodyStart, bodyEnd, instructions, counter, lowering);
            WasmBinary.writeU32(content, rewritten.length);
            content.writeBytes(rewritten);
            position[0] = bodyEnd;
        }
        return content.toByteArray();
    }

    private static byte[] functionBody(byte[] wasm, int bodyStart, int bodyEnd,
            List<? extends Instruction> instructions, int counter, SimdLowering.Body lowering) {
        int n = instructions.size();
        // segmentCost[i] > 0 where a segment starts at instruction i; its charge is emitted before instruction i,
        // or right after it when instruction i is an end (code before an end is still inside the block).
        long[] segmentCost = new long[n];
        int segmentStart = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && startsSegment(instructions.get(i - 1), instructions.get(i), i == n - 1)) {
                segmentStart = i;
            }
            segmentCost[segmentStart]++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((bodyEnd - bodyStart) * 2);
        int codeStart = instructions.get(0).address();
        if (lowering == null) {
            out.write(wasm, bodyStart, codeStart - bodyStart); // the locals
        } else {
            out.writeBytes(lowering.locals());
        }
        for (int i = 0; i < n; i++) {
            Instruction instruction = instructions.get(i);
            boolean chargeAfter = i > 0 && instruction.opcode() == OpCode.END;
            if (segmentCost[i] > 0 && !chargeAfter) {
                charge(out, counter, segmentCost[i]);
                if (i == 0 || isLoop(instructions.get(i - 1))) {
                    checkLimit(out, counter);
                }
            }
            int start = instruction.address();
            int end = i + 1 < n ? instructions.get(i + 1).address() : bodyEnd;
            if (lowering == null) {
                out.write(wasm, start, end - start);
            } else {
                lowering.emit(out, wasm, instruction, start, end);
            }
            if (segmentCost[i] > 0 && chargeAfter) {
                charge(out, counter, segmentCost[i]);
            }
        }
        return out.toByteArray();
    }

    private static boolean isLoop(Instruction instruction) {
        return instruction.opcode() == OpCode.LOOP;
    }

    /**
     * Whether {@code next} starts a segment, given the instruction before it: an {@code end} other than the
     * function's (a branch may land just after it, and the code before it may be dead or another branch's), the
     * first instruction of a loop body, of a then- or else-branch, the instruction after a conditional branch, and
     * the one after an unconditional branch (dead code up to the next {@code end}).
     */
    private static boolean startsSegment(Instruction previous, Instruction next, boolean last) {
        if (next.opcode() == OpCode.END) {
            return !last;
        }
        switch (previous.opcode()) {
            case LOOP:
            case IF:
            case ELSE:
            case BR:
            case BR_IF:
            case BR_TABLE:
            case RETURN:
            case UNREACHABLE:
                return true;
            default:
                return false;
        }
    }

    /** {@code counter -= cost}. */
    private static void charge(ByteArrayOutputStream out, int counter, long cost) {
        out.write(OP_GLOBAL_GET);
        WasmBinary.writeU32(out, counter);
        out.write(OP_I64_CONST);
        WasmBinary.writeS64(out, cost);
        out.write(OP_I64_SUB);
        out.write(OP_GLOBAL_SET);
        WasmBinary.writeU32(out, counter);
    }

    /** {@code if (counter < 0) unreachable}. */
    private static void checkLimit(ByteArrayOutputStream out, int counter) {
        out.write(OP_GLOBAL_GET);
        WasmBinary.writeU32(out, counter);
        out.write(OP_I64_CONST);
        WasmBinary.writeS64(out, 0);
        out.write(OP_I64_LT_S);
        out.write(OP_IF);
        out.write(BLOCK_TYPE_EMPTY);
        out.write(OP_UNREACHABLE);
        out.write(OP_END);
    }

    private static void writeSection(ByteArrayOutputStream out, int id, byte[] content) {
        out.write(id);
        WasmBinary.writeU32(out, content.length);
        out.writeBytes(content);
    }
}

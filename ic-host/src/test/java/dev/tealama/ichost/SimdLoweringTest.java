package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIMD code run through {@link SimdLowering}: results against the Wasm specification's lane arithmetic written out
 * here in plain Java, counts against the number of instructions of straight-line functions, in compiled and
 * interpreted mode, with the module's functions renumbered (start function, table, exports).
 */
class SimdLoweringTest {

    static final long BUDGET = 1_000_000_000_000L;
    static WasmModule original;
    static MeteringInstrumenter.Result instrumented;

    @BeforeAll
    static void prepare() {
        byte[] wasm = Wat.resource("simd");
        original = Parser.parse(wasm);
        instrumented = MeteringInstrumenter.instrument(wasm, original, BUDGET);
    }

    static Instance instance(boolean compiled) {
        WasmModule module = Parser.parse(instrumented.wasm());
        Instance.Builder builder = Instance.builder(module)
                .withImportValues(ImportValues.builder().withFunctions(SimdOps.hostFunctions()).build());
        builder.withMachineFactory(compiled ? MachineFactoryCompiler.compile(module) : InterpreterMachine::new);
        return builder.build();
    }

    /** Instructions counted for one call. */
    static long count(Instance instance, String function, long... args) {
        var counter = instance.global(instrumented.counterGlobal());
        long before = counter.getValue();
        instance.export(function).apply(args);
        return before - counter.getValue();
    }

    static int instructionsOf(String export) {
        int index = -1;
        for (int i = 0; i < original.exportSection().exportCount(); i++) {
            if (original.exportSection().getExport(i).name().equals(export)) {
                index = (int) original.exportSection().getExport(i).index();
            }
        }
        return original.codeSection().functionBodies()[index].instructions().size();
    }

    @Test
    void theStartFunctionAndExportsStillReachTheirFunctions() {
        Instance instance = instance(true);
        assertEquals(42, instance.export("started").apply()[0]);
        assertEquals(42, instance.export("via_global").apply(21)[0]);
    }

    @Test
    void aDotProductOfSignedBytesIsExactAndCountsEachInstructionOnce() {
        Random random = new Random(7);
        for (boolean compiled : new boolean[] {true, false}) {
            Instance instance = instance(compiled);
            for (int round = 0; round < 20; round++) {
                byte[] a = new byte[16];
                byte[] b = new byte[16];
                random.nextBytes(a);
                random.nextBytes(b);
                if (round == 0) {
                    java.util.Arrays.fill(a, (byte) -128);
                    java.util.Arrays.fill(b, (byte) -128);
                }
                instance.memory().write(100, a);
                instance.memory().write(300, b);
                int expected = 0;
                for (int i = 0; i < 16; i++) {
                    expected += a[i] * b[i];
                }
                assertEquals(expected, (int) instance.export("dot16").apply(100, 300)[0]);
                assertEquals(expected, (int) instance.export("indirect").apply(1, 100, 300)[0], "via the table");
                assertEquals(200, (int) instance.export("indirect").apply(0, 100, 300)[0], "the other entry");
                assertEquals(instructionsOf("dot16"), count(instance, "dot16", 100, 300));
                assertEquals(5L * expected, (int) instance.export("loop").apply(5, 100, 300)[0]);
            }
        }
    }

    @Test
    void floatLanesShufflesMasksAndStoresFollowTheSpecification() {
        Random random = new Random(11);
        for (boolean compiled : new boolean[] {true, false}) {
            Instance instance = instance(compiled);
            for (int round = 0; round < 20; round++) {
                byte[] a = new byte[16];
                byte[] b = new byte[16];
                random.nextBytes(a);
                random.nextBytes(b);
                float c = (float) random.nextGaussian() * 3;
                instance.memory().write(1000, a);
                instance.memory().write(2000, b);
                instance.export("mix").apply(1000, 2000, 4000, Float.floatToRawIntBits(c) & 0xFFFFFFFFL);
                assertArrayEquals(expectedMix(a, b, c), instance.memory().readBytes(4000, 32));
                assertEquals(instructionsOf("mix"), count(instance, "mix", 1000, 2000, 4000,
                        Float.floatToRawIntBits(c) & 0xFFFFFFFFL));
            }
        }
    }

    @Test
    void anIfWhoseResultIsAVectorTakesEitherBranch() {
        for (boolean compiled : new boolean[] {true, false}) {
            Instance instance = instance(compiled);
            byte[] a = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(-2).putInt(3)
                    .putInt(0x7FFFFFFF).array();
            instance.memory().write(1000, a);
            for (int c = 0; c < 2; c++) {
                instance.export("if_vector").apply(c, 1000, 4000);
                ByteBuffer got = ByteBuffer.wrap(instance.memory().readBytes(4000, 16)).order(ByteOrder.LITTLE_ENDIAN);
                int factor = c == 1 ? 2 : 1;
                assertEquals(1 * factor, got.getInt());
                assertEquals(-2 * factor, got.getInt());
                assertEquals(3 * factor, got.getInt());
                assertEquals(0x7FFFFFFF * factor, got.getInt());
            }
        }
    }

    /** {@code mix} in scalar Java: the lanes as the specification defines them. */
    private static byte[] expectedMix(byte[] a, byte[] b, float c) {
        int[] ai = ints(a);
        int[] bi = ints(b);
        int[] t = new int[4];
        for (int i = 0; i < 4; i++) {
            t[i] = bi[i] << 3;
        }
        byte[] tb = bytes(t);
        byte[] shr = new byte[16];
        for (int i = 0; i < 16; i++) {
            shr[i] = (byte) ((a[i] & 0xFF) >>> 4);
        }
        int[] mask = {0xFFFF0000, 0x0000FFFF, 0xFF00FF00, 0x00FF00FF};
        int[] sel = new int[4];
        int[] shrI = ints(shr);
        for (int i = 0; i < 4; i++) {
            sel[i] = (t[i] & mask[i]) | (shrI[i] & ~mask[i]);
        }
        int[] replaced = ai.clone();
        replaced[2] = -7;
        // shuffle: lanes 0-3 of t, 0-3 of b, 4-7 of t, 4-7 of b (bytes) = i32 lanes t0, b0, t1, b1
        int[] shuffled = {t[0], bi[0], t[1], bi[1]};
        assertEquals(t[0], ints(tb)[0]);
        float[] result = new float[4];
        for (int i = 0; i < 4; i++) {
            int masked = shuffled[i] & 0x0F0F0F0F;
            result[i] = replaced[i] * c + (float) masked;
        }
        ByteBuffer out = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : result) {
            out.putFloat(f);
        }
        for (int v : sel) {
            out.putInt(v);
        }
        return out.array();
    }

    private static int[] ints(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new int[] {buffer.getInt(), buffer.getInt(), buffer.getInt(), buffer.getInt()};
    }

    private static byte[] bytes(int[] ints) {
        ByteBuffer buffer = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : ints) {
            buffer.putInt(v);
        }
        return buffer.array();
    }

    @Test
    void anUnsupportedSimdInstructionIsRefusedByName() {
        byte[] wasm = Wat.compile("(module (memory 1) (func (export \"f\") (result i32)"
                + " (i32x4.extract_lane 0 (i32x4.max_s (v128.const i64x2 1 2) (v128.const i64x2 3 4)))))");
        InvalidModuleException e = assertThrows(InvalidModuleException.class,
                () -> MeteringInstrumenter.instrument(wasm, Parser.parse(wasm), BUDGET));
        assertTrue(e.getMessage().contains("I32x4_MAX_S"), e.getMessage());
    }

    /** A canister (ic0 imports, which keep their indices; its own functions move up) using SIMD, in every mode. */
    @Test
    void aCanisterUsingSimdRunsInTheLocalHostAndCountsItsSimdInstructionsOnce() {
        String wat = "(module"
                + " (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))"
                + " (import \"ic0\" \"msg_reply\" (func $reply))"
                + " (memory 1)"
                + " (func $sum (param $n i32) (result i32)"
                + "   (i32x4.extract_lane 3 (i32x4.add (i32x4.splat (local.get $n)) (v128.const i32x4 1 2 3 4))))"
                + " (func (export \"canister_update simd\")"
                + "   (i32.store (i32.const 0) (call $sum (i32.const 38)))"
                + "   (call $append (i32.const 0) (i32.const 4))"
                + "   (call $reply)))";
        byte[] wasm = Wat.compile(wat);
        Principal user = Principal.selfAuthenticating(new byte[] {1});
        for (ExecutionMode mode : new ExecutionMode[] {ExecutionMode.COMPILED, ExecutionMode.INTERPRETED}) {
            LocalCanister canister = LocalCanister.builder().limits(CanisterLimits.ic()).executionMode(mode)
                    .debugSink(t -> { }).build();
            canister.install(wasm, new byte[0], java.util.Set.of(user)).replyOrThrow();
            CallResult result = canister.update("simd", new byte[0], user);
            assertArrayEquals(new byte[] {42, 0, 0, 0}, result.replyOrThrow(), mode.toString());
            // $sum: local.get, i32x4.splat, v128.const, i32x4.add, i32x4.extract_lane, end = 6; the update:
            // i32.const, i32.const, call, i32.store, i32.const, i32.const, call, call, end = 9
            assertEquals(6 + 9, result.instructions(), mode.toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CanisterModule.prepare(wasm, 1_000_000, ExecutionMode.REFERENCE));
        assertTrue(e.getMessage().contains("SIMD"), e.getMessage());
    }

    @Test
    void aModuleWithoutSimdIsLeftAsItWas() {
        byte[] wasm = Wat.resource("metering");
        WasmModule module = Parser.parse(wasm);
        assertEquals(null, SimdLowering.of(module));
    }
}

package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dylibso.chicory.runtime.Instance;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code f32x4.max}, {@code f32x4.eq} and {@code f32x4.gt} (the canister's argmax and top-k over the logits), lowered by {@link SimdLowering},
 * against the Wasm specification's lane semantics written out in scalar Java: max is NaN when either lane is NaN
 * (here the canonical NaN) and orders -0 below +0; eq and gt are IEEE comparisons (-0 = +0, a NaN compares false).
 */
class SimdF32x4CompareTest {
    private static final String WAT = """
            (module
              (memory (export "memory") 1)
              ;; out[0..15] = max(a, b); out[16..31] = eq(a, b); out[32..47] = gt(a, b)
              (func (export "run") (param $a i32) (param $b i32) (param $out i32)
                (v128.store (local.get $out) (f32x4.max (v128.load (local.get $a)) (v128.load (local.get $b))))
                (v128.store offset=16 (local.get $out) (f32x4.eq (v128.load (local.get $a)) (v128.load (local.get $b))))
                (v128.store offset=32 (local.get $out) (f32x4.gt (v128.load (local.get $a)) (v128.load (local.get $b))))))
            """;

    private static Instance instance(boolean compiled) {
        return LoweredModules.instance(WAT, compiled);
    }

    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFF800001), 2.5f};

    @Test
    void maxEqAndGtFollowTheSpecification() {
        Random random = new Random(17);
        for (boolean compiled : new boolean[] {true, false}) {
            Instance instance = instance(compiled);
            for (int round = 0; round < 400; round++) {
                float[] a = new float[4];
                float[] b = new float[4];
                ByteBuffer in = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 4; i++) {
                    a[i] = SPECIAL[random.nextInt(SPECIAL.length)];
                    b[i] = random.nextInt(3) == 0 ? a[i] : SPECIAL[random.nextInt(SPECIAL.length)];
                    in.putFloat(i * 4, a[i]).putFloat(16 + i * 4, b[i]);
                }
                instance.memory().write(100, java.util.Arrays.copyOf(in.array(), 16));
                instance.memory().write(200, java.util.Arrays.copyOfRange(in.array(), 16, 32));
                instance.export("run").apply(100, 200, 300);
                ByteBuffer out = ByteBuffer.wrap(instance.memory().readBytes(300, 48)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 4; i++) {
                    float x = a[i];
                    float y = b[i];
                    // the specification: NaN if either is NaN; else the larger, with -0 < +0
                    int max = Float.isNaN(x) || Float.isNaN(y) ? 0x7FC00000
                            : x == y ? (Float.floatToRawIntBits(x) == 0 ? 0 : Float.floatToRawIntBits(y))
                            : Float.floatToRawIntBits(x > y ? x : y);
                    assertEquals(max, out.getInt(4 * i), "max(" + x + ", " + y + ")");
                    assertEquals(x == y ? -1 : 0, out.getInt(16 + 4 * i), "eq(" + x + ", " + y + ")");
                    assertEquals(x > y ? -1 : 0, out.getInt(32 + 4 * i), "gt(" + x + ", " + y + ")");
                }
            }
        }
    }
}

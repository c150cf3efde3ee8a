package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dylibso.chicory.runtime.Instance;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The f64x2 instructions the canister's F32 matrix kernel uses ({@code f64x2.promote_low_f32x4},
 * {@code f64x2.add}, {@code f32x4.demote_f64x2_zero}), lowered by {@link SimdLowering}, against the Wasm
 * specification's lane arithmetic written out in scalar Java: every result bit, on ordinary values, signed zeros,
 * subnormals and values whose sum or narrowing overflows.
 */
class SimdF64x2Test {
    private static final String WAT = """
            (module
              (memory (export "memory") 1)
              ;; out[0..15] = promote_low(a) + promote_low(b) (f64x2); out[16..31] = demote_zero(that sum, as f32x4)
              (func (export "run") (param $a i32) (param $b i32) (param $out i32) (local $s v128)
                (v128.store (local.get $out) (local.tee $s (f64x2.add
                  (f64x2.promote_low_f32x4 (v128.load (local.get $a)))
                  (f64x2.promote_low_f32x4 (v128.load (local.get $b))))))
                (v128.store offset=16 (local.get $out) (f32x4.demote_f64x2_zero (local.get $s)))))
            """;

    private static Instance instance(boolean compiled) {
        return LoweredModules.instance(WAT, compiled);
    }

    private static byte[] floats(float a0, float a1) {
        // lanes 2 and 3 hold values the instructions must ignore
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(a0).putFloat(a1).putFloat(Float.NaN)
                .putFloat(-7.5f).array();
    }

    private static float pick(Random random, int round) {
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                -Float.MAX_VALUE, 1e-40f, 3.4e38f};
        return round % 3 == 0 ? special[random.nextInt(special.length)]
                : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30));
    }

    @Test
    void promoteAddAndDemoteFollowTheSpecification() {
        Random random = new Random(13);
        for (boolean compiled : new boolean[] {true, false}) {
            Instance instance = instance(compiled);
            for (int round = 0; round < 300; round++) {
                float a0 = pick(random, round);
                float a1 = pick(random, round + 1);
                float b0 = pick(random, round + 2);
                float b1 = pick(random, round);
                instance.memory().write(100, floats(a0, a1));
                instance.memory().write(200, floats(b0, b1));
                instance.export("run").apply(100, 200, 300);
                ByteBuffer out = ByteBuffer.wrap(instance.memory().readBytes(300, 32)).order(ByteOrder.LITTLE_ENDIAN);
                double s0 = (double) a0 + (double) b0;
                double s1 = (double) a1 + (double) b1;
                assertEquals(Double.doubleToRawLongBits(s0), out.getLong(0), a0 + " + " + b0);
                assertEquals(Double.doubleToRawLongBits(s1), out.getLong(8), a1 + " + " + b1);
                assertEquals(Float.floatToRawIntBits((float) s0), out.getInt(16), "demote " + s0);
                assertEquals(Float.floatToRawIntBits((float) s1), out.getInt(20), "demote " + s1);
                assertEquals(0, out.getLong(24), "demote_zero clears lanes 2 and 3");
            }
        }
    }
}

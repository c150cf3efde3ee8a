package dev.tealama.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * fp16 conversions against x86 F16C (fixtures from {@code _cvtsh_ss} / {@code _cvtss_sh}) and the JDK's own
 * IEEE conversions ({@code Float.float16ToFloat} / {@code floatToFloat16}, Java 20+, called through a method
 * handle because core's tests compile for release 17).
 */
class Float16Test {
    private static final MethodHandle JDK_TO_FLOAT = jdk("float16ToFloat", float.class, short.class);
    private static final MethodHandle JDK_FROM_FLOAT = jdk("floatToFloat16", short.class, float.class);

    private static MethodHandle jdk(String name, Class<?> result, Class<?> argument) {
        try {
            return MethodHandles.publicLookup().findStatic(Float.class, name, MethodType.methodType(result, argument));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the tests need JDK 20+ for Float." + name, e);
        }
    }

    @Test
    void everyHalfWidensAsF16CDoes() {
        ByteBuffer table = ByteBuffer.allocate(65536 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) {
            table.putInt(Float.floatToRawIntBits(Float16.toFloat((short) h)));
        }
        assertEquals(TensorFixtures.digest("f16-to-f32"), TensorFixtures.sha256(table.array()));
    }

    @Test
    void everyNonNaNHalfWidensAsTheJdkDoes() throws Throwable {
        for (int h = 0; h < 65536; h++) {
            float expected = (float) JDK_TO_FLOAT.invokeExact((short) h);
            if (!Float.isNaN(expected)) {
                TensorFixtures.assertSameFloat(expected, Float16.toFloat((short) h), "half 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void everyHalfRoundTripsAsF16CDoes() {
        ByteBuffer table = ByteBuffer.allocate(65536 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int h = 0; h < 65536; h++) {
            short back = Float16.fromFloat(Float16.toFloat((short) h));
            table.putShort(back);
            boolean nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
            if (!nan) {
                assertEquals((short) h, back, "half 0x" + Integer.toHexString(h));
            }
        }
        assertEquals(TensorFixtures.digest("f16-roundtrip"), TensorFixtures.sha256(table.array()));
    }

    @Test
    void narrowsLikeF16COnEdgeCases() {
        ByteBuffer cases = TensorFixtures.buffer("conversions.bin");
        int n = 0;
        while (cases.remaining() >= 8) {
            int bits = cases.getInt();
            short expected = cases.getShort();
            cases.getShort(); // the bf16 column
            short actual = Float16.fromFloat(Float.intBitsToFloat(bits));
            assertEquals(expected, actual, "float 0x" + Integer.toHexString(bits));
            n++;
        }
        assertEquals(6782, n);
    }

    @Test
    void narrowsLikeTheJdkAcrossAllFloats() throws Throwable {
        // every 4099th bit pattern: a million floats over all signs, exponents and mantissa positions
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 4099) {
            float f = Float.intBitsToFloat((int) bits);
            if (!Float.isNaN(f)) {
                short expected = (short) JDK_FROM_FLOAT.invokeExact(f);
                if (expected != Float16.fromFloat(f)) {
                    assertEquals(expected, Float16.fromFloat(f), "float 0x" + Long.toHexString(bits));
                }
            }
        }
    }

    @Test
    void readsLittleEndianHalvesFromBytes() {
        byte[] bytes = {0x00, 0x3C, 0x00, (byte) 0xC0, 0x01, 0x00};
        assertEquals(1.0f, Float16.toFloat(bytes, 0));
        assertEquals(-2.0f, Float16.toFloat(bytes, 2));
        assertEquals(0x1p-24f, Float16.toFloat(bytes, 4));
    }
}

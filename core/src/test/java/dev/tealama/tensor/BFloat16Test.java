package dev.tealama.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** bf16 conversions against ggml's {@code ggml_bf16_to_fp32} / {@code ggml_fp32_to_bf16} (fixtures). */
class BFloat16Test {

    @Test
    void everyBFloat16WidensAsGgmlDoes() {
        ByteBuffer table = ByteBuffer.allocate(65536 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < 65536; b++) {
            table.putInt(Float.floatToRawIntBits(BFloat16.toFloat((short) b)));
        }
        assertEquals(TensorFixtures.digest("bf16-to-f32"), TensorFixtures.sha256(table.array()));
    }

    @Test
    void everyBFloat16RoundTripsAsGgmlDoes() {
        ByteBuffer table = ByteBuffer.allocate(65536 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < 65536; b++) {
            short back = BFloat16.fromFloat(BFloat16.toFloat((short) b));
            table.putShort(back);
            boolean signallingNaN = (b & 0x7F80) == 0x7F80 && (b & 0x7F) != 0 && (b & 0x40) == 0;
            if (!signallingNaN) {
                assertEquals((short) b, back, "bf16 0x" + Integer.toHexString(b));
            }
        }
        assertEquals(TensorFixtures.digest("bf16-roundtrip"), TensorFixtures.sha256(table.array()));
    }

    @Test
    void narrowsLikeGgmlOnEdgeCases() {
        ByteBuffer cases = TensorFixtures.buffer("conversions.bin");
        while (cases.remaining() >= 8) {
            int bits = cases.getInt();
            cases.getShort(); // the fp16 column
            short expected = cases.getShort();
            assertEquals(expected, BFloat16.fromFloat(Float.intBitsToFloat(bits)), "float 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void readsLittleEndianBFloat16FromBytes() {
        byte[] bytes = {(byte) 0x80, 0x3F, 0x00, (byte) 0xC0};
        assertEquals(1.0f, BFloat16.toFloat(bytes, 0));
        assertEquals(-2.0f, BFloat16.toFloat(bytes, 2));
    }
}

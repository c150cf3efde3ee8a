package dev.tealama.canister.kernels;

import dev.tealama.ichost.MeteredLibrary;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Java arrays as the bytes a Wasm module's memory holds them in (little-endian), and back, for the kernel tests. */
final class WasmArrays {
    private WasmArrays() {
    }

    static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] halves(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    /** The {@code n} floats at {@code address} of {@code module}'s memory. */
    static float[] readFloats(MeteredLibrary module, int address, int n) {
        ByteBuffer b = ByteBuffer.wrap(module.read(address, 4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }
}

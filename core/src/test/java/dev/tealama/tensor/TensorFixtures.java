package dev.tealama.tensor;

import dev.tealama.testing.TestData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Reads the ggml-made fixtures in {@code testdata/tensor/} (see its README for how they were made). */
final class TensorFixtures {
    private TensorFixtures() {
    }

    static Path path(String relative) {
        return TestData.root().resolve("tensor").resolve(relative);
    }

    static byte[] bytes(String relative) {
        return TestData.readAll(path(relative));
    }

    static ByteBuffer buffer(String relative) {
        return ByteBuffer.wrap(bytes(relative)).order(ByteOrder.LITTLE_ENDIAN);
    }

    static float[] floats(String relative) {
        ByteBuffer b = buffer(relative);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    static String sha256(byte[] data) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte v : MessageDigest.getInstance("SHA-256").digest(data)) {
                hex.append(Character.forDigit((v >> 4) & 15, 16)).append(Character.forDigit(v & 15, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The digest named {@code name} in halves.sha256. */
    static String digest(String name) {
        for (String line : new String(bytes("halves.sha256")).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[1].equals(name)) {
                return parts[0];
            }
        }
        throw new AssertionError("no digest " + name);
    }

    /** Columns of the dot-product fixtures of each weight type. */
    static int columns(GgmlType type) {
        return type.blockSize() == 256 ? 512 : 256;
    }

    /** Asserts two floats have the same bits, with a readable message. */
    static void assertSameFloat(float expected, float actual, String what) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            throw new AssertionError(what + ": expected " + expected + " (0x"
                    + Integer.toHexString(Float.floatToRawIntBits(expected)) + ") but was " + actual + " (0x"
                    + Integer.toHexString(Float.floatToRawIntBits(actual)) + ")");
        }
    }
}

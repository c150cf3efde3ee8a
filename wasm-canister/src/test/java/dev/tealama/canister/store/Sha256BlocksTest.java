package dev.tealama.canister.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;


import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The canister's SHA-256 compression function ({@code src/main/wat/sha256.wat}, as the build assembled it), run
 * metered in the local IC host, against the JDK's SHA-256: messages of every length class around the block and
 * padding boundaries, padded here as FIPS 180-4 says ({@link ArenaSha256} pads the same way in the canister, where
 * every upload's check runs it end to end), and what it costs per byte.
 */
class Sha256BlocksTest {
    private static final int STATE = 1024;
    private static final int DATA = 4096;
    private static MeteredLibrary sha;

    @BeforeAll
    static void load() {
        sha = BuiltShims.load("sha256", 64);
    }

    /** SHA-256 of {@code message} by the Wasm compression function, padded here. */
    private static byte[] wasmSha256(byte[] message) {
        int blocks = (message.length + 8) / 64 + 1;
        ByteBuffer padded = ByteBuffer.allocate(64 * blocks).order(ByteOrder.BIG_ENDIAN);
        padded.put(message).put((byte) 0x80);
        padded.putLong(64 * blocks - 8, 8L * message.length);
        ByteBuffer state = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (int word : new int[] {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
                0x1f83d9ab, 0x5be0cd19}) {
            state.putInt(word);
        }
        sha.write(STATE, state.array());
        sha.write(DATA, padded.array());
        sha.call("sha256_blocks", STATE, DATA, blocks);
        ByteBuffer words = ByteBuffer.wrap(sha.read(STATE, 32)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer digest = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 8; i++) {
            digest.putInt(words.getInt());
        }
        return digest.array();
    }

    private static byte[] jdkSha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4095})
    void givesTheJdksDigest(int length) {
        byte[] message = new byte[length];
        new Random(length).nextBytes(message);
        assertArrayEquals(jdkSha256(message), wasmSha256(message), length + " bytes");
    }

    @Test
    void givesTheFipsExampleDigestAndCostsAboutSeventyFiveInstructionsPerByte() {
        byte[] abc = {'a', 'b', 'c'};
        assertArrayEquals(java.util.HexFormat.of().parseHex(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), wasmSha256(abc));

        byte[] message = new byte[64 * 1024 - 9]; // padded: exactly 1,024 blocks
        new Random(7).nextBytes(message);
        assertArrayEquals(jdkSha256(message), wasmSha256(message));
        double perByte = (double) sha.lastInstructions() / (64 * 1024);
        System.out.printf("sha256_blocks: %.1f instructions per byte%n", perByte);
        assertTrue(perByte < 90, perByte + " instructions per byte (core's Sha256 in TeaVM: ~290)");
    }
}

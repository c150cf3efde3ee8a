package dev.tealama.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Sha256} against the FIPS 180 example vectors and the JDK's {@link MessageDigest}. */
class Sha256Test {

    private static String sha(String ascii) {
        return Sha256.hex(Sha256.hash(ascii.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Example digests published with FIPS 180-2 / NIST's SHA examples. */
    @Test
    void fipsExampleVectors() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", sha(""));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", sha("abc"));
        assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        assertEquals("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
                sha("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                        + "mnopqrstnopqrstu"));
    }

    @Test
    void oneMillionLetterA() {
        byte[] a = new byte[1_000_000];
        Arrays.fill(a, (byte) 'a');
        String expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
        assertEquals(expected, Sha256.hex(Sha256.hash(a)));

        // The same message one byte at a time.
        Sha256 bytewise = new Sha256();
        for (int i = 0; i < 1_000_000; i++) {
            bytewise.update((byte) 'a');
        }
        assertEquals(expected, Sha256.hex(bytewise.digest()));
    }

    /** Every length around the padding boundaries (55/56/64 bytes and their multiples). */
    @Test
    void everyShortLength() throws Exception {
        Random random = new Random(5);
        for (int length = 0; length <= 300; length++) {
            byte[] message = new byte[length];
            random.nextBytes(message);
            assertArrayEquals(jdkSha256(message), Sha256.hash(message), "length " + length);
        }
    }

    /** Random messages split at random points into array updates and single bytes. */
    @Test
    void randomSplitsMatchMessageDigest() throws Exception {
        Random random = new Random(6);
        Sha256 sha = new Sha256(); // reused: digest() must reset it
        for (int round = 0; round < 2000; round++) {
            int length = round < 1000 ? random.nextInt(1000) : random.nextInt(100_000);
            byte[] message = new byte[length];
            random.nextBytes(message);
            int position = 0;
            while (position < length) {
                if (random.nextInt(8) == 0) {
                    sha.update(message[position++]);
                } else {
                    int chunk = Math.min(length - position, random.nextInt(random.nextBoolean() ? 70 : 5000));
                    // Feed from a larger array at an offset, to check offset handling.
                    byte[] padded = new byte[chunk + 20];
                    int offset = random.nextInt(10);
                    System.arraycopy(message, position, padded, offset, chunk);
                    sha.update(padded, offset, chunk);
                    position += chunk;
                }
            }
            assertArrayEquals(jdkSha256(message), sha.digest(), "round " + round + ", length " + length);
        }
    }

    /** An upload-sized stream fed in ~1.9 MB chunks (the canister's chunk size). */
    @Test
    void largeStreamInUploadChunks() throws Exception {
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        Sha256 sha = new Sha256();
        Random random = new Random(7);
        byte[] chunk = new byte[1_900_000 + 13];
        for (int i = 0; i < 16; i++) {
            random.nextBytes(chunk);
            int length = chunk.length - random.nextInt(64);
            sha.update(chunk, 0, length);
            jdk.update(chunk, 0, length);
        }
        assertArrayEquals(jdk.digest(), sha.digest());
    }

    @Test
    void emptyUpdatesChangeNothing() {
        Sha256 sha = new Sha256();
        sha.update(new byte[0]);
        sha.update(new byte[5], 5, 0);
        sha.update("abc".getBytes(StandardCharsets.US_ASCII));
        sha.update(new byte[3], 1, 0);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex(sha.digest()));
    }

    @Test
    void rejectsRangesOutsideTheArray() {
        Sha256 sha = new Sha256();
        byte[] bytes = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> sha.update(bytes, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> sha.update(bytes, 5, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> sha.update(bytes, 5, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> sha.update(bytes, Integer.MAX_VALUE, 2));
        // Nothing was hashed by the rejected calls.
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(sha.digest()));
    }

    @Test
    void hexIsLowercaseTwoDigitsPerByte() {
        assertEquals("00010fff7f80", Sha256.hex(new byte[] {0, 1, 15, -1, 127, -128}));
        assertEquals("", Sha256.hex(new byte[0]));
    }

    private static byte[] jdkSha256(byte[] message) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(message);
    }
}

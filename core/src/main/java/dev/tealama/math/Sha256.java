package dev.tealama.math;

import java.util.Arrays;

/**
 * SHA-256 (FIPS 180-4), fed incrementally: {@code update} any number of times, then {@link #digest()}.
 *
 * <p>Written for verifying large uploads (a model of several GB arriving in chunks of about 2 MB, possibly over
 * many separate calls): all state lives in this object, {@code update} hashes whole 64-byte blocks straight
 * from the caller's array, and no garbage is made per block. Not thread-safe; one instance per stream.
 */
public final class Sha256 {
    /** Length of a digest in bytes. */
    public static final int DIGEST_LENGTH = 32;

    /** SHA-256 works on 64-byte blocks. */
    private static final int BLOCK_LENGTH = 64;

    /** Initial hash value H(0): first 32 bits of the fractional parts of the square roots of the first 8 primes. */
    private static final int[] INITIAL_STATE = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };

    /** Round constants K: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    /** The running hash value H(i). */
    private final int[] state = new int[8];
    /** Bytes of an incomplete block, waiting for more input. */
    private final byte[] pending = new byte[BLOCK_LENGTH];
    /** How many bytes of {@link #pending} are in use (always below {@link #BLOCK_LENGTH}). */
    private int pendingLength;
    /** Message length so far, in bytes. */
    private long totalLength;
    /** The message schedule W, reused for every block. */
    private final int[] schedule = new int[64];

    /** A fresh hash of the empty message so far. */
    public Sha256() {
        reset();
    }

    /** Forgets all input: back to the state of a new instance. */
    public void reset() {
        System.arraycopy(INITIAL_STATE, 0, state, 0, 8);
        pendingLength = 0;
        totalLength = 0;
    }

    /** Appends one byte to the message. */
    public void update(byte b) {
        pending[pendingLength++] = b;
        totalLength++;
        if (pendingLength == BLOCK_LENGTH) {
            compress(pending, 0);
            pendingLength = 0;
        }
    }

    /** Appends all of {@code bytes} to the message. */
    public void update(byte[] bytes) {
        update(bytes, 0, bytes.length);
    }

    /**
     * Appends {@code bytes[offset .. offset+length)} to the message.
     *
     * @throws IndexOutOfBoundsException if the range does not lie within the array
     */
    public void update(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", " + offset + " + " + length
                    + ") is outside an array of length " + bytes.length);
        }
        totalLength += length;
        int end = offset + length;
        // Top up a partial block first.
        if (pendingLength > 0) {
            int take = Math.min(BLOCK_LENGTH - pendingLength, length);
            System.arraycopy(bytes, offset, pending, pendingLength, take);
            pendingLength += take;
            offset += take;
            if (pendingLength < BLOCK_LENGTH) {
                return;
            }
            compress(pending, 0);
            pendingLength = 0;
        }
        // Whole blocks straight from the caller's array.
        while (end - offset >= BLOCK_LENGTH) {
            compress(bytes, offset);
            offset += BLOCK_LENGTH;
        }
        // Keep the tail for later.
        pendingLength = end - offset;
        System.arraycopy(bytes, offset, pending, 0, pendingLength);
    }

    /** Finishes the hash of everything appended since the last reset, returns it and resets. */
    public byte[] digest() {
        long bitLength = totalLength << 3;
        // Padding: a 1 bit, zeros up to 56 bytes into a block, then the message length in bits (big-endian).
        pending[pendingLength++] = (byte) 0x80;
        if (pendingLength > BLOCK_LENGTH - 8) {
            Arrays.fill(pending, pendingLength, BLOCK_LENGTH, (byte) 0);
            compress(pending, 0);
            pendingLength = 0;
        }
        Arrays.fill(pending, pendingLength, BLOCK_LENGTH - 8, (byte) 0);
        for (int i = 0; i < 8; i++) {
            pending[BLOCK_LENGTH - 1 - i] = (byte) (bitLength >>> (8 * i));
        }
        compress(pending, 0);

        byte[] result = new byte[DIGEST_LENGTH];
        for (int i = 0; i < 8; i++) {
            int word = state[i];
            result[4 * i] = (byte) (word >>> 24);
            result[4 * i + 1] = (byte) (word >>> 16);
            result[4 * i + 2] = (byte) (word >>> 8);
            result[4 * i + 3] = (byte) word;
        }
        reset();
        return result;
    }

    /** The SHA-256 digest of {@code bytes}. */
    public static byte[] hash(byte[] bytes) {
        Sha256 sha = new Sha256();
        sha.update(bytes, 0, bytes.length);
        return sha.digest();
    }

    /** {@code bytes} as lowercase hexadecimal, two digits per byte (the usual way to print a digest). */
    public static String hex(byte[] bytes) {
        char[] chars = new char[2 * bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xf];
            chars[2 * i + 1] = HEX_DIGITS[bytes[i] & 0xf];
        }
        return new String(chars);
    }

    /** Processes the 64-byte block at {@code block[offset]}: the SHA-256 compression function. */
    private void compress(byte[] block, int offset) {
        int[] w = schedule;
        // W[0..15]: the block as big-endian words.
        for (int t = 0; t < 16; t++) {
            int i = offset + 4 * t;
            w[t] = (block[i] << 24) | ((block[i + 1] & 0xff) << 16) | ((block[i + 2] & 0xff) << 8)
                    | (block[i + 3] & 0xff);
        }
        // W[16..63] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16].
        for (int t = 16; t < 64; t++) {
            int x = w[t - 15];
            int y = w[t - 2];
            int sigma0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
            int sigma1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
            w[t] = sigma1 + w[t - 7] + sigma0 + w[t - 16];
        }

        int a = state[0];
        int b = state[1];
        int c = state[2];
        int d = state[3];
        int e = state[4];
        int f = state[5];
        int g = state[6];
        int h = state[7];
        for (int t = 0; t < 64; t++) {
            int bigSigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
            int choose = g ^ (e & (f ^ g)); // Ch(e, f, g) = (e & f) ^ (~e & g), with one operation fewer
            int t1 = h + bigSigma1 + choose + K[t] + w[t];
            int bigSigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
            int majority = (a & b) | (c & (a | b)); // Maj(a, b, c) = (a & b) ^ (a & c) ^ (b & c)
            int t2 = bigSigma0 + majority;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

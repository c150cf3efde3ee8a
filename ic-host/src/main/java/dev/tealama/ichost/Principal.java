package dev.tealama.ichost;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * An Internet Computer principal: a blob of at most 29 bytes that names a user, a canister or the management
 * canister. Its textual form is the IC interface specification's: the CRC-32 of the bytes (big-endian) followed by
 * the bytes, in lower-case base32 without padding, split into groups of five characters by dashes
 * ({@code aaaaa-aa}, {@code 2vxsx-fae}, {@code ryjl3-tyaaa-aaaaa-aaaba-cai}).
 */
public final class Principal implements Comparable<Principal> {

    /** The longest principal the IC allows, in bytes. */
    public static final int MAX_LENGTH = 29;

    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
    private static final byte SELF_AUTHENTICATING_SUFFIX = 0x02;
    private static final byte ANONYMOUS_SUFFIX = 0x04;
    private static final byte[] CANISTER_ID_SUFFIX = {0x01, 0x01};

    private static final Principal MANAGEMENT_CANISTER = new Principal(new byte[0]);
    private static final Principal ANONYMOUS = new Principal(new byte[] {ANONYMOUS_SUFFIX});

    private final byte[] bytes;

    private Principal(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The principal with these bytes (copied); at most {@value #MAX_LENGTH} of them. */
    public static Principal of(byte[] bytes) {
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "A principal has at most " + MAX_LENGTH + " bytes, not " + bytes.length);
        }
        return new Principal(bytes.clone());
    }

    /** The anonymous principal ({@code 2vxsx-fae}): the caller of unsigned messages. */
    public static Principal anonymous() {
        return ANONYMOUS;
    }

    /** The management canister ({@code aaaaa-aa}): the empty blob. */
    public static Principal managementCanister() {
        return MANAGEMENT_CANISTER;
    }

    /**
     * The self-authenticating principal of a public key: SHA-224 of its DER encoding followed by {@code 0x02}, as
     * the IC derives the sender of a message signed with that key.
     */
    public static Principal selfAuthenticating(byte[] derPublicKey) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-224").digest(derPublicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-224", e);
        }
        byte[] id = Arrays.copyOf(hash, hash.length + 1);
        id[hash.length] = SELF_AUTHENTICATING_SUFFIX;
        return new Principal(id);
    }

    /**
     * The id of the canister with this index in the IC's canister id ranges: the index as 8 big-endian bytes followed
     * by {@code 0x01 0x01} (index 2 is {@code ryjl3-tyaaa-aaaaa-aaaba-cai}).
     */
    public static Principal canisterId(long index) {
        byte[] id = new byte[10];
        for (int i = 0; i < 8; i++) {
            id[i] = (byte) (index >>> (56 - 8 * i));
        }
        id[8] = CANISTER_ID_SUFFIX[0];
        id[9] = CANISTER_ID_SUFFIX[1];
        return new Principal(id);
    }

    /**
     * Parses the textual form. Accepts upper case letters as the specification does, and rejects a wrong checksum,
     * misplaced dashes, characters outside base32 and anything that does not re-encode to the same text.
     */
    public static Principal fromText(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        StringBuilder digits = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c != '-') {
                if (BASE32.indexOf(c) < 0) {
                    throw new IllegalArgumentException(
                            "Not a principal: '" + text + "' contains '" + c + "', which is not base32");
                }
                digits.append(c);
            }
        }
        byte[] decoded = base32Decode(digits.toString(), text);
        if (decoded.length < 4) {
            throw new IllegalArgumentException("Not a principal: '" + text + "' is too short to hold a checksum");
        }
        byte[] id = Arrays.copyOfRange(decoded, 4, decoded.length);
        if (id.length > MAX_LENGTH) {
            throw new IllegalArgumentException("Not a principal: '" + text + "' holds " + id.length
                    + " bytes, more than " + MAX_LENGTH);
        }
        Principal principal = new Principal(id);
        if (!principal.toText().equals(lower)) {
            throw new IllegalArgumentException("Not a principal: '" + text
                    + "' has a wrong checksum or grouping (the principal it holds is written "
                    + principal.toText() + ")");
        }
        return principal;
    }

    /** The bytes of this principal (a copy). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** Whether this is the anonymous principal. */
    public boolean isAnonymous() {
        return equals(ANONYMOUS);
    }

    /** The textual form, for example {@code aaaaa-aa}. */
    public String toText() {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        long checksum = crc.getValue();
        byte[] data = new byte[bytes.length + 4];
        data[0] = (byte) (checksum >>> 24);
        data[1] = (byte) (checksum >>> 16);
        data[2] = (byte) (checksum >>> 8);
        data[3] = (byte) checksum;
        System.arraycopy(bytes, 0, data, 4, bytes.length);
        String encoded = base32Encode(data);
        StringBuilder text = new StringBuilder(encoded.length() + encoded.length() / 5);
        for (int i = 0; i < encoded.length(); i++) {
            if (i > 0 && i % 5 == 0) {
                text.append('-');
            }
            text.append(encoded.charAt(i));
        }
        return text.toString();
    }

    private static String base32Encode(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static byte[] base32Decode(String digits, String original) {
        byte[] out = new byte[digits.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < digits.length(); i++) {
            buffer = (buffer << 5) | BASE32.indexOf(digits.charAt(i));
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("Not a principal: '" + original + "' has stray bits at its end");
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Principal && Arrays.equals(bytes, ((Principal) other).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Orders principals by their bytes, unsigned, shorter first on a common prefix (as the IC does). */
    @Override
    public int compareTo(Principal other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return toText();
    }
}

package dev.tealama.icreplica;

import dev.tealama.icreplica.cbor.CborValue;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The interface specification's "representation-independent hashing of structured data": what a request id is (the
 * hash of a request's {@code content} map), what a sender signs and what a node signs in a query response.
 *
 * <ul>
 *   <li>blobs: SHA-256 of the bytes; text: of its UTF-8; naturals: of their shortest unsigned LEB128; integers: of
 *       their shortest signed LEB128;</li>
 *   <li>arrays: SHA-256 of the concatenated hashes of the items;</li>
 *   <li>maps: for each field, hash(key) . hash(value); these are sorted, concatenated and hashed.</li>
 * </ul>
 */
public final class RepresentationIndependentHash {

    private RepresentationIndependentHash() {
    }

    /**
     * The hash of a value.
     *
     * @throws IllegalArgumentException for what the specification gives no hash: floats, simple values, maps with
     *                                  keys that are not text
     */
    public static byte[] of(CborValue value) {
        CborValue item = value.untagged();
        if (item instanceof CborValue.Bytes) {
            return sha256(((CborValue.Bytes) item).bytes());
        }
        if (item instanceof CborValue.Text) {
            return sha256(((CborValue.Text) item).utf8());
        }
        if (item instanceof CborValue.Unsigned) {
            return sha256(unsignedLeb128(((CborValue.Unsigned) item).value()));
        }
        if (item instanceof CborValue.Negative) {
            return sha256(signedLeb128(((CborValue.Negative) item).value()));
        }
        if (item instanceof CborValue.Array) {
            ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
            for (CborValue element : ((CborValue.Array) item).items()) {
                concatenated.writeBytes(of(element));
            }
            return sha256(concatenated.toByteArray());
        }
        if (item instanceof CborValue.MapValue) {
            return ofMap((CborValue.MapValue) item);
        }
        throw new IllegalArgumentException("The IC's request hashing has no rule for " + item.describe());
    }

    private static byte[] ofMap(CborValue.MapValue map) {
        List<byte[]> fields = new ArrayList<>();
        for (Map.Entry<CborValue, CborValue> entry : map.entries().entrySet()) {
            if (!(entry.getKey().untagged() instanceof CborValue.Text)) {
                throw new IllegalArgumentException("A map to hash must have text keys, not "
                        + entry.getKey().describe());
            }
            byte[] field = new byte[64];
            System.arraycopy(of(entry.getKey()), 0, field, 0, 32);
            System.arraycopy(of(entry.getValue()), 0, field, 32, 32);
            fields.add(field);
        }
        fields.sort(Arrays::compareUnsigned);
        ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
        for (byte[] field : fields) {
            concatenated.writeBytes(field);
        }
        return sha256(concatenated.toByteArray());
    }

    /** The shortest unsigned LEB128 encoding of a natural number. */
    public static byte[] unsignedLeb128(BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("Not a natural number: " + value);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BigInteger rest = value;
        do {
            int low = rest.intValue() & 0x7F;
            rest = rest.shiftRight(7);
            out.write(rest.signum() == 0 ? low : low | 0x80);
        } while (rest.signum() != 0);
        return out.toByteArray();
    }

    /** The shortest unsigned LEB128 encoding of a natural number. */
    public static byte[] unsignedLeb128(long value) {
        return unsignedLeb128(BigInteger.valueOf(value));
    }

    /** The shortest signed LEB128 encoding of an integer. */
    public static byte[] signedLeb128(BigInteger value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BigInteger rest = value;
        while (true) {
            int low = rest.intValue() & 0x7F;
            rest = rest.shiftRight(7);
            boolean signBit = (low & 0x40) != 0;
            if ((rest.signum() == 0 && !signBit) || (rest.equals(BigInteger.ONE.negate()) && signBit)) {
                out.write(low);
                return out.toByteArray();
            }
            out.write(low | 0x80);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}

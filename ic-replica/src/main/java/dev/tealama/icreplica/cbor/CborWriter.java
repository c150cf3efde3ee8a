package dev.tealama.icreplica.cbor;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Map;

/**
 * Encodes CBOR data items with definite lengths and the shortest argument encoding (RFC 8949 "preferred
 * serialization"); map entries in the order the map holds them.
 */
public final class CborWriter {

    private static final BigInteger MAX_ARGUMENT = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private CborWriter() {
    }

    /** The encoding of {@code value}. */
    public static byte[] encode(CborValue value) {
        CborWriter writer = new CborWriter();
        writer.write(value);
        return writer.out.toByteArray();
    }

    /** The encoding of {@code value} behind the self-describing tag 55799, as the IC sends its bodies. */
    public static byte[] encodeSelfDescribed(CborValue value) {
        return encode(CborValue.Tagged.selfDescribed(value));
    }

    private void write(CborValue value) {
        if (value instanceof CborValue.Unsigned) {
            writeInteger(0, ((CborValue.Unsigned) value).value(), 2);
        } else if (value instanceof CborValue.Negative) {
            writeInteger(1, ((CborValue.Negative) value).value().negate().subtract(BigInteger.ONE), 3);
        } else if (value instanceof CborValue.Bytes) {
            byte[] bytes = ((CborValue.Bytes) value).bytes();
            writeHead(2, bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof CborValue.Text) {
            byte[] bytes = ((CborValue.Text) value).utf8();
            writeHead(3, bytes.length);
            out.writeBytes(bytes);
        } else if (value instanceof CborValue.Array) {
            var items = ((CborValue.Array) value).items();
            writeHead(4, items.size());
            for (CborValue item : items) {
                write(item);
            }
        } else if (value instanceof CborValue.MapValue) {
            var entries = ((CborValue.MapValue) value).entries();
            writeHead(5, entries.size());
            for (Map.Entry<CborValue, CborValue> entry : entries.entrySet()) {
                write(entry.getKey());
                write(entry.getValue());
            }
        } else if (value instanceof CborValue.Tagged) {
            CborValue.Tagged tagged = (CborValue.Tagged) value;
            writeHead(6, tagged.tag());
            write(tagged.value());
        } else if (value instanceof CborValue.Simple) {
            int simple = ((CborValue.Simple) value).value();
            if (simple < 24) {
                out.write(0xE0 | simple);
            } else {
                out.write(0xF8);
                out.write(simple);
            }
        } else {
            out.write(0xFB);
            long bits = Double.doubleToLongBits(((CborValue.FloatValue) value).value());
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bits >>> shift));
            }
        }
    }

    /** An integer of major type 0 or 1; past 64 bits as a bignum with tag 2 or 3. */
    private void writeInteger(int major, BigInteger argument, int bignumTag) {
        if (argument.compareTo(MAX_ARGUMENT) <= 0) {
            writeHead(major, argument);
            return;
        }
        writeHead(6, BigInteger.valueOf(bignumTag));
        byte[] magnitude = argument.toByteArray();
        int skip = magnitude[0] == 0 ? 1 : 0;
        writeHead(2, magnitude.length - skip);
        out.write(magnitude, skip, magnitude.length - skip);
    }

    private void writeHead(int major, long argument) {
        writeHead(major, BigInteger.valueOf(argument));
    }

    private void writeHead(int major, BigInteger argument) {
        long value = argument.longValue();
        int type = major << 5;
        if (argument.compareTo(BigInteger.valueOf(24)) < 0) {
            out.write(type | (int) value);
        } else if (argument.bitLength() <= 8) {
            out.write(type | 24);
            out.write((int) value);
        } else if (argument.bitLength() <= 16) {
            out.write(type | 25);
            writeBigEndian(value, 2);
        } else if (argument.bitLength() <= 32) {
            out.write(type | 26);
            writeBigEndian(value, 4);
        } else {
            out.write(type | 27);
            writeBigEndian(value, 8);
        }
    }

    private void writeBigEndian(long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }
}

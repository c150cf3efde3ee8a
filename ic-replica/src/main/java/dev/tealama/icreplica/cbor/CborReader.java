package dev.tealama.icreplica.cbor;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one CBOR data item from a byte array, definite and indefinite lengths alike (Jackson, which ic4j uses,
 * writes maps with indefinite length). Bounded: a length is checked against the bytes that are left before anything
 * is allocated, nesting is limited, and anything left over after the item is an error.
 */
public final class CborReader {

    /** Deeper nesting than the IC ever uses (a read_state path list is three deep). */
    public static final int MAX_DEPTH = 64;

    private static final int BREAK = 0xFF;

    private final byte[] data;
    private int position;

    private CborReader(byte[] data) {
        this.data = data;
    }

    /**
     * Decodes {@code data}, which must hold exactly one item.
     *
     * @throws CborException naming what is wrong and at which offset
     */
    public static CborValue decode(byte[] data) {
        CborReader reader = new CborReader(data);
        if (data.length == 0) {
            throw new CborException("Empty input: expected a CBOR data item");
        }
        CborValue value = reader.readItem(0);
        if (reader.position != data.length) {
            throw new CborException((data.length - reader.position) + " bytes follow the CBOR data item at offset "
                    + reader.position);
        }
        return value;
    }

    private CborValue readItem(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        int start = position;
        int initial = nextByte();
        int major = initial >>> 5;
        int info = initial & 0x1F;
        switch (major) {
            case 0:
                return new CborValue.Unsigned(argument(info, start));
            case 1:
                return new CborValue.Negative(argument(info, start).add(BigInteger.ONE).negate());
            case 2:
                return new CborValue.Bytes(readString(major, info, start));
            case 3:
                return new CborValue.Text(utf8(readString(major, info, start), start));
            case 4:
                return readArray(info, start, depth);
            case 5:
                return readMap(info, start, depth);
            case 6:
                return readTagged(info, start, depth);
            default:
                return readSimpleOrFloat(info, start);
        }
    }

    private CborValue readArray(int info, int start, int depth) {
        List<CborValue> items = new ArrayList<>();
        if (info == 31) {
            while (peekByte() != BREAK) {
                items.add(readItem(depth + 1));
            }
            position++;
        } else {
            long count = length(info, start, 1);
            for (long i = 0; i < count; i++) {
                items.add(readItem(depth + 1));
            }
        }
        return new CborValue.Array(items);
    }

    private CborValue readMap(int info, int start, int depth) {
        Map<CborValue, CborValue> entries = new LinkedHashMap<>();
        if (info == 31) {
            while (peekByte() != BREAK) {
                readEntry(entries, depth);
            }
            position++;
        } else {
            long count = length(info, start, 2);
            for (long i = 0; i < count; i++) {
                readEntry(entries, depth);
            }
        }
        return new CborValue.MapValue(entries);
    }

    private void readEntry(Map<CborValue, CborValue> entries, int depth) {
        int keyAt = position;
        CborValue key = readItem(depth + 1);
        CborValue value = readItem(depth + 1);
        if (entries.put(key, value) != null) {
            throw new CborException("Duplicate map key " + key.describe() + " at offset " + keyAt
                    + " (the IC's CBOR forbids duplicate keys)");
        }
    }

    private CborValue readTagged(int info, int start, int depth) {
        BigInteger tag = argument(info, start);
        CborValue content = readItem(depth + 1);
        // Bignums (RFC 8949 section 3.4.3): the IC encodes naturals that do not fit 64 bits this way.
        if ((tag.equals(BigInteger.TWO) || tag.equals(BigInteger.valueOf(3))) && content instanceof CborValue.Bytes) {
            BigInteger magnitude = new BigInteger(1, ((CborValue.Bytes) content).bytes());
            return tag.equals(BigInteger.TWO) ? new CborValue.Unsigned(magnitude)
                    : new CborValue.Negative(magnitude.add(BigInteger.ONE).negate());
        }
        return new CborValue.Tagged(tag, content);
    }

    private CborValue readSimpleOrFloat(int info, int start) {
        switch (info) {
            case 24:
                return new CborValue.Simple(nextByte());
            case 25:
                return new CborValue.FloatValue(halfToDouble((int) readUnsigned(2)));
            case 26:
                return new CborValue.FloatValue(Float.intBitsToFloat((int) readUnsigned(4)));
            case 27:
                return new CborValue.FloatValue(Double.longBitsToDouble(readUnsigned(8)));
            case 28:
            case 29:
            case 30:
                throw errorAt(start, "reserved additional information " + info + " in a simple value");
            case 31:
                throw errorAt(start, "a 'break' outside an indefinite-length item");
            default:
                return new CborValue.Simple(info);
        }
    }

    private byte[] readString(int major, int info, int start) {
        if (info != 31) {
            int length = (int) length(info, start, 1);
            byte[] bytes = new byte[length];
            System.arraycopy(data, position, bytes, 0, length);
            position += length;
            return bytes;
        }
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        while (peekByte() != BREAK) {
            int chunkStart = position;
            int chunkInitial = nextByte();
            if (chunkInitial >>> 5 != major || (chunkInitial & 0x1F) == 31) {
                throw errorAt(chunkStart, "a chunk of an indefinite-length string must be a definite-length string"
                        + " of the same type");
            }
            int length = (int) length(chunkInitial & 0x1F, chunkStart, 1);
            chunks.write(data, position, length);
            position += length;
        }
        position++;
        return chunks.toByteArray();
    }

    /** A length (of a string, or a count of items of at least {@code minBytesEach}) that fits in what is left. */
    private long length(int info, int start, int minBytesEach) {
        BigInteger value = argument(info, start);
        long remaining = data.length - position;
        if (value.compareTo(BigInteger.valueOf(remaining / minBytesEach)) > 0) {
            throw errorAt(start, "a length of " + value + " but only " + remaining + " bytes are left");
        }
        return value.longValueExact();
    }

    private BigInteger argument(int info, int start) {
        if (info < 24) {
            return BigInteger.valueOf(info);
        }
        switch (info) {
            case 24:
                return BigInteger.valueOf(readUnsigned(1));
            case 25:
                return BigInteger.valueOf(readUnsigned(2));
            case 26:
                return BigInteger.valueOf(readUnsigned(4));
            case 27: {
                long value = readUnsigned(8);
                return value >= 0 ? BigInteger.valueOf(value)
                        : BigInteger.valueOf(value).add(BigInteger.ONE.shiftLeft(64));
            }
            default:
                throw errorAt(start, "additional information " + info + " is not allowed here");
        }
    }

    private long readUnsigned(int bytes) {
        if (data.length - position < bytes) {
            throw error("the input ends inside a " + bytes + "-byte argument");
        }
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value = (value << 8) | (data[position++] & 0xFF);
        }
        return value;
    }

    private int nextByte() {
        if (position >= data.length) {
            throw error("the input ends in the middle of a data item");
        }
        return data[position++] & 0xFF;
    }

    private int peekByte() {
        if (position >= data.length) {
            throw error("the input ends inside an indefinite-length item (no 'break')");
        }
        return data[position] & 0xFF;
    }

    private String utf8(byte[] bytes, int start) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw errorAt(start, "a text string that is not valid UTF-8");
        }
    }

    private static double halfToDouble(int half) {
        int exponent = (half >> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        double value;
        if (exponent == 0) {
            value = mantissa * Math.pow(2, -24);
        } else if (exponent != 31) {
            value = (mantissa + 1024) * Math.pow(2, exponent - 25);
        } else {
            value = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        return (half & 0x8000) != 0 ? -value : value;
    }

    private CborException error(String what) {
        return errorAt(position, what);
    }

    private static CborException errorAt(int offset, String what) {
        return new CborException("Malformed CBOR at offset " + offset + ": " + what);
    }
}

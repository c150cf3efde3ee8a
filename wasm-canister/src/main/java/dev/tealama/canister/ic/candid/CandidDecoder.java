package dev.tealama.canister.ic.candid;

import dev.tealama.canister.ic.candid.CandidType.Field;
import dev.tealama.canister.ic.candid.CandidType.Opt;
import dev.tealama.canister.ic.candid.CandidType.Primitive;
import dev.tealama.canister.ic.candid.CandidType.Record;
import dev.tealama.canister.ic.candid.CandidType.Vec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a Candid message ({@code DIDL}, type table, argument types, values) into the argument types a method
 * takes, following the specification's rules for what may stand in for what: extra record fields and extra
 * trailing arguments are skipped, a missing {@code opt} field or argument is {@code null}, and an {@code opt}
 * whose value does not fit becomes {@code null}. Anything malformed — wrong magic, a bad type table, a truncated
 * value, bytes left over, a value of another type — is a {@link CandidException} naming the problem.
 *
 * <p>Not supported (rejected with a clear message): {@code func} and {@code service} types, {@code principal}
 * references without their bytes, and vectors claiming more elements than the message has bytes.
 */
public final class CandidDecoder {
    private static final int MAX_DEPTH = 64;

    // The wire type table: entry i is an opt, vec, record or variant over type references (a reference >= 0 is a
    // table index, a negative one a primitive's type code).
    private static final int OPT = -18;
    private static final int VEC = -19;
    private static final int RECORD = -20;
    private static final int VARIANT = -21;

    private final byte[] bytes;
    private int pos;
    private int[] kinds;
    private int[] inner;      // opt and vec: the element type
    private long[][] fieldIds; // record and variant: field ids, ascending
    private int[][] fieldTypes;

    private CandidDecoder(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The values of a message whose arguments should have the given types.
     *
     * @throws CandidException if the message is malformed or its values do not fit the types
     */
    public static Object[] decode(byte[] message, List<CandidType> argumentTypes) {
        return new CandidDecoder(message).decodeArguments(argumentTypes);
    }

    private Object[] decodeArguments(List<CandidType> expected) {
        if (bytes.length < 4 || bytes[0] != 'D' || bytes[1] != 'I' || bytes[2] != 'D' || bytes[3] != 'L') {
            throw new CandidException("not a Candid message: it must start with the magic bytes DIDL");
        }
        pos = 4;
        readTypeTable();
        int count = count("argument count");
        int[] wireArgs = new int[count];
        for (int i = 0; i < count; i++) {
            wireArgs[i] = typeReference();
        }
        Object[] values = new Object[expected.size()];
        for (int i = 0; i < expected.size(); i++) {
            CandidType want = expected.get(i);
            if (i < count) {
                values[i] = value(wireArgs[i], want, "argument " + (i + 1), 0);
            } else if (isOptional(want)) {
                values[i] = null;
            } else {
                throw new CandidException("missing argument " + (i + 1) + " (" + want + "): the method takes "
                        + expected.size() + " argument(s), the message has " + count);
            }
        }
        for (int i = expected.size(); i < count; i++) {
            skip(wireArgs[i], 0);
        }
        if (pos != bytes.length) {
            throw new CandidException((bytes.length - pos) + " unexpected byte(s) after the last argument");
        }
        return values;
    }

    // ---- type table

    private void readTypeTable() {
        int n = count("type table size");
        kinds = new int[n];
        inner = new int[n];
        fieldIds = new long[n][];
        fieldTypes = new int[n][];
        for (int i = 0; i < n; i++) {
            long kind = sleb("type code");
            switch ((int) kind) {
                case OPT:
                case VEC:
                    kinds[i] = (int) kind;
                    inner[i] = reference(sleb("type reference")); // checked below, once the table's size is known
                    break;
                case RECORD:
                case VARIANT:
                    kinds[i] = (int) kind;
                    int fields = count("field count");
                    long[] ids = new long[fields];
                    int[] types = new int[fields];
                    for (int f = 0; f < fields; f++) {
                        ids[f] = leb("field id");
                        if (ids[f] > 0xFFFFFFFFL) {
                            throw new CandidException("field id " + ids[f] + " is larger than 32 bits");
                        }
                        if (f > 0 && ids[f] <= ids[f - 1]) {
                            throw new CandidException("type table: field ids must be strictly increasing");
                        }
                        types[f] = reference(sleb("type reference"));
                    }
                    fieldIds[i] = ids;
                    fieldTypes[i] = types;
                    break;
                case -22:
                    throw new CandidException("func types are not supported by this canister");
                case -23:
                    throw new CandidException("service types are not supported by this canister");
                default:
                    throw new CandidException("type table entry " + i + " has an invalid type code " + kind);
            }
        }
        for (int i = 0; i < n; i++) {
            if (kinds[i] == OPT || kinds[i] == VEC) {
                checkReference(inner[i]);
            } else {
                for (int t : fieldTypes[i]) {
                    checkReference(t);
                }
            }
        }
    }

    private int typeReference() {
        int ref = reference(sleb("type reference"));
        checkReference(ref);
        return ref;
    }

    private static int reference(long ref) {
        if (ref < -1000 || ref > Integer.MAX_VALUE) {
            throw new CandidException("type reference " + ref + " is out of range");
        }
        return (int) ref;
    }

    private void checkReference(int ref) {
        if (ref >= 0 ? ref >= kinds.length : Primitive.ofCode(ref) == null) {
            throw new CandidException("type reference " + ref + " is neither a primitive type nor an entry of the "
                    + kinds.length + "-entry type table");
        }
    }

    // ---- values

    private Object value(int wire, CandidType want, String where, int depth) {
        checkDepth(depth);
        if (want == Primitive.RESERVED) {
            skip(wire, depth);
            return null;
        }
        if (want instanceof Opt) {
            return optValue(wire, ((Opt) want).inner(), where, depth);
        }
        if (want instanceof Primitive) {
            return primitive(wire, (Primitive) want, where);
        }
        if (want instanceof Vec) {
            return vecValue(wire, ((Vec) want).element(), where, depth);
        }
        if (want instanceof Record) {
            return recordValue(wire, (Record) want, where, depth);
        }
        throw new CandidException(where + ": unsupported type " + want);
    }

    private Object optValue(int wire, CandidType want, String where, int depth) {
        if (wire == Primitive.NULL.code || wire == Primitive.RESERVED.code) {
            return null;
        }
        if (wire >= 0 && kinds[wire] == OPT) {
            int flag = u8(where);
            if (flag == 0) {
                return null;
            }
            if (flag != 1) {
                throw new CandidException(where + ": an opt value must start with 0 or 1, not " + flag);
            }
            if (fits(inner[wire], want)) {
                return value(inner[wire], want, where, depth + 1);
            }
            skip(inner[wire], depth + 1);
            return null;
        }
        // A plain value where an opt is expected: the value if it fits, else null (the specification's coercion).
        if (!isOptional(want) && fits(wire, want)) {
            return value(wire, want, where, depth + 1);
        }
        skip(wire, depth);
        return null;
    }

    private Object primitive(int wire, Primitive want, String where) {
        boolean natAsInt = want == Primitive.INT && wire == Primitive.NAT.code;
        if (wire != want.code && !natAsInt) {
            throw new CandidException(where + ": expected " + want + ", got " + describe(wire));
        }
        switch (want) {
            case NULL:
                return null;
            case BOOL: {
                int b = u8(where);
                if (b > 1) {
                    throw new CandidException(where + ": a bool must be 0 or 1, not " + b);
                }
                return b == 1;
            }
            case NAT8: return (long) u8(where);
            case INT8: return (long) (byte) u8(where);
            case NAT16: return fixed(2, where) & 0xFFFFL;
            case INT16: return (long) (short) fixed(2, where);
            case NAT32: return fixed(4, where) & 0xFFFFFFFFL;
            case INT32: return (long) (int) fixed(4, where);
            case NAT64:
            case INT64: return fixed(8, where);
            case FLOAT32: return Float.intBitsToFloat((int) fixed(4, where));
            case FLOAT64: return Double.longBitsToDouble(fixed(8, where));
            case NAT:
                return natAsLong(where);
            case INT: {
                if (natAsInt) {
                    return natAsLong(where);
                }
                return sleb(where);
            }
            case TEXT: return text(where);
            default:
                throw new CandidException(where + ": unsupported type " + want);
        }
    }

    private long natAsLong(String where) {
        long v = leb(where);
        if (v < 0) {
            throw new CandidException(where + ": the number does not fit in 63 bits");
        }
        return v;
    }

    private Object vecValue(int wire, CandidType element, String where, int depth) {
        if (wire < 0 || kinds[wire] != VEC) {
            throw new CandidException(where + ": expected " + CandidType.vec(element) + ", got " + describe(wire));
        }
        int count = count(where + " length");
        int wireElement = inner[wire];
        if (element == Primitive.NAT8 && wireElement == Primitive.NAT8.code) {
            need(count, where);
            byte[] blob = new byte[count];
            System.arraycopy(bytes, pos, blob, 0, count);
            pos += count;
            return blob;
        }
        List<Object> list = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            list.add(value(wireElement, element, where + "[" + i + "]", depth + 1));
        }
        return list;
    }

    private RecordValue recordValue(int wire, Record want, String where, int depth) {
        if (wire < 0 || kinds[wire] != RECORD) {
            throw new CandidException(where + ": expected a record, got " + describe(wire));
        }
        RecordValue record = new RecordValue(want);
        List<Field> fields = want.fields();
        long[] ids = fieldIds[wire];
        int[] types = fieldTypes[wire];
        int next = 0; // both lists are sorted by id: walk them together
        for (int w = 0; w < ids.length; w++) {
            while (next < fields.size() && fields.get(next).id() < ids[w]) {
                missingField(record, next++, where);
            }
            if (next < fields.size() && fields.get(next).id() == ids[w]) {
                Field f = fields.get(next);
                record.setValue(next++, value(types[w], f.type(), where + "." + f.name(), depth + 1));
            } else {
                skip(types[w], depth + 1);
            }
        }
        while (next < fields.size()) {
            missingField(record, next++, where);
        }
        return record;
    }

    private static void missingField(RecordValue record, int index, String where) {
        Field f = record.type().fields().get(index);
        if (!isOptional(f.type())) {
            throw new CandidException(where + ": the record has no field '" + f.name() + "' (" + f.type() + ")");
        }
        record.setValue(index, null);
    }

    /** Whether a value of wire type {@code wire} can be read as {@code want} (the subtype check, statically). */
    private boolean fits(int wire, CandidType want) {
        if (want == Primitive.RESERVED || want instanceof Opt) {
            return true;
        }
        if (wire == Primitive.EMPTY.code) {
            return true;
        }
        if (want instanceof Primitive) {
            return wire == ((Primitive) want).code || (want == Primitive.INT && wire == Primitive.NAT.code);
        }
        if (wire < 0) {
            return false;
        }
        if (want instanceof Vec) {
            return kinds[wire] == VEC && fits(inner[wire], ((Vec) want).element());
        }
        if (want instanceof Record) {
            if (kinds[wire] != RECORD) {
                return false;
            }
            for (Field f : ((Record) want).fields()) {
                int at = indexOf(fieldIds[wire], f.id());
                if (at < 0 ? !isOptional(f.type()) : !fits(fieldTypes[wire][at], f.type())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static int indexOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isOptional(CandidType t) {
        return t instanceof Opt || t == Primitive.NULL || t == Primitive.RESERVED;
    }

    /** Reads past a value of the wire type, checking that it is well-formed. */
    private void skip(int wire, int depth) {
        checkDepth(depth);
        if (wire < 0) {
            Primitive p = Primitive.ofCode(wire);
            int size = p.fixedSize();
            if (size >= 0) {
                if (p == Primitive.BOOL) {
                    primitive(wire, p, "a skipped value");
                } else {
                    need(size, "a skipped value");
                    pos += size;
                }
                return;
            }
            switch (p) {
                case NAT: leb("a skipped nat"); return;
                case INT: sleb("a skipped int"); return;
                case TEXT: text("a skipped text"); return;
                case PRINCIPAL: {
                    if (u8("a skipped principal") != 1) {
                        throw new CandidException("principal references without their bytes are not supported");
                    }
                    int n = count("principal length");
                    need(n, "a skipped principal");
                    pos += n;
                    return;
                }
                case EMPTY: throw new CandidException("a value of type empty cannot exist");
                default: throw new CandidException("cannot skip a value of type " + p);
            }
        }
        switch (kinds[wire]) {
            case OPT: {
                int flag = u8("a skipped opt");
                if (flag == 1) {
                    skip(inner[wire], depth + 1);
                } else if (flag != 0) {
                    throw new CandidException("an opt value must start with 0 or 1, not " + flag);
                }
                return;
            }
            case VEC: {
                int n = count("a skipped vector's length");
                for (int i = 0; i < n; i++) {
                    skip(inner[wire], depth + 1);
                }
                return;
            }
            case RECORD:
                for (int t : fieldTypes[wire]) {
                    skip(t, depth + 1);
                }
                return;
            default: { // VARIANT
                long index = leb("a variant's case");
                if (index >= fieldTypes[wire].length) {
                    throw new CandidException("variant case " + index + " is out of range");
                }
                skip(fieldTypes[wire][(int) index], depth + 1);
            }
        }
    }

    private String describe(int wire) {
        if (wire < 0) {
            return Primitive.ofCode(wire).toString();
        }
        switch (kinds[wire]) {
            case OPT: return "opt " + describe(inner[wire]);
            case VEC: return "vec " + (inner[wire] < 0 ? describe(inner[wire]) : "...");
            case RECORD: return "a record";
            default: return "a variant";
        }
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new CandidException("values are nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    // ---- bytes

    private void need(long n, String what) {
        if (n > bytes.length - pos) {
            throw new CandidException("the message ends in the middle of " + what);
        }
    }

    private int u8(String what) {
        need(1, what);
        return bytes[pos++] & 0xFF;
    }

    private long fixed(int n, String what) {
        need(n, what);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (bytes[pos + i] & 0xFFL) << (8 * i);
        }
        pos += n;
        return v;
    }

    private String text(String what) {
        int n = count(what + " length");
        need(n, what);
        String s = Utf8Check.decode(bytes, pos, n);
        if (s == null) {
            throw new CandidException(what + ": the text is not valid UTF-8");
        }
        pos += n;
        return s;
    }

    /** A count (a length, a number of entries): a LEB128 nat that cannot exceed the bytes left in the message. */
    private int count(String what) {
        long n = leb(what);
        if (n > bytes.length - pos) {
            throw new CandidException(what + " " + n + " is larger than the rest of the message (" + (bytes.length - pos)
                    + " bytes)");
        }
        return (int) n;
    }

    /** An unsigned LEB128 number of at most 64 bits. */
    private long leb(String what) {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = u8(what);
            if (shift == 63 && (b & 0x7E) != 0 || shift > 63) {
                throw new CandidException(what + ": the number does not fit in 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    /** A signed LEB128 number of at most 64 bits. */
    private long sleb(String what) {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = u8(what);
            if (shift > 63) {
                throw new CandidException(what + ": the number does not fit in 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /** UTF-8 well-formedness, as Candid requires of text. */
    static final class Utf8Check {
        private Utf8Check() {
        }

        /** The text, or null if the bytes are not well-formed UTF-8. */
        static String decode(byte[] b, int from, int length) {
            int i = from;
            int end = from + length;
            while (i < end) {
                int c = b[i] & 0xFF;
                int extra;
                int min;
                if (c < 0x80) {
                    i++;
                    continue;
                } else if (c >= 0xC2 && c <= 0xDF) {
                    extra = 1;
                    min = 0x80;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    extra = 2;
                    min = 0x800;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    extra = 3;
                    min = 0x10000;
                } else {
                    return null;
                }
                if (i + extra >= end) {
                    return null;
                }
                int cp = c & (0x3F >> extra);
                for (int k = 1; k <= extra; k++) {
                    int cc = b[i + k] & 0xFF;
                    if ((cc & 0xC0) != 0x80) {
                        return null;
                    }
                    cp = cp << 6 | (cc & 0x3F);
                }
                if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    return null;
                }
                i += extra + 1;
            }
            return new String(b, from, length, StandardCharsets.UTF_8);
        }
    }
}

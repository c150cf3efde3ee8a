package dev.tealama.canister.ic.candid;

import dev.tealama.canister.ic.candid.CandidType.Opt;
import dev.tealama.canister.ic.candid.CandidType.Primitive;
import dev.tealama.canister.ic.candid.CandidType.Record;
import dev.tealama.canister.ic.candid.CandidType.Vec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes values as a Candid message of the given types: {@code DIDL}, a type table with one entry per compound
 * type (in the order first met), the argument types, the values. Java values as {@link CandidType} describes them.
 */
public final class CandidEncoder {
    private final ByteArrayOutputStream values = new ByteArrayOutputStream();
    private final List<byte[]> entries = new ArrayList<>(); // the type table, by index

    private CandidEncoder() {
    }

    /** The message for these values of these types. */
    public static byte[] encode(List<CandidType> types, Object... args) {
        if (types.size() != args.length) {
            throw new IllegalArgumentException(types.size() + " types but " + args.length + " values");
        }
        CandidEncoder e = new CandidEncoder();
        int[] refs = new int[types.size()];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = e.reference(types.get(i));
        }
        for (int i = 0; i < refs.length; i++) {
            e.value(types.get(i), args[i], e.values);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('D');
        out.write('I');
        out.write('D');
        out.write('L');
        leb(out, e.entries.size());
        for (byte[] entry : e.entries) {
            out.write(entry, 0, entry.length);
        }
        leb(out, refs.length);
        for (int r : refs) {
            sleb(out, r);
        }
        out.write(e.values.toByteArray(), 0, e.values.size());
        return out.toByteArray();
    }

    /**
     * The type reference of {@code t}: its code for a primitive, else the index of a new type table entry. An
     * entry's index is taken before its children's, and its bytes are stored once the children's indices are known.
     */
    private int reference(CandidType t) {
        if (t instanceof Primitive) {
            return ((Primitive) t).code;
        }
        int index = entries.size();
        entries.add(null);
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        if (t instanceof Opt || t instanceof Vec) {
            CandidType inner = t instanceof Opt ? ((Opt) t).inner() : ((Vec) t).element();
            int child = reference(inner);
            sleb(entry, t instanceof Opt ? -18 : -19);
            sleb(entry, child);
        } else {
            Record r = (Record) t;
            int[] children = new int[r.fields().size()];
            for (int i = 0; i < children.length; i++) {
                children[i] = reference(r.fields().get(i).type());
            }
            sleb(entry, -20);
            leb(entry, children.length);
            for (int i = 0; i < children.length; i++) {
                leb(entry, r.fields().get(i).id());
                sleb(entry, children[i]);
            }
        }
        entries.set(index, entry.toByteArray());
        return index;
    }

    private void value(CandidType t, Object v, ByteArrayOutputStream out) {
        if (t instanceof Opt) {
            if (v == null) {
                out.write(0);
            } else {
                out.write(1);
                value(((Opt) t).inner(), v, out);
            }
        } else if (t instanceof Vec) {
            CandidType element = ((Vec) t).element();
            if (v instanceof byte[]) {
                byte[] blob = (byte[]) v;
                leb(out, blob.length);
                out.write(blob, 0, blob.length);
            } else {
                List<?> list = (List<?>) v;
                leb(out, list.size());
                for (Object item : list) {
                    value(element, item, out);
                }
            }
        } else if (t instanceof Record) {
            RecordValue record = (RecordValue) v;
            for (int i = 0; i < ((Record) t).fields().size(); i++) {
                value(((Record) t).fields().get(i).type(), record.value(i), out);
            }
        } else {
            primitive((Primitive) t, v, out);
        }
    }

    private static void primitive(Primitive p, Object v, ByteArrayOutputStream out) {
        switch (p) {
            case NULL:
            case RESERVED:
                return;
            case BOOL:
                out.write((Boolean) v ? 1 : 0);
                return;
            case NAT8: case INT8: fixed(out, (Long) v, 1); return;
            case NAT16: case INT16: fixed(out, (Long) v, 2); return;
            case NAT32: case INT32: fixed(out, (Long) v, 4); return;
            case NAT64: case INT64: fixed(out, (Long) v, 8); return;
            case FLOAT32: fixed(out, Float.floatToRawIntBits((Float) v) & 0xFFFFFFFFL, 4); return;
            case FLOAT64: fixed(out, Double.doubleToRawLongBits((Double) v), 8); return;
            case NAT: leb(out, (Long) v); return;
            case INT: sleb(out, (Long) v); return;
            case TEXT: {
                byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
                leb(out, b.length);
                out.write(b, 0, b.length);
                return;
            }
            default:
                throw new IllegalArgumentException("cannot encode " + p);
        }
    }

    private static void fixed(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    static void leb(ByteArrayOutputStream out, long v) {
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    static void sleb(ByteArrayOutputStream out, long v) {
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            out.write(done ? b : b | 0x80);
            if (done) {
                return;
            }
        }
    }
}

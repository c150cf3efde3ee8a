package dev.tealama.canister.ic.candid;

import dev.tealama.canister.ic.candid.CandidType.Field;
import dev.tealama.canister.ic.candid.CandidType.Opt;
import dev.tealama.canister.ic.candid.CandidType.Primitive;
import dev.tealama.canister.ic.candid.CandidType.Record;
import dev.tealama.canister.ic.candid.CandidType.Vec;
import org.ic4j.candid.parser.IDLArgs;
import org.ic4j.candid.parser.IDLType;
import org.ic4j.candid.parser.IDLValue;
import org.ic4j.candid.types.Label;
import org.ic4j.candid.types.Type;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ic4j-candid (DFINITY-community Candid for the JVM) as the independent reference: converts our types and values
 * to ic4j's and back, and encodes and decodes with it.
 */
final class Ic4j {
    private Ic4j() {
    }

    static IDLType type(CandidType t) {
        if (t instanceof Primitive) {
            switch ((Primitive) t) {
                case BOOL: return IDLType.createType(Type.BOOL);
                case NAT8: return IDLType.createType(Type.NAT8);
                case NAT32: return IDLType.createType(Type.NAT32);
                case NAT64: return IDLType.createType(Type.NAT64);
                case FLOAT32: return IDLType.createType(Type.FLOAT32);
                case TEXT: return IDLType.createType(Type.TEXT);
                case NULL: return IDLType.createType(Type.NULL);
                default: throw new IllegalArgumentException("no mapping for " + t);
            }
        }
        if (t instanceof Opt) {
            return IDLType.createType(Type.OPT, type(((Opt) t).inner()));
        }
        if (t instanceof Vec) {
            return IDLType.createType(Type.VEC, type(((Vec) t).element()));
        }
        Map<Label, IDLType> fields = new TreeMap<>();
        for (Field f : ((Record) t).fields()) {
            fields.put(Label.createNamedLabel(f.name()), type(f.type()));
        }
        return IDLType.createType(Type.RECORD, fields);
    }

    /** Our value as ic4j wants it. */
    static Object value(CandidType t, Object v) {
        if (t instanceof Opt) {
            return v == null ? Optional.empty() : Optional.of(value(((Opt) t).inner(), v));
        }
        if (t instanceof Vec) {
            CandidType e = ((Vec) t).element();
            if (e == Primitive.NAT8) {
                return v;
            }
            List<?> list = (List<?>) v;
            Object[] out = (Object[]) Array.newInstance(javaClass(e), list.size());
            for (int i = 0; i < out.length; i++) {
                out[i] = value(e, list.get(i));
            }
            return out;
        }
        if (t instanceof Record) {
            Map<Label, Object> out = new TreeMap<>();
            for (Field f : ((Record) t).fields()) {
                out.put(Label.createNamedLabel(f.name()), value(f.type(), ((RecordValue) v).get(f.name())));
            }
            return out;
        }
        if (t == Primitive.NAT32) {
            return (int) (long) (Long) v;
        }
        if (t == Primitive.NAT8) {
            return (byte) (long) (Long) v;
        }
        return v;
    }

    private static Class<?> javaClass(CandidType t) {
        if (t == Primitive.NAT32) return Integer.class;
        if (t == Primitive.NAT64) return Long.class;
        if (t == Primitive.TEXT) return String.class;
        if (t == Primitive.BOOL) return Boolean.class;
        if (t == Primitive.FLOAT32) return Float.class;
        if (t instanceof Record) return Map.class;
        if (t instanceof Vec && ((Vec) t).element() == Primitive.NAT8) return byte[].class;
        return Object.class;
    }

    /** An ic4j value converted back to our representation. */
    static Object fromIc4j(CandidType t, Object v) {
        if (t instanceof Opt) {
            Optional<?> o = (Optional<?>) v;
            return o.isPresent() ? fromIc4j(((Opt) t).inner(), o.get()) : null;
        }
        if (t instanceof Vec) {
            CandidType e = ((Vec) t).element();
            int n = Array.getLength(v);
            if (e == Primitive.NAT8) {
                byte[] out = new byte[n];
                for (int i = 0; i < n; i++) {
                    out[i] = ((Number) Array.get(v, i)).byteValue();
                }
                return out;
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(fromIc4j(e, Array.get(v, i)));
            }
            return out;
        }
        if (t instanceof Record) {
            RecordValue out = new RecordValue((Record) t);
            Map<?, ?> map = (Map<?, ?>) v;
            for (Field f : ((Record) t).fields()) {
                out.set(f.name(), fromIc4j(f.type(), map.get(Label.createNamedLabel(f.name()))));
            }
            return out;
        }
        if (t == Primitive.NAT32) {
            return ((Integer) v).longValue() & 0xFFFFFFFFL;
        }
        return v;
    }

    static byte[] encode(List<CandidType> types, Object... values) {
        List<IDLValue> args = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            args.add(IDLValue.create(value(types.get(i), values[i]), type(types.get(i))));
        }
        return IDLArgs.create(args).toBytes();
    }

    static Object[] decode(byte[] message, List<CandidType> types) {
        IDLType[] idl = new IDLType[types.size()];
        for (int i = 0; i < idl.length; i++) {
            idl[i] = type(types.get(i));
        }
        List<IDLValue> args = IDLArgs.fromBytes(message, idl).getArgs();
        Object[] out = new Object[types.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fromIc4j(types.get(i), args.get(i).getValue(idl[i]));
        }
        return out;
    }
}

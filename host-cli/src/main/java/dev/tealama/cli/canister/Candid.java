package dev.tealama.cli.canister;

import org.ic4j.candid.CandidError;
import org.ic4j.candid.parser.IDLArgs;
import org.ic4j.candid.parser.IDLType;
import org.ic4j.candid.parser.IDLValue;
import org.ic4j.candid.types.Label;
import org.ic4j.candid.types.Type;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Candid through ic4j-candid (DFINITY community's Candid for the JVM), with the types spelled out so that nothing is
 * guessed from Java classes: {@link #encode} takes ic4j's value shapes (records as {@link TreeMap}s keyed by
 * {@link Label}, {@code opt} as {@link Optional}, {@code blob} as {@code byte[]}), {@link #decode} returns them and
 * {@link Fields} reads a decoded record by field name.
 *
 * <p>ic4j-candid reports malformed data with {@link CandidError}, a {@link java.lang.Error}: callers catch it and say
 * which message failed to decode ({@link CanisterCallException#undecodable}).
 */
final class Candid {
    private Candid() {
    }

    static final IDLType BOOL = IDLType.createType(Type.BOOL);
    static final IDLType NAT32 = IDLType.createType(Type.NAT32);
    static final IDLType NAT64 = IDLType.createType(Type.NAT64);
    static final IDLType FLOAT32 = IDLType.createType(Type.FLOAT32);
    static final IDLType TEXT = IDLType.createType(Type.TEXT);
    static final IDLType BLOB = vec(IDLType.createType(Type.NAT8));

    static IDLType opt(IDLType inner) {
        return IDLType.createType(Type.OPT, inner);
    }

    static IDLType vec(IDLType element) {
        return IDLType.createType(Type.VEC, element);
    }

    /** A record type from alternating field names and types. */
    static IDLType record(Object... namesAndTypes) {
        Map<Label, IDLType> fields = new TreeMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            fields.put(Label.createNamedLabel((String) namesAndTypes[i]), (IDLType) namesAndTypes[i + 1]);
        }
        return IDLType.createType(Type.RECORD, fields);
    }

    /** A record value from alternating field names and values (ic4j needs a {@link TreeMap}). */
    static Map<Label, Object> recordValue(Object... namesAndValues) {
        Map<Label, Object> fields = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(Label.createNamedLabel((String) namesAndValues[i]), namesAndValues[i + 1]);
        }
        return fields;
    }

    /** {@code opt}: empty for null. */
    static Optional<Object> optional(Object value) {
        return Optional.ofNullable(value);
    }

    /** The message for a method's arguments. */
    static byte[] encode(List<IDLType> types, Object... values) {
        if (types.size() != values.length) {
            throw new IllegalArgumentException(types.size() + " types for " + values.length + " values");
        }
        List<IDLValue> args = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            args.add(IDLValue.create(values[i], types.get(i)));
        }
        return IDLArgs.create(args).toBytes();
    }

    /** The values of a reply, read as {@code types} (ic4j's shapes). */
    static Object[] decode(byte[] message, List<IDLType> types) {
        IDLType[] expected = types.toArray(IDLType[]::new);
        List<IDLValue> args = IDLArgs.fromBytes(message, expected).getArgs();
        if (args.size() < expected.length) {
            throw new IllegalArgumentException("the reply has " + args.size() + " values, " + expected.length
                    + " expected");
        }
        Object[] values = new Object[expected.length];
        for (int i = 0; i < expected.length; i++) {
            values[i] = args.get(i).getValue(expected[i]);
        }
        return values;
    }

    /** A decoded record, read by field name. */
    static final class Fields {
        private final Map<?, ?> fields;

        Fields(Object record) {
            if (!(record instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("not a record: " + record);
            }
            this.fields = map;
        }

        private Object get(String name) {
            Object value = fields.get(Label.createNamedLabel(name));
            if (value == null) {
                throw new IllegalArgumentException("the record has no field " + name);
            }
            return value;
        }

        /** An optional field's value, or null for {@code null} or a missing field. */
        private Object optional(String name) {
            Object value = fields.get(Label.createNamedLabel(name));
            if (value instanceof Optional<?> o) {
                return o.orElse(null);
            }
            return value;
        }

        String text(String name) {
            return (String) get(name);
        }

        boolean bool(String name) {
            return (Boolean) get(name);
        }

        long nat64(String name) {
            return ((Number) get(name)).longValue();
        }

        /** A {@code nat32}: ic4j gives a signed int; values past 2^31 come back as their unsigned value. */
        long nat32(String name) {
            return Integer.toUnsignedLong(((Number) get(name)).intValue());
        }

        byte[] blob(String name) {
            return bytes(get(name));
        }

        Fields record(String name) {
            return new Fields(get(name));
        }

        /** A {@code vec nat32} as ints. */
        int[] nat32s(String name) {
            Object array = get(name);
            int n = Array.getLength(array);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = ((Number) Array.get(array, i)).intValue();
            }
            return out;
        }

        List<String> texts(String name) {
            Object array = get(name);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(array); i++) {
                out.add((String) Array.get(array, i));
            }
            return Collections.unmodifiableList(out);
        }

        List<Fields> records(String name) {
            Object array = get(name);
            List<Fields> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(array); i++) {
                out.add(new Fields(Array.get(array, i)));
            }
            return Collections.unmodifiableList(out);
        }

        String optionalText(String name) {
            return (String) optional(name);
        }

        Long optionalNat64(String name) {
            Object v = optional(name);
            return v == null ? null : ((Number) v).longValue();
        }

        Long optionalNat32(String name) {
            Object v = optional(name);
            return v == null ? null : Integer.toUnsignedLong(((Number) v).intValue());
        }

        Fields optionalRecord(String name) {
            Object v = optional(name);
            return v == null ? null : new Fields(v);
        }
    }

    /** A {@code blob} as ic4j decodes it ({@code byte[]} or an array of numbers). */
    static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b.clone();
        }
        int n = Array.getLength(value);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((Number) Array.get(value, i)).byteValue();
        }
        return out;
    }
}

package dev.tealama.canister.ic.candid;

import java.util.Arrays;

/** The value of a {@link CandidType.Record}: one value per field, looked up by name. */
public final class RecordValue {
    private final CandidType.Record type;
    private final Object[] values;

    public RecordValue(CandidType.Record type) {
        this.type = type;
        this.values = new Object[type.fields().size()];
    }

    public CandidType.Record type() {
        return type;
    }

    /** Sets a field; returns this record for chaining. */
    public RecordValue set(String name, Object value) {
        values[index(name)] = value;
        return this;
    }

    public Object get(String name) {
        return values[index(name)];
    }

    Object value(int fieldIndex) {
        return values[fieldIndex];
    }

    void setValue(int fieldIndex, Object value) {
        values[fieldIndex] = value;
    }

    private int index(String name) {
        int i = 0;
        for (CandidType.Field f : type.fields()) {
            if (f.name().equals(name)) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("no field " + name + " in " + type);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RecordValue)) {
            return false;
        }
        RecordValue r = (RecordValue) o;
        if (!r.type.equals(type)) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!CandidValues.equal(values[i], r.values[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + values.length;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("record {");
        int i = 0;
        for (CandidType.Field f : type.fields()) {
            Object v = values[i++];
            b.append(' ').append(f.name()).append(" = ")
                    .append(v instanceof byte[] ? Arrays.toString((byte[]) v) : String.valueOf(v)).append(';');
        }
        return b.append(" }").toString();
    }
}

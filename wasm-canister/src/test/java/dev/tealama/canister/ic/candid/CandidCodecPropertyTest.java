package dev.tealama.canister.ic.candid;

import dev.tealama.canister.api.Interface;
import dev.tealama.canister.ic.candid.CandidType.Field;
import dev.tealama.canister.ic.candid.CandidType.Opt;
import dev.tealama.canister.ic.candid.CandidType.Primitive;
import dev.tealama.canister.ic.candid.CandidType.Record;
import dev.tealama.canister.ic.candid.CandidType.Vec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our Candid codec against ic4j-candid, an independent implementation, on every argument list and reply type of
 * canister.did: what one encodes the other decodes to the same values; and malformed messages (every truncation, a
 * trailing byte, random corruption, values of other types) are rejected with a {@link CandidException}, never
 * another exception.
 */
class CandidCodecPropertyTest {

    /** Every argument list and (single-value) reply of the interface. */
    static final List<List<CandidType>> SIGNATURES = List.of(
            Interface.UPLOAD_BEGIN_ARGS, Interface.UPLOAD_CHUNK_ARGS, Interface.SESSION_START_ARGS,
            Interface.SESSION_ID_ARGS, Interface.CONFIG_ARGS, Interface.INIT_ARGS,
            List.of(Interface.UPLOAD_STATUS), List.of(Interface.CHUNK_RECEIPT), List.of(Interface.LOAD_PROGRESS),
            List.of(Interface.MODEL_INFO), List.of(Interface.SESSION_STARTED), List.of(Interface.STEP_REPLY),
            List.of(Interface.SESSION_STATUS), List.of(Interface.BLOB));

    @Provide
    Arbitrary<Tuple.Tuple2<List<CandidType>, Object[]>> messages() {
        return Arbitraries.of(SIGNATURES).flatMap(types -> {
            List<Arbitrary<Object>> args = new ArrayList<>();
            for (CandidType t : types) {
                args.add(valueOf(t));
            }
            return Combinators.combine(args).as(values -> Tuple.of(types, values.toArray()));
        });
    }

    @Property(tries = 300)
    void ic4jDecodesWhatWeEncode(@ForAll("messages") Tuple.Tuple2<List<CandidType>, Object[]> m) {
        byte[] ours = CandidEncoder.encode(m.get1(), m.get2());
        assertValuesEqual(m.get2(), Ic4j.decode(ours, m.get1()));
    }

    @Property(tries = 300)
    void weDecodeWhatIc4jEncodes(@ForAll("messages") Tuple.Tuple2<List<CandidType>, Object[]> m) {
        byte[] theirs = Ic4j.encode(m.get1(), m.get2());
        assertValuesEqual(m.get2(), CandidDecoder.decode(theirs, m.get1()));
        assertValuesEqual(m.get2(), CandidDecoder.decode(CandidEncoder.encode(m.get1(), m.get2()), m.get1()));
    }

    @Property(tries = 100)
    void everyTruncationIsRejected(@ForAll("messages") Tuple.Tuple2<List<CandidType>, Object[]> m) {
        byte[] full = CandidEncoder.encode(m.get1(), m.get2());
        for (int n = 0; n < full.length; n++) {
            byte[] prefix = Arrays.copyOf(full, n);
            assertThrows(CandidException.class, () -> CandidDecoder.decode(prefix, m.get1()), "prefix of " + n + " bytes");
        }
    }

    @Property(tries = 100)
    void trailingBytesAreRejected(@ForAll("messages") Tuple.Tuple2<List<CandidType>, Object[]> m,
                                  @ForAll byte extra) {
        byte[] full = CandidEncoder.encode(m.get1(), m.get2());
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        longer[full.length] = extra;
        CandidException e = assertThrows(CandidException.class, () -> CandidDecoder.decode(longer, m.get1()));
        assertTrue(e.getMessage().contains("unexpected byte"), e.getMessage());
    }

    @Property(tries = 1000)
    void corruptMessagesDecodeOrFailCleanly(@ForAll("messages") Tuple.Tuple2<List<CandidType>, Object[]> m,
                                            @ForAll int position, @ForAll byte value) {
        byte[] bytes = CandidEncoder.encode(m.get1(), m.get2());
        bytes[Math.floorMod(position, bytes.length)] = value;
        try {
            CandidDecoder.decode(bytes, m.get1());
        } catch (CandidException expected) {
            // a clean rejection
        }
    }

    @Property(tries = 300)
    void valuesOfAnotherTypeAreRejected(@ForAll("messages") Tuple.Tuple2<List<CandidType>, Object[]> m,
                                        @ForAll("signatures") List<CandidType> other) {
        byte[] bytes = CandidEncoder.encode(m.get1(), m.get2());
        if (other.equals(m.get1()) || subsumes(m.get1(), other)) {
            return;
        }
        assertThrows(CandidException.class, () -> CandidDecoder.decode(bytes, other),
                () -> m.get1() + " read as " + other);
    }

    @Provide
    Arbitrary<List<CandidType>> signatures() {
        return Arbitraries.of(SIGNATURES);
    }

    /**
     * Whether a message of {@code sent} types may be read as {@code wanted} under Candid's subtyping rules: extra
     * arguments and record fields are ignored, a missing or mismatched {@code opt} is null.
     */
    private static boolean subsumes(List<CandidType> sent, List<CandidType> wanted) {
        for (int i = 0; i < wanted.size(); i++) {
            if (i >= sent.size() ? !(wanted.get(i) instanceof Opt) : !readable(sent.get(i), wanted.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean readable(CandidType sent, CandidType wanted) {
        if (wanted instanceof Opt) {
            return true;
        }
        if (wanted instanceof Primitive) {
            return sent == wanted;
        }
        if (wanted instanceof Vec) {
            return sent instanceof Vec && readable(((Vec) sent).element(), ((Vec) wanted).element());
        }
        if (!(sent instanceof Record)) {
            return false;
        }
        for (Field w : ((Record) wanted).fields()) {
            Field match = null;
            for (Field f : ((Record) sent).fields()) {
                if (f.id() == w.id()) {
                    match = f;
                }
            }
            if (match == null ? !(w.type() instanceof Opt) : !readable(match.type(), w.type())) {
                return false;
            }
        }
        return true;
    }

    private static void assertValuesEqual(Object[] expected, Object[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            int k = i;
            assertTrue(CandidValues.equal(expected[i], actual[i]),
                    () -> "argument " + k + ": expected " + show(expected[k]) + " but got " + show(actual[k]));
        }
    }

    private static String show(Object v) {
        return v instanceof byte[] ? Arrays.toString((byte[]) v) : String.valueOf(v);
    }

    /** Random values of a type, edge cases included (empty texts and vectors, extreme numbers, absent opts). */
    static Arbitrary<Object> valueOf(CandidType t) {
        if (t instanceof Opt) {
            return valueOf(((Opt) t).inner()).injectNull(0.3);
        }
        if (t instanceof Vec) {
            CandidType e = ((Vec) t).element();
            if (e == Primitive.NAT8) {
                return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> (Object) b);
            }
            return valueOf(e).list().ofMaxSize(4).map(l -> (Object) l);
        }
        if (t instanceof Record) {
            Record r = (Record) t;
            List<Arbitrary<Object>> fields = new ArrayList<>();
            for (Field f : r.fields()) {
                fields.add(valueOf(f.type()));
            }
            return Combinators.combine(fields).as(values -> {
                RecordValue v = new RecordValue(r);
                for (int i = 0; i < values.size(); i++) {
                    v.set(r.fields().get(i).name(), values.get(i));
                }
                return (Object) v;
            });
        }
        switch ((Primitive) t) {
            case BOOL: return Arbitraries.of(true, false).map(b -> (Object) b);
            case NAT8: return Arbitraries.longs().between(0, 255).map(x -> (Object) x);
            case NAT32: return Arbitraries.longs().between(0, 0xFFFFFFFFL).map(x -> (Object) x);
            case NAT64: return Arbitraries.longs().map(x -> (Object) x);
            case FLOAT32: return Arbitraries.floats().map(x -> (Object) x);
            case TEXT:
                return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                        Arbitraries.strings().withChars("aé€😀\u0000\n<|>").ofMaxLength(12))
                        .filter(CandidCodecPropertyTest::wellFormed).map(s -> (Object) s);
            default: throw new IllegalArgumentException("no generator for " + t);
        }
    }

    /** No lone surrogates (they have no UTF-8 form). */
    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}

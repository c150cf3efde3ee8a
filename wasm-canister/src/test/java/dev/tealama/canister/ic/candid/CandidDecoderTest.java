package dev.tealama.canister.ic.candid;

import dev.tealama.canister.api.Interface;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static dev.tealama.canister.ic.candid.CandidType.Primitive.NAT64;
import static dev.tealama.canister.ic.candid.CandidType.Primitive.TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-picked messages: the specification's subtyping rules and the rejections, each with its message. */
class CandidDecoderTest {

    private static String reject(String hex, List<CandidType> types) {
        return assertThrows(CandidException.class, () -> CandidDecoder.decode(HexFormat.of().parseHex(hex), types))
                .getMessage();
    }

    @Test
    void theSpecificationsExampleFieldIdsAreRight() {
        // from the Candid specification: hash("foo") = 5097222, hash("bar") = 4895187
        assertEquals(5097222L, CandidType.idOf("foo"));
        assertEquals(4895187L, CandidType.idOf("bar"));
    }

    @Test
    void rejectsAWrongMagic() {
        assertTrue(reject("4449444d0000", List.of()).contains("DIDL"));
        assertTrue(reject("", List.of()).contains("DIDL"));
    }

    @Test
    void rejectsBadTypeTables() {
        assertTrue(reject("4449444c01780000", List.of()).contains("invalid type code")); // nat64 is no table entry
        assertTrue(reject("4449444c016e050100", List.of()).contains("type reference")); // opt of entry 5 of 1
        assertTrue(reject("4449444c026c020178017800016c0000", List.of()).contains("strictly increasing"));
        assertTrue(reject("4449444c016a000000000100", List.of()).contains("func"));
        assertTrue(reject("4449444c0a", List.of()).contains("larger than the rest"));
    }

    @Test
    void rejectsWrongArgumentTypesAndCounts() {
        byte[] text = CandidEncoder.encode(List.of(TEXT), "hello");
        String m = assertThrows(CandidException.class, () -> CandidDecoder.decode(text, List.of(NAT64))).getMessage();
        assertTrue(m.contains("expected nat64, got text"), m);
        m = assertThrows(CandidException.class, () -> CandidDecoder.decode(CandidEncoder.encode(List.of()),
                Interface.SESSION_ID_ARGS)).getMessage();
        assertTrue(m.contains("missing argument 1"), m);
    }

    @Test
    void rejectsInvalidUtf8AndBadBools() {
        assertTrue(reject("4449444c00017102c328", List.of(TEXT)).contains("UTF-8"));
        assertTrue(reject("4449444c00017e02", List.of(CandidType.Primitive.BOOL)).contains("0 or 1"));
    }

    @Test
    void ignoresExtraArgumentsAndFieldsAndDefaultsMissingOpts() {
        // record { size : nat64; extra : text } and a second argument, read as (record { size : nat64; name : opt text })
        CandidType.Record sent = CandidType.record("size", NAT64, "extra", TEXT);
        RecordValue v = new RecordValue(sent).set("size", 7L).set("extra", "x");
        byte[] message = CandidEncoder.encode(List.of(sent, TEXT), v, "more");
        CandidType.Record wanted = CandidType.record("size", NAT64, "name", CandidType.opt(TEXT));
        RecordValue got = (RecordValue) CandidDecoder.decode(message, List.of(wanted))[0];
        assertEquals(7L, got.get("size"));
        assertNull(got.get("name"));
        // a missing trailing opt argument is null
        assertArrayEquals(new Object[] {null}, CandidDecoder.decode(CandidEncoder.encode(List.of()), Interface.INIT_ARGS));
    }

    @Test
    void anOptOfAnotherTypeIsNull() {
        byte[] message = CandidEncoder.encode(List.of(CandidType.opt(TEXT)), "x");
        assertArrayEquals(new Object[] {null}, CandidDecoder.decode(message, List.of(CandidType.opt(NAT64))));
        // a plain value where an opt is expected is the opt's value
        assertArrayEquals(new Object[] {"x"}, CandidDecoder.decode(CandidEncoder.encode(List.of(TEXT), "x"),
                List.of(CandidType.opt(TEXT))));
    }

    @Test
    void rejectsValuesNestedTooDeeply() {
        // type 0 = opt 0; a value of 70 nested opts
        StringBuilder hex = new StringBuilder("4449444c016e000100");
        hex.append("01".repeat(70)).append("00");
        assertTrue(reject(hex.toString(), List.of(CandidType.Primitive.RESERVED)).contains("nested"));
    }
}

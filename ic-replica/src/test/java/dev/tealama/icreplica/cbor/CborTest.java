package dev.tealama.icreplica.cbor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CBOR reader and writer against RFC 8949's Appendix A examples, malformed input and round trips. */
class CborTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8949 Appendix A: items in preferred serialization, decoded and encoded back byte for byte. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "00", "01", "0a", "17", "1818", "1819", "1864", "1903e8", "1a000f4240", "1b000000e8d4a51000",
        "1bffffffffffffffff", "c249010000000000000000", "3bffffffffffffffff", "c349010000000000000000", "20", "29",
        "3863", "3903e7", "f4", "f5", "f6", "f7", "f0", "f818", "f8ff", "c074323031332d30332d32315432303a30343a30305a",
        "c11a514b67b0", "d74401020304", "d818456449455446", "40", "4401020304", "60", "6161", "6449455446", "62225c",
        "62c3bc", "63e6b0b4", "64f0908591", "80", "83010203", "8301820203820405", "a0", "a201020304",
        "a26161016162820203", "826161a161626163", "a56161614161626142616361436164614461656145"
    })
    void rfc8949ExamplesRoundTrip(String hex) {
        byte[] bytes = HEX.parseHex(hex);
        assertEquals(hex, HEX.formatHex(CborWriter.encode(CborReader.decode(bytes))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1b000000e8d4a51000, unsigned, 1000000000000",
        "c249010000000000000000, unsigned, 18446744073709551616",
        "3bffffffffffffffff, negative, -18446744073709551616",
        "3903e7, negative, -1000"
    })
    void integersHaveTheirValue(String hex, String kind, String value) {
        CborValue item = CborReader.decode(HEX.parseHex(hex));
        BigInteger actual = kind.equals("unsigned") ? ((CborValue.Unsigned) item).value()
                : ((CborValue.Negative) item).value();
        assertEquals(new BigInteger(value), actual);
    }

    /** RFC 8949 Appendix A, indefinite-length items: decoded to the same items as their definite forms. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "5f42010243030405ff, 450102030405",
        "7f657374726561646d696e67ff, 6973747265616d696e67",
        "9fff, 80",
        "9f018202039f0405ffff, 8301820203820405",
        "9f01820203820405ff, 8301820203820405",
        "83018202039f0405ff, 8301820203820405",
        "bf61610161629f0203ffff, a26161016162820203",
        "826161bf61626163ff, 826161a161626163",
        "bf6346756ef563416d7421ff, a26346756ef563416d7421"
    })
    void indefiniteLengthsAreRead(String indefinite, String definite) {
        assertEquals(definite, HEX.formatHex(CborWriter.encode(CborReader.decode(HEX.parseHex(indefinite)))));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "|Empty input",
        "18|ends inside a 1-byte argument",
        "5b00000000ffffffff00|a length of 4294967295 but only 1 bytes are left",
        "9b7fffffffffffffff|but only 0 bytes are left",
        "bb7fffffffffffffff|but only 0 bytes are left",
        "0000|1 bytes follow the CBOR data item",
        "a2616101616102|Duplicate map key",
        "62c328|not valid UTF-8",
        "ff|a 'break' outside an indefinite-length item",
        "9f01|no 'break'",
        "5f0102ff|must be a definite-length string of the same type",
        "1c|additional information 28 is not allowed",
        "fc|reserved additional information 28"
    })
    void malformedInputIsNamed(String hex, String expected) {
        byte[] bytes = hex == null ? new byte[0] : HEX.parseHex(hex);
        CborException thrown = assertThrows(CborException.class, () -> CborReader.decode(bytes));
        assertTrue(thrown.getMessage().contains(expected), thrown.getMessage());
    }

    @org.junit.jupiter.api.Test
    void nestingIsLimited() {
        byte[] deep = new byte[CborReader.MAX_DEPTH + 2];
        java.util.Arrays.fill(deep, (byte) 0x81);
        deep[deep.length - 1] = 0;
        CborException thrown = assertThrows(CborException.class, () -> CborReader.decode(deep));
        assertTrue(thrown.getMessage().contains("nesting deeper than"), thrown.getMessage());
    }

    @org.junit.jupiter.api.Test
    void theSelfDescribingTagIsWrittenInFront() {
        assertEquals("d9d9f7a0", HEX.formatHex(CborWriter.encodeSelfDescribed(CborValue.MapValue.builder().build())));
    }

    @Property(tries = 300)
    void whatIsWrittenIsReadBack(@ForAll("values") CborValue value) {
        assertEquals(value, CborReader.decode(CborWriter.encode(value)));
    }

    @Property(tries = 300)
    void noInputCrashesTheReader(@ForAll byte[] garbage) {
        try {
            CborReader.decode(garbage);
        } catch (CborException expected) {
            // refused with a message: fine
        }
    }

    @Provide
    Arbitrary<CborValue> values() {
        return value(3);
    }

    private static Arbitrary<CborValue> value(int depth) {
        Arbitrary<CborValue> leaves = Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TWO.pow(70)).map(CborValue.Unsigned::new),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.ONE.negate())
                        .map(CborValue.Negative::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(CborValue.Bytes::new),
                Arbitraries.strings().ofMaxLength(20).map(CborValue.Text::new),
                Arbitraries.of(CborValue.Simple.TRUE, CborValue.Simple.FALSE, CborValue.Simple.NULL));
        if (depth == 0) {
            return leaves;
        }
        Arbitrary<CborValue> child = value(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, leaves),
                net.jqwik.api.Tuple.of(1, child.list().ofMaxSize(4).map(items -> new CborValue.Array(items))),
                net.jqwik.api.Tuple.of(1, Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), child).ofMaxSize(4)
                        .map(CborTest::textMap)),
                net.jqwik.api.Tuple.of(1, child.map(inner -> (CborValue) new CborValue.Tagged(BigInteger.valueOf(55799),
                        inner))));
    }

    private static CborValue textMap(Map<String, CborValue> entries) {
        Map<CborValue, CborValue> map = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>(entries.keySet());
        for (String key : keys) {
            map.put(new CborValue.Text(key), entries.get(key));
        }
        return new CborValue.MapValue(map);
    }
}

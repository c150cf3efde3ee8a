package dev.tealama.icreplica.certification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.tealama.icreplica.cbor.CborReader;
import dev.tealama.icreplica.cbor.CborWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ic4j.agent.certification.hashtree.LookupResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hash trees against the example of the interface specification's section "Encoding of certificates" (its CBOR,
 * its root hash, its pruning and its lookups), and witnesses of random state trees against ic4j's lookup.
 */
class HashTreeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String EXAMPLE = "8301830183024161830183018302417882034568656c6c6f810083024179820345776f726c6483"
            + "024162820344676f6f648301830241638100830241648203476d6f726e696e67";
    private static final String EXAMPLE_ROOT = "eb5c5b2195e62d996b84c9bcc8259d19a83786a2f59e0878cec84c811f669aa0";
    private static final String EXAMPLE_PRUNED = "83018301830241618301820458201b4feff9bef8131788b0c9dc6dbad6e81e524249c879"
            + "e9f10f71ce3749f5a63883024179820345776f726c6483024162820458207b32ac0c6ba8ce35ac82c255fc7906f7fc130dab2a090f"
            + "80fe12f9c2cae83ba6830182045820ec8324b8a1f1ac16bd2e806edba78006479c9877fed4eb464a25485465af601d83024164820347"
            + "6d6f726e696e67";

    private static HashTree example() {
        return HashTree.fromCbor(CborReader.decode(HEX.parseHex(EXAMPLE)));
    }

    @Test
    void theExampleTreeEncodesAndHashesAsTheSpecificationSays() {
        HashTree tree = example();
        assertEquals(EXAMPLE, HEX.formatHex(CborWriter.encode(tree.toCbor())));
        assertEquals(EXAMPLE_ROOT, HEX.formatHex(tree.digest()));
    }

    @Test
    void pruningTheExampleGivesTheSpecificationsWitness() {
        HashTree witness = example().witness(List.of(path("a", "y"), path("ax"), path("d")));
        assertEquals(EXAMPLE_PRUNED, HEX.formatHex(CborWriter.encode(witness.toCbor())));
        assertEquals(EXAMPLE_ROOT, HEX.formatHex(witness.digest()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"a/a, UNKNOWN, ", "a/y, FOUND, world", "aa, ABSENT, ", "ax, ABSENT, ", "b, UNKNOWN, ",
        "bb, UNKNOWN, ", "d, FOUND, morning", "e, ABSENT, "})
    void lookupsInThePrunedExample(String path, HashTree.LookupStatus status, String value) {
        HashTree pruned = HashTree.fromCbor(CborReader.decode(HEX.parseHex(EXAMPLE_PRUNED)));
        HashTree.LookupResult result = pruned.lookup(path(path.split("/")));
        assertEquals(status, result.status());
        if (value != null) {
            assertEquals(value, new String(result.value(), StandardCharsets.UTF_8));
        }
    }

    /** Witnesses of random state trees keep the root hash; ic4j finds every revealed value; absent ones are proven. */
    @Property(tries = 200)
    void witnessesRevealWhatIsAskedAndProveWhatIsMissing(@ForAll("trees") Map<String, Map<String, String>> state,
            @ForAll("paths") List<List<String>> wanted) throws Exception {
        LabeledTree.NodeBuilder root = LabeledTree.node();
        state.forEach((outer, inner) -> {
            LabeledTree.NodeBuilder node = LabeledTree.node();
            inner.forEach((label, value) -> node.leaf(label, value.getBytes(StandardCharsets.UTF_8)));
            root.put(outer, node.build());
        });
        HashTree full = root.build().hashTree();
        List<List<Label>> paths = new ArrayList<>();
        for (List<String> path : wanted) {
            paths.add(path(path.toArray(new String[0])));
        }
        HashTree witness = full.witness(paths);
        assertArrayEquals(full.digest(), witness.digest(), "same root hash");
        org.ic4j.agent.certification.hashtree.HashTree ic4jTree = new ObjectMapper(new CBORFactory())
                .readValue(CborWriter.encode(witness.toCbor()), org.ic4j.agent.certification.hashtree.HashTree.class);
        for (List<String> path : wanted) {
            String expected = state.containsKey(path.get(0)) ? state.get(path.get(0)).get(path.get(1)) : null;
            HashTree.LookupResult ours = witness.lookup(path(path.toArray(new String[0])));
            List<org.ic4j.agent.certification.hashtree.Label> ic4jPath = new ArrayList<>();
            path.forEach(label -> ic4jPath.add(new org.ic4j.agent.certification.hashtree.Label(label)));
            LookupResult theirs = ic4jTree.lookupPath(ic4jPath);
            if (expected != null) {
                assertEquals(HashTree.LookupStatus.FOUND, ours.status());
                assertEquals(LookupResult.LookupResultStatus.FOUND, theirs.status, "ic4j finds " + path);
                assertEquals(expected, new String(theirs.value, StandardCharsets.UTF_8));
            } else {
                assertEquals(HashTree.LookupStatus.ABSENT, ours.status(), "the witness proves " + path + " absent");
                assertNotEquals(LookupResult.LookupResultStatus.FOUND, theirs.status);
            }
        }
    }

    @Provide
    Arbitrary<Map<String, Map<String, String>>> trees() {
        Arbitrary<String> labels = Arbitraries.strings().withChars("abcdef").ofMinLength(1).ofMaxLength(3);
        return Arbitraries.maps(labels, Arbitraries.maps(labels, Arbitraries.strings().ofMaxLength(5)).ofMaxSize(5))
                .ofMaxSize(6).map(TreeMap::new);
    }

    @Provide
    Arbitrary<List<List<String>>> paths() {
        Arbitrary<String> labels = Arbitraries.strings().withChars("abcdef").ofMinLength(1).ofMaxLength(3);
        return labels.list().ofSize(2).list().ofMinSize(1).ofMaxSize(4);
    }

    private static List<Label> path(String... labels) {
        List<Label> path = new ArrayList<>();
        for (String label : labels) {
            path.add(Label.of(label));
        }
        return path;
    }
}

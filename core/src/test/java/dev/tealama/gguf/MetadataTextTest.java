package dev.tealama.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tealama.gguf.MetadataValue.BoolArray;
import dev.tealama.gguf.MetadataValue.Float64Array;
import dev.tealama.gguf.MetadataValue.Int64Array;
import org.junit.jupiter.api.Test;

class MetadataTextTest {

    @Test
    void displayCutsArraysAndStrings() {
        String[] many = new String[100_000];
        java.util.Arrays.fill(many, "tok");
        assertEquals("[\"tok\", \"tok\", ... 99998 more]",
                MetadataText.display(MetadataValue.stringArray(many), 2, 10));
        assertEquals("[... 3 more]", MetadataText.display(MetadataValue.int32Array(1, 2, 3), 0, 10));
        assertEquals("[1, 2, 3]", MetadataText.display(MetadataValue.int32Array(1, 2, 3), 3, 10));
        assertEquals("\"abc...\"", MetadataText.display(MetadataValue.string("abcdef"), 1, 3));
        assertEquals("\"a\\nb\\\"c\\u0001\"", MetadataText.display(MetadataValue.string("a\nb\"c\u0001"), 1, 99));
        assertEquals("[[1], [2, 3, ... 1 more]]", MetadataText.display(MetadataValue.arrayOfArrays(
                MetadataValue.int32Array(1), MetadataValue.int32Array(2, 3, 4)), 2, 9));
        assertEquals("18446744073709551615", MetadataText.display(MetadataValue.uint64(-1), 1, 1));
    }

    @Test
    void jsonIsExactAndValid() {
        assertEquals("\"tab\\there \\\\ \\\"q\\\" \u00e9\"", MetadataText.json(MetadataValue.string("tab\there \\ \"q\" \u00e9")));
        assertEquals("[0,18446744073709551615]",
                MetadataText.json(new Int64Array(ValueType.UINT64, new long[] {0, -1})));
        assertEquals("[\"NaN\",\"-Infinity\",0.5]",
                MetadataText.json(new Float64Array(new double[] {Double.NaN, Double.NEGATIVE_INFINITY, 0.5})));
        assertEquals("[true,false]", MetadataText.json(new BoolArray(new boolean[] {true, false}), 2));
        assertEquals("[\"a\"]", MetadataText.json(MetadataValue.stringArray("a", "b", "c"), 1));
        assertEquals("1.0E-5", MetadataText.json(MetadataValue.float32(1e-5f)));
        assertEquals("[[1,2],[]]", MetadataText.json(MetadataValue.arrayOfArrays(
                MetadataValue.int32Array(1, 2), MetadataValue.int32Array())));
    }
}

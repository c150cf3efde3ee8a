package dev.tealama.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.tensor.GgmlType;
import dev.tealama.testing.TestData;
import org.junit.jupiter.api.Test;

/** The reader's checks, one malformed or hostile file at a time, and the messages they give. */
class GgufReaderTest {

    private static GgufFile read(byte[] bytes) {
        return GgufFile.read(new ArrayByteSource(bytes));
    }

    private static String failure(RawGguf raw) {
        return failure(raw.toBytes());
    }

    private static String failure(byte[] bytes) {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> read(bytes));
        assertTrue(e.getMessage().startsWith("GGUF: "), e.getMessage());
        return e.getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + message + "' should contain '" + part + "'");
        }
    }

    /** A file with one F32 tensor of {@code dims}, data aligned to 32 after the header. */
    private static RawGguf oneTensor(int typeId, long offset, long... dims) {
        return RawGguf.header(3, 1, 0).tensor("blk.0.attn_q.weight", typeId, offset, dims).padTo(32);
    }

    @Test
    void readsAMinimalFile() {
        GgufFile f = read(RawGguf.header(3, 0, 0).toBytes());
        assertEquals(3, f.version());
        assertEquals(32, f.alignment());
        assertEquals(24, f.dataOffset());
        assertEquals(0, f.metadata().size());
        assertEquals(0, f.tensors().size());
    }

    @Test
    void readsVersion2() {
        GgufFile f = read(RawGguf.header(2, 0, 1).kvU32("a", 7).toBytes());
        assertEquals(2, f.version());
        assertEquals(7, f.metadata().int32("a"));
    }

    @Test
    void rejectsWhatIsNotGguf() {
        assertContains(failure(new byte[0]), "not a GGUF file", "0 bytes");
        assertContains(failure(new byte[] {'G', 'G', 'U'}), "not a GGUF file");
        assertContains(failure(new RawGguf().bytes('G', 'G', 'M', 'L').u32(3).u64(0).u64(0).toBytes()),
                "not a GGUF file", "'GGML'");
        assertContains(failure(new RawGguf().bytes('G', 'G', 'U', 'F', 3, 0)), "file ends", "version");
        assertContains(failure(new RawGguf().bytes('G', 'G', 'U', 'F').u32(3).u64(0)), "file ends",
                "key/value count");
    }

    @Test
    void rejectsUnsupportedVersionsAndByteOrder() {
        assertContains(failure(RawGguf.header(1, 0, 0)), "version 1", "not supported");
        assertContains(failure(RawGguf.header(0, 0, 0)), "unsupported version 0");
        assertContains(failure(RawGguf.header(4, 0, 0)), "unsupported version 4");
        assertContains(failure(RawGguf.header(0x03000000, 0, 0)), "big-endian");
    }

    @Test
    void rejectsCountsLargerThanTheFileFast() {
        assertContains(failure(RawGguf.header(3, 1L << 60, 0)), "1152921504606846976 tensors");
        assertContains(failure(RawGguf.header(3, 0, 1L << 60)), "1152921504606846976 key/value pairs");
        assertContains(failure(RawGguf.header(3, 0, -1)), "18446744073709551615 key/value pairs");
        assertContains(failure(RawGguf.header(3, -1, 0)), "18446744073709551615 tensors");
        // Just enough bytes for the key/values, not for the tensors too.
        assertContains(failure(RawGguf.header(3, 1, 2).zeros(2 * 14 + 31)), "cannot hold");
    }

    @Test
    void rejectsHugeStringsBeforeAllocating() {
        assertContains(failure(RawGguf.header(3, 0, 1).u64(4L << 30).zeros(64)),
                "key/value #0", "the key at byte 24 claims 4294967296 bytes");
        assertContains(failure(RawGguf.header(3, 0, 1).u64(1000).zeros(64)),
                "claims 1000 bytes, but the file ends 64 bytes later");
        assertContains(failure(RawGguf.header(3, 0, 1).string("k").u32(ValueType.STRING.id()).u64(-1).zeros(8)),
                "key 'k'", "claims 18446744073709551615 bytes");
    }

    @Test
    void rejectsHugeArraysBeforeAllocating() {
        RawGguf huge = RawGguf.header(3, 0, 1).string("k").u32(ValueType.ARRAY.id())
                .u32(ValueType.UINT8.id()).u64(1L << 40).zeros(100);
        assertContains(failure(huge), "key 'k'", "claims 1099511627776 elements");
        RawGguf tooLong = RawGguf.header(3, 0, 1).string("k").u32(ValueType.ARRAY.id())
                .u32(ValueType.UINT32.id()).u64(1L << 29).zeros(100);
        assertContains(failure(tooLong), "key 'k'", "array of 536870912 u32", "the file ends 100 bytes later");
        RawGguf strings = RawGguf.header(3, 0, 1).string("k").u32(ValueType.ARRAY.id())
                .u32(ValueType.STRING.id()).u64(13).zeros(100);
        assertContains(failure(strings), "array of 13 str");
    }

    @Test
    void boundsArrayNesting() {
        RawGguf eight = RawGguf.header(3, 0, 1).string("k").u32(ValueType.ARRAY.id());
        for (int i = 0; i < 7; i++) {
            eight.u32(ValueType.ARRAY.id()).u64(1);
        }
        eight.u32(ValueType.INT32.id()).u64(1).u32(42);
        MetadataValue v = read(eight.toBytes()).metadata().get("k");
        for (int i = 0; i < 7; i++) {
            v = ((MetadataValue.NestedArray) v).element(0);
        }
        assertEquals(MetadataValue.int32Array(42), v);

        RawGguf nine = RawGguf.header(3, 0, 1).string("k").u32(ValueType.ARRAY.id());
        for (int i = 0; i < 8; i++) {
            nine.u32(ValueType.ARRAY.id()).u64(1);
        }
        nine.u32(ValueType.INT32.id()).u64(1).u32(42);
        assertContains(failure(nine), "key 'k'", "nested more than 8 deep");

        // A million levels must not overflow the stack.
        RawGguf deep = RawGguf.header(3, 0, 1).string("k").u32(ValueType.ARRAY.id());
        for (int i = 0; i < 1_000_000; i++) {
            deep.u32(ValueType.ARRAY.id()).u64(1);
        }
        assertContains(failure(deep), "nested more than 8 deep");
    }

    @Test
    void rejectsBadKeys() {
        assertContains(failure(RawGguf.header(3, 0, 1).kvU32("", 1)), "key/value #0", "the key is empty");
        assertContains(failure(RawGguf.header(3, 0, 2).kvU32("a.b", 1).kvU32("a.b", 2)),
                "duplicate key 'a.b' at byte");
        assertContains(failure(RawGguf.header(3, 0, 1).string("k").u32(13).u32(0)), "key 'k'",
                "unknown value type 13");
        assertContains(failure(RawGguf.header(3, 0, 1).string("k").u32(ValueType.ARRAY.id()).u32(77).u64(0)),
                "unknown value type 77");
        int[][] invalidUtf8 = {
            {0xC0, 0x80}, // overlong NUL
            {0xED, 0xA0, 0x80}, // a surrogate
            {0xF4, 0x90, 0x80, 0x80}, // above U+10FFFF
            {'a', 0xE2, 0x82}, // truncated sequence
            {0x80}, // lone continuation byte
            {0xFF},
        };
        for (int[] key : invalidUtf8) {
            RawGguf raw = RawGguf.header(3, 0, 1).rawString(key).u32(ValueType.UINT8.id()).bytes(1);
            assertContains(failure(raw), "key/value #0", "not valid UTF-8");
        }
        GgufFile ok = read(RawGguf.header(3, 0, 1).rawString(0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80)
                .u32(ValueType.UINT8.id()).bytes(1).toBytes());
        assertTrue(ok.metadata().contains("\u20AC\uD83D\uDE00"));
    }

    @Test
    void decodesInvalidUtf8InValuesLeniently() {
        GgufFile f = read(RawGguf.header(3, 0, 1).string("k").u32(ValueType.STRING.id())
                .rawString('a', 0xFF, 'b').toBytes());
        assertEquals("a\uFFFDb", f.metadata().string("k"));
    }

    @Test
    void checksTheAlignment() {
        assertEquals(64, read(RawGguf.header(3, 0, 1).kvU32("general.alignment", 64).toBytes()).alignment());
        assertContains(failure(RawGguf.header(3, 0, 1).kvU32("general.alignment", 48)), "48",
                "not a power of two");
        assertContains(failure(RawGguf.header(3, 0, 1).kvU32("general.alignment", 0)), "not a power of two");
        assertContains(failure(RawGguf.header(3, 0, 1).string("general.alignment").u32(ValueType.UINT64.id())
                .u64(32)), "must be a u32", "u64");
        assertContains(failure(RawGguf.header(3, 0, 1).kvU32("general.alignment", 1L << 31)), "larger than");
    }

    @Test
    void readsATensorAndPlacesItsData() {
        byte[] bytes = oneTensor(GgmlType.F32.id(), 0, 4, 2).zeros(32).toBytes();
        GgufFile f = read(bytes);
        TensorInfo t = f.tensor("blk.0.attn_q.weight");
        assertEquals(96, f.dataOffset());
        assertEquals(96, t.offset());
        assertEquals(32, t.byteSize());
        assertEquals(8, t.elementCount());
        assertEquals(2, t.nDims());
        assertEquals(1, t.dim(3));
        assertNull(f.tensor("missing"));
    }

    @Test
    void rejectsBadTensorShapesAndTypes() {
        assertContains(failure(oneTensor(0, 0).zeros(64)), "tensor 'blk.0.attn_q.weight'", "0 dimensions");
        assertContains(failure(oneTensor(0, 0, 1, 1, 1, 1, 1).zeros(64)), "5 dimensions");
        assertContains(failure(RawGguf.header(3, 1, 0).string("t").u32(-1).zeros(64)), "4294967295 dimensions");
        assertContains(failure(oneTensor(0, 0, 4, 0).zeros(64)), "dimension 1 is 0");
        assertContains(failure(oneTensor(0, 0, 4, -1).zeros(64)), "dimension 1 is 18446744073709551615");
        assertContains(failure(oneTensor(0, 0, 1L << 32, 1L << 32).zeros(64)), "more than 2^63 elements");
        assertContains(failure(oneTensor(0, 0, 1L << 61).zeros(64)), "more than 2^63 bytes");
        assertContains(failure(oneTensor(99, 0, 4).zeros(64)), "unknown ggml type id 99");
        assertContains(failure(oneTensor(4, 0, 32).zeros(64)), "unknown ggml type id 4"); // Q4_2, removed
        assertContains(failure(oneTensor(-1, 0, 32).zeros(64)), "unknown ggml type id 4294967295");
        assertContains(failure(oneTensor(GgmlType.Q4_0.id(), 0, 33).zeros(64)),
                "rows have 33 elements, not a multiple of the Q4_0 block size 32");
        assertContains(failure(RawGguf.header(3, 2, 0).tensor("a", 0, 0, 1).tensor("a", 0, 32, 1).padTo(32)
                .zeros(64)), "duplicate tensor name 'a'");
        assertContains(failure(RawGguf.header(3, 1, 0).rawString('a', 0xFF).zeros(64)), "tensor #0",
                "not valid UTF-8");
    }

    @Test
    void acceptsKnownTypesTealamaCannotCompute() {
        TensorInfo t = read(oneTensor(GgmlType.IQ2_XXS.id(), 0, 256).zeros(66).toBytes()).tensors().get(0);
        assertEquals(GgmlType.IQ2_XXS, t.type());
        assertEquals(66, t.byteSize());
    }

    @Test
    void rejectsTensorDataOutsideTheFileMisalignedOrOverlapping() {
        // 2 x 4 F32 = 32 bytes at 96, but the file is 120 bytes.
        assertEquals("GGUF: tensor 'blk.0.attn_q.weight' data [96, +32) lies outside the file (120 bytes)",
                failure(oneTensor(0, 0, 4, 2).zeros(24)));
        assertContains(failure(oneTensor(0, 4096, 4).zeros(16)), "data offset 4096", "outside the file");
        assertContains(failure(oneTensor(0, -32, 4).zeros(16)), "data offset 18446744073709551584",
                "outside the file");
        assertContains(failure(oneTensor(0, 16, 4).zeros(64)),
                "tensor 'blk.0.attn_q.weight' data offset 16 is not a multiple of the alignment 32");
        RawGguf overlapping = RawGguf.header(3, 2, 0).tensor("a", 0, 0, 16).tensor("b", 0, 32, 8).padTo(32)
                .zeros(128);
        assertContains(failure(overlapping), "tensors 'a' [", "+64) and 'b' [", "+32) overlap");
        RawGguf sameOffset = RawGguf.header(3, 2, 0).tensor("a", 0, 0, 1).tensor("b", 0, 0, 1).padTo(32)
                .zeros(32);
        assertContains(failure(sameOffset), "overlap");
        // Out of file order but disjoint is fine.
        GgufFile f = read(RawGguf.header(3, 2, 0).tensor("a", 0, 32, 8).tensor("b", 0, 0, 8).padTo(32)
                .zeros(64).toBytes());
        assertEquals(f.dataOffset() + 32, f.tensor("a").offset());
    }

    @Test
    void requiresTheDataSectionInTheFileOnlyWhenThereAreTensors() {
        // The vocab-only model ends right after its header, unpadded, as llama.cpp writes such files.
        byte[] vocab = TestData.readModel("ggml-vocab-llama-spm.gguf");
        GgufFile f = read(vocab);
        assertEquals(0, f.tensors().size());
        assertEquals(vocab.length, f.dataOffset());
        byte[] headerOnly = RawGguf.header(3, 1, 0).tensor("a", 0, 0, 1).toBytes();
        assertContains(failure(headerOnly), "data section would start at byte 64", "past the end");
    }

    @Test
    void readsTheLargeVocabularyArrays() {
        GgufFile f = read(TestData.readModel("tiny-llama3-Q4_0.gguf"));
        GgufMetadata m = f.metadata();
        String[] tokens = m.stringArray("tokenizer.ggml.tokens");
        assertEquals(128256, tokens.length);
        assertEquals(280147, m.stringArray("tokenizer.ggml.merges").length);
        assertEquals("<|begin_of_text|>", tokens[m.int32("tokenizer.ggml.bos_token_id")]);
        assertEquals(GgmlType.Q4_0, f.tensor("token_embd.weight").type());
    }
}

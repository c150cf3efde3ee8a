package dev.tealama.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.bytes.ArrayByteSource;
import dev.tealama.bytes.ByteSource;
import dev.tealama.gguf.GgufLayout.Field;
import dev.tealama.gguf.GgufLayout.Kind;
import dev.tealama.gguf.MetadataValue.BoolArray;
import dev.tealama.gguf.MetadataValue.Float64Array;
import dev.tealama.gguf.MetadataValue.Int16Array;
import dev.tealama.gguf.MetadataValue.Int64Array;
import dev.tealama.gguf.MetadataValue.Int8Array;
import dev.tealama.tensor.GgmlType;
import dev.tealama.testing.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Hostile files: mutations of valid GGUF files (flipped bytes, truncation, counts and lengths and offsets replaced)
 * must either parse into a consistent {@link GgufFile} or fail with a {@link GgufFormatException} — never another
 * exception, never an OutOfMemoryError, never a hang (each try is cut off after 10 s; they take milliseconds).
 *
 * <p>Seeds: {@code stories260K.gguf} (a committed model, header and data), gguf-py's {@code writer-reference.gguf},
 * and small files jqwik generates with {@link GgufWriter} (varied metadata of every type, tensors of several types
 * and ranks, several alignments, versions 2 and 3) — which must also read back exactly as written.
 */
class GgufFuzzTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    /** A valid file to mutate, with the positions of its structural fields. */
    record Seed(String name, byte[] bytes, int headerEnd, List<Field> fields) {
        static Seed of(String name, byte[] bytes) {
            GgufFile f = GgufFile.read(new ArrayByteSource(bytes));
            return new Seed(name, bytes, (int) f.dataOffset(), GgufLayout.fieldsOf(bytes));
        }

        @Override
        public String toString() {
            return name + " (" + bytes.length + " bytes)";
        }
    }

    private static final Seed STORIES = Seed.of("stories260K", TestData.readModel("stories260K.gguf"));
    private static final Seed REFERENCE = Seed.of("writer-reference",
            TestData.readAll(TestData.root().resolve("gguf/writer-reference.gguf")));

    // ---------------------------------------------------------------- the property every mutation must satisfy

    /**
     * Parses {@code bytes}: a format error is fine; success must give a self-consistent file. Either way the parse
     * may allocate only a small multiple of the file's size (where the JVM can count a thread's allocations): a
     * count or length trusted before it was checked shows up here, even when the heap is big enough to survive it.
     */
    static void parsesOrFailsCleanly(byte[] bytes) {
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            long allocatedBefore = allocatedByThisThread();
            try {
                checkConsistent(GgufFile.read(new ArrayByteSource(bytes)), bytes.length);
            } catch (GgufFormatException e) {
                assertTrue(e.getMessage().startsWith("GGUF: "), e.getMessage());
            }
            long allocated = allocatedByThisThread() - allocatedBefore;
            assertTrue(allocated <= 16L * bytes.length + (4 << 20),
                    "parsing " + bytes.length + " bytes allocated " + allocated + " bytes");
        });
    }

    /** Bytes allocated so far by the current thread, or 0 where the JVM does not say. */
    private static long allocatedByThisThread() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean hotspot && hotspot.isThreadAllocatedMemorySupported()) {
            return hotspot.getCurrentThreadAllocatedBytes();
        }
        return 0;
    }

    private static void checkConsistent(GgufFile f, long size) {
        assertTrue(f.version() == 2 || f.version() == 3);
        assertTrue(f.alignment() > 0 && (f.alignment() & (f.alignment() - 1)) == 0);
        assertTrue(f.dataOffset() <= size);
        for (String key : f.metadata().keys()) {
            MetadataText.display(f.metadata().get(key), 4, 40);
        }
        Set<String> names = new HashSet<>();
        List<TensorInfo> byOffset = new ArrayList<>(f.tensors());
        byOffset.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        long previousEnd = f.dataOffset();
        for (TensorInfo t : byOffset) {
            assertTrue(names.add(t.name()), "unique names");
            assertSame(t, f.tensor(t.name()));
            assertTrue(t.nDims() >= 1 && t.nDims() <= 4);
            assertEquals(0, t.dim(0) % t.type().blockSize());
            assertTrue(t.byteSize() > 0);
            assertEquals(0, (t.offset() - f.dataOffset()) % f.alignment(), "aligned");
            assertTrue(t.offset() >= previousEnd, "no overlap");
            assertTrue(t.end() <= size, "inside the file");
            previousEnd = t.end();
            ByteSource data = f.tensorData(t);
            data.getByte(0);
            data.getByte(data.size() - 1);
        }
    }

    // ---------------------------------------------------------------- mutations

    @Property(tries = 300)
    void flippedBytes(@ForAll("seeds") Seed seed,
                      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 1 << 24) Integer> positions,
                      @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] bytes = seed.bytes().clone();
        int region = Math.min(bytes.length, seed.headerEnd() + 64); // mostly the header: the data is opaque
        for (int p : positions) {
            bytes[p % region] ^= (byte) xor;
        }
        parsesOrFailsCleanly(bytes);
    }

    @Property(tries = 200)
    void truncated(@ForAll("seeds") Seed seed, @ForAll @IntRange(min = 0, max = 1 << 24) int cut,
                   @ForAll boolean insideTheHeader) {
        int length = insideTheHeader ? cut % (seed.headerEnd() + 1) : cut % (seed.bytes().length + 1);
        parsesOrFailsCleanly(Arrays.copyOf(seed.bytes(), length));
    }

    @Property(tries = 400)
    void fieldReplaced(@ForAll("seeds") Seed seed, @ForAll @IntRange(min = 0, max = 1 << 24) int which,
                       @ForAll("hostileValues") long value) {
        if (seed.fields().isEmpty()) {
            return;
        }
        Field field = seed.fields().get(which % seed.fields().size());
        parsesOrFailsCleanly(withField(seed.bytes(), field, value));
    }

    @Property(tries = 300)
    void fieldNudged(@ForAll("seeds") Seed seed, @ForAll @IntRange(min = 0, max = 1 << 24) int which,
                     @ForAll @IntRange(min = -70, max = 70) int delta) {
        if (seed.fields().isEmpty()) {
            return;
        }
        Field field = seed.fields().get(which % seed.fields().size());
        parsesOrFailsCleanly(withField(seed.bytes(), field, fieldValue(seed.bytes(), field) + delta));
    }

    /** Tensor offsets moved onto other tensors (overlap), off the alignment, or past the end. */
    @Property(tries = 300)
    void tensorOffsetsRewritten(@ForAll("seeds") Seed seed,
                                @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1 << 20) Integer> targets,
                                @ForAll @IntRange(min = -3, max = 3) int alignments,
                                @ForAll @IntRange(min = -2, max = 2) int bytesOff) {
        List<Field> offsets = seed.fields().stream().filter(f -> f.kind() == Kind.TENSOR_OFFSET).toList();
        if (offsets.isEmpty()) {
            return;
        }
        byte[] bytes = seed.bytes().clone();
        int alignment = GgufFile.read(new ArrayByteSource(seed.bytes())).alignment();
        for (int i = 0; i < targets.size(); i++) {
            Field victim = offsets.get((targets.get(i) >>> 10) % offsets.size());
            long target = fieldValue(seed.bytes(), offsets.get(targets.get(i) % offsets.size()));
            bytes = withField(bytes, victim, target + (long) alignments * alignment + (i == 0 ? bytesOff : 0));
        }
        parsesOrFailsCleanly(bytes);
    }

    @Property(tries = 100)
    void alignmentReplaced(@ForAll("generatedWithAlignment") Seed seed, @ForAll @IntRange(min = 0, max = 32) int log2,
                           @ForAll @IntRange(min = -1, max = 1) int delta) {
        Field alignment = seed.fields().stream().filter(f -> f.kind() == Kind.ALIGNMENT_VALUE).findFirst()
                .orElseThrow();
        parsesOrFailsCleanly(withField(seed.bytes(), alignment, (1L << log2) + delta));
    }

    /** Every prefix of gguf-py's reference file: a format error until the last tensor's data is complete. */
    @Example
    void everyPrefixOfTheReferenceFile() {
        byte[] bytes = REFERENCE.bytes();
        GgufFile full = GgufFile.read(new ArrayByteSource(bytes));
        long lastEnd = 0;
        for (TensorInfo t : full.tensors()) {
            lastEnd = Math.max(lastEnd, t.end());
        }
        for (int length = 0; length <= bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            if (length < lastEnd) {
                assertThrows(GgufFormatException.class, () -> GgufFile.read(new ArrayByteSource(prefix)),
                        "prefix of " + length + " bytes");
            } else {
                checkConsistent(GgufFile.read(new ArrayByteSource(prefix)), length);
            }
        }
    }

    // ---------------------------------------------------------------- generated files

    @Property(tries = 200)
    void writtenFilesReadBackExactly(@ForAll("generatedFiles") Generated g) {
        GgufFile f = GgufFile.read(new ArrayByteSource(g.bytes()));
        assertEquals(g.version(), f.version());
        assertEquals(g.alignment() == 0 ? 32 : g.alignment(), f.alignment());
        List<String> keys = new ArrayList<>(f.metadata().keys());
        int first = g.alignment() == 0 ? 0 : 1; // general.alignment comes first when set
        assertEquals(g.values().size() + first, keys.size());
        for (int i = 0; i < g.values().size(); i++) {
            assertEquals(Generated.key(i), keys.get(i + first));
            assertEquals(g.values().get(i), f.metadata().get(keys.get(i + first)), keys.get(i + first));
        }
        assertEquals(g.tensors().size(), f.tensors().size());
        for (int i = 0; i < g.tensors().size(); i++) {
            TensorSpec spec = g.tensors().get(i);
            TensorInfo t = f.tensors().get(i);
            assertEquals("tensor." + i, t.name());
            assertEquals(spec.type(), t.type());
            assertArrayEquals(spec.dims(), t.dims());
            byte[] data = new byte[(int) t.byteSize()];
            f.tensorData(t).read(0, data, 0, data.length);
            assertArrayEquals(spec.data(), data);
        }
        checkConsistent(f, g.bytes().length);
    }

    record TensorSpec(GgmlType type, long[] dims, byte[] data) {
    }

    /** Content for a generated file; {@code alignment} 0 leaves general.alignment out. */
    record Generated(List<MetadataValue> values, List<TensorSpec> tensors, int alignment, int version,
                     byte[] bytes) {
        static Generated of(List<MetadataValue> values, List<TensorSpec> tensors, int alignment, int version) {
            GgufWriter w = new GgufWriter(version);
            if (alignment != 0) {
                w.alignment(alignment);
            }
            for (int i = 0; i < values.size(); i++) {
                w.put(key(i), values.get(i));
            }
            for (int i = 0; i < tensors.size(); i++) {
                w.addTensor("tensor." + i, tensors.get(i).type(), tensors.get(i).dims(), tensors.get(i).data());
            }
            return new Generated(values, tensors, alignment, version, w.toByteArray());
        }

        static String key(int i) {
            return i % 3 == 0 ? "gen." + i + ".\u043a\u043b\u044e\u0447" : "gen.key" + i;
        }

        @Override
        public String toString() {
            return "Generated[v" + version + ", alignment " + alignment + ", " + values + ", " + tensors.size()
                    + " tensors]";
        }
    }

    // ---------------------------------------------------------------- arbitraries

    @Provide
    Arbitrary<Seed> seeds() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of(STORIES)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(REFERENCE)),
                net.jqwik.api.Tuple.of(2, generatedFiles().map(g -> Seed.of(g.toString(), g.bytes()))));
    }

    @Provide
    Arbitrary<Seed> generatedWithAlignment() {
        return generatedFiles().filter(g -> g.alignment() != 0).map(g -> Seed.of(g.toString(), g.bytes()));
    }

    @Provide
    Arbitrary<Long> hostileValues() {
        return Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, 2L, 3L, 4L, 5L, 7L, 8L, 9L, 12L, 13L, 31L, 32L, 33L, 63L, 64L, 255L, 256L,
                        65535L, 65536L, 1L << 20, 1L << 24, 1L << 28, 1L << 30, (1L << 30) + 1, 0x7FFFFFFFL,
                        0x80000000L, 0xFFFFFFFFL, 1L << 32, 1L << 40, 1L << 60, 1L << 62, Long.MAX_VALUE,
                        Long.MIN_VALUE, -1L, -2L, -32L),
                Arbitraries.longs());
    }

    @Provide
    Arbitrary<Generated> generatedFiles() {
        return Combinators.combine(
                        metadataValue().list().ofMaxSize(10),
                        tensorSpec().list().ofMaxSize(5),
                        Arbitraries.of(0, 1, 2, 8, 32, 64, 256),
                        Arbitraries.of(2, 3))
                .as(Generated::of);
    }

    private static Arbitrary<MetadataValue> metadataValue() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(24),
                Arbitraries.of("", "\uD83D\uDE00", "a\uD834\uDD1Eb", "tokenizer.ggml.tokens"));
        Arbitrary<MetadataValue> scalar = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 255).map(MetadataValue::uint8),
                Arbitraries.integers().between(-128, 127).map(MetadataValue::int8),
                Arbitraries.integers().between(0, 65535).map(MetadataValue::uint16),
                Arbitraries.integers().between(-32768, 32767).map(MetadataValue::int16),
                Arbitraries.longs().between(0, 0xFFFFFFFFL).map(MetadataValue::uint32),
                Arbitraries.integers().map(MetadataValue::int32),
                Arbitraries.longs().map(MetadataValue::uint64),
                Arbitraries.longs().map(MetadataValue::int64),
                Arbitraries.floats().withSpecialValue(Float.NaN).withSpecialValue(Float.NEGATIVE_INFINITY)
                        .map(MetadataValue::float32),
                Arbitraries.doubles().withSpecialValue(Double.NaN).map(MetadataValue::float64),
                Arbitraries.of(true, false).map(MetadataValue::bool),
                text.map(MetadataValue::string));
        Arbitrary<int[]> ints = Arbitraries.integers().array(int[].class).ofMaxSize(16);
        Arbitrary<MetadataValue> array = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(b -> new Int8Array(ValueType.UINT8, b)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16).map(b -> new Int8Array(ValueType.INT8, b)),
                Arbitraries.shorts().array(short[].class).ofMaxSize(16)
                        .map(s -> new Int16Array(ValueType.UINT16, s)),
                ints.map(MetadataValue::int32Array),
                ints.map(MetadataValue::uint32Array),
                Arbitraries.longs().array(long[].class).ofMaxSize(16).map(l -> new Int64Array(ValueType.INT64, l)),
                Arbitraries.floats().array(float[].class).ofMaxSize(16).map(MetadataValue::float32Array),
                Arbitraries.doubles().array(double[].class).ofMaxSize(16).map(Float64Array::new),
                Arbitraries.of(true, false).list().ofMaxSize(16).map(GgufFuzzTest::booleans),
                text.array(String[].class).ofMaxSize(16).map(MetadataValue::stringArray),
                ints.map(MetadataValue::int32Array).list().ofMaxSize(4)
                        .map(l -> MetadataValue.arrayOfArrays(l.toArray(new MetadataValue.ArrayValue[0]))));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, scalar), net.jqwik.api.Tuple.of(2, array));
    }

    private static BoolArray booleans(List<Boolean> list) {
        boolean[] values = new boolean[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i);
        }
        return new BoolArray(values);
    }

    private static Arbitrary<TensorSpec> tensorSpec() {
        Arbitrary<GgmlType> types = Arbitraries.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
                GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.I8, GgmlType.I32,
                GgmlType.IQ2_XXS);
        Arbitrary<long[]> outerDims = Arbitraries.longs().between(1, 3).array(long[].class).ofMinSize(0).ofMaxSize(3);
        return Combinators.combine(types, Arbitraries.integers().between(1, 8), outerDims,
                        Arbitraries.integers().between(0, 255))
                .as((type, rowBlocks, outer, seed) -> {
                    long[] dims = new long[outer.length + 1];
                    dims[0] = (long) type.blockSize() * (type.blockSize() == 1 ? rowBlocks : 1 + rowBlocks % 2);
                    System.arraycopy(outer, 0, dims, 1, outer.length);
                    long elements = 1;
                    for (long d : dims) {
                        elements *= d;
                    }
                    return new TensorSpec(type, dims, GgufWriterTest.pattern((int) type.bytesFor(elements), seed));
                });
    }

    // ---------------------------------------------------------------- helpers

    private static long fieldValue(byte[] bytes, Field field) {
        long v = 0;
        for (int i = 0; i < field.width(); i++) {
            v |= (bytes[field.offset() + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    private static byte[] withField(byte[] bytes, Field field, long value) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < field.width(); i++) {
            copy[field.offset() + i] = (byte) (value >>> (8 * i));
        }
        return copy;
    }
}

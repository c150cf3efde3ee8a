package dev.tealama.cli.kernels;

import dev.tealama.cli.store.HeapSource;
import dev.tealama.cli.store.MappedFileSource;
import dev.tealama.model.Matrix;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link InterleavedLayout} and its kernels ({@link InterleavedQ4_0Kernel}, {@link InterleavedQ8_0Kernel})
 * against core's scalar dot products: the repacking is a permutation that {@link InterleavedLayout#unpackRow} and the
 * vector {@link InterleavedLayout#unpackRows} undo, the one-token and four-token kernels stay within the tolerance of
 * another summation order, {@link TokenLanes} on the layout gives the scalar bits as it does on the GGUF layout, and
 * {@link HostKernels#interleave} repacks only what it can read back. The kernels are called
 * directly, so they are checked on every machine (the Vector API emulates 512-bit vectors where they are not native:
 * slow, same results).
 */
class InterleavedLayoutTest {
    private static final GgmlType[] TYPES = {GgmlType.Q4_0, GgmlType.Q8_0};

    @Property(tries = 50)
    void packingIsAPermutationUndoneByUnpacking(@ForAll boolean q8, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GgmlType type = q8 ? GgmlType.Q8_0 : GgmlType.Q4_0;
        int roundBytes = InterleavedLayout.roundBytes(type);
        int rows = 1 + random.nextInt(3);
        int rowBytes = roundBytes * (1 + random.nextInt(4));
        byte[] gguf = new byte[rows * rowBytes];
        random.nextBytes(gguf);
        MemorySegment packed = MemorySegment.ofArray(gguf.clone());
        InterleavedLayout.packRows(type, packed, rows, rowBytes);
        byte[] bytes = packed.toArray(ValueLayout.JAVA_BYTE);
        byte[] sortedBefore = gguf.clone();
        byte[] sortedAfter = bytes.clone();
        Arrays.sort(sortedBefore);
        Arrays.sort(sortedAfter);
        assertArrayEquals(sortedBefore, sortedAfter, "the same bytes, moved");
        for (int r = 0; r < rows; r++) {
            byte[] row = Arrays.copyOfRange(bytes, r * rowBytes, (r + 1) * rowBytes);
            byte[] back = new byte[rowBytes];
            InterleavedLayout.unpackRow(type, row, back, rowBytes);
            assertArrayEquals(Arrays.copyOfRange(gguf, r * rowBytes, (r + 1) * rowBytes), back, "row " + r);
        }
        MemorySegment vector = MemorySegment.ofArray(new byte[rows * rowBytes]);
        InterleavedLayout.unpackRows(type, packed, 0, rows, rowBytes, vector, new byte[256], new byte[roundBytes]);
        assertArrayEquals(gguf, vector.toArray(ValueLayout.JAVA_BYTE), "the vector unpacking");
    }

    @Property(tries = 200)
    void oneTokenKernelMatchesScalarDot(@ForAll boolean q8, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        GgmlType type = q8 ? GgmlType.Q8_0 : GgmlType.Q4_0;
        int cols = InterleavedLayout.ROUND_ELEMENTS * (1 + random.nextInt(6));
        int rows = 3;
        byte[] w = KernelFixtures.weights(type, rows, cols, random);
        QuantizedVector x = KernelFixtures.activations(type, cols, random);
        check(type, w, rows, cols, new QuantizedVector[] {x});
    }

    /**
     * The int16 sums at their bounds: every nibble 15 or 0 against quants of ±127 and a -128 (a subnormal block),
     * where a lane reaches ±30,720 of its ±32,767.
     */
    @Test
    void extremeQuants() {
        SplittableRandom random = new SplittableRandom(3);
        int cols = 2 * InterleavedLayout.ROUND_ELEMENTS;
        int rows = 2;
        byte[] w = new byte[(int) GgmlType.Q4_0.bytesFor((long) rows * cols)];
        for (int b = 0; b < w.length / 18; b++) {
            w[18 * b + 1] = 0x3C; // fp16 1.0
            Arrays.fill(w, 18 * b + 2, 18 * b + 18, (byte) (b < cols / 32 ? 0xFF : 0x00));
        }
        float[] values = new float[cols];
        for (int i = 0; i < cols; i++) {
            values[i] = i < 32 ? 1e-42f * (i % 3 - 1) : (i / 32 % 2 == 0 ? 1f : -1f);
        }
        QuantizedVector x = KernelFixtures.quantize(GgmlType.Q4_0, values);
        assertEquals(-128, x.quants()[1], "the subnormal block quantizes to -128");
        check(GgmlType.Q4_0, w, rows, cols,
                new QuantizedVector[] {x, KernelFixtures.activations(GgmlType.Q4_0, cols, random)});
        // Q8_0 at its extremes: weights of -128 and 127 (float lanes: exact in any order)
        byte[] w8 = new byte[(int) GgmlType.Q8_0.bytesFor((long) rows * cols)];
        for (int b = 0; b < w8.length / 34; b++) {
            w8[34 * b + 1] = 0x3C;
            Arrays.fill(w8, 34 * b + 2, 34 * b + 34, (byte) (b % 2 == 0 ? -128 : 127));
        }
        check(GgmlType.Q8_0, w8, rows, cols, new QuantizedVector[] {KernelFixtures.quantize(GgmlType.Q8_0, values)});
    }

    /** Every fp16 bit pattern as a block's scale gives the float {@link Float#float16ToFloat} gives. */
    @Test
    void everyScaleConvertsAsJavaDoes() {
        int blocks = InterleavedLayout.ROUND_BLOCKS;
        byte[] round = new byte[InterleavedLayout.roundBytes(GgmlType.Q4_0)];
        Arrays.fill(round, InterleavedLayout.QUANTS, round.length, (byte) 0x99); // every nibble 9: the value 1
        short[] xs = new short[InterleavedLayout.ROUND_ELEMENTS];
        int[] xsum = new int[blocks];
        float[] xd = new float[blocks];
        Arrays.fill(xd, 1f);
        xs[0] = 1; // element 0 of block 0: the block's sum is (9 - 8) · 1 = 1, the others' 0
        xsum[0] = 1;
        MemorySegment w = MemorySegment.ofArray(round);
        for (int bits = 0; bits < 1 << 16; bits++) {
            round[0] = (byte) bits;
            round[1] = (byte) (bits >> 8);
            float expected = Float.float16ToFloat((short) bits);
            float actual = InterleavedQ4_0Kernel.dot(w, 0, blocks, xs, xsum, xd);
            assertTrue(expected == actual || Float.isNaN(expected) && Float.isNaN(actual),
                    String.format("fp16 %04x: %s, kernel %s", bits, expected, actual));
        }
    }

    /**
     * Through {@link InterleavedQ4_0Kernel#multiply}: two row tiles of {@link TokenLanes} (the second ending in a
     * short quad of rows), three groups of 16 tokens (a pair, then one alone), then 7 tokens left over (a four and
     * three alone). The grouped tokens get the scalar kernel's bits, the others are within the tolerance.
     */
    @Test
    void promptBatchesAcrossTilesAndGroups() {
        SplittableRandom random = new SplittableRandom(5);
        for (GgmlType type : TYPES) {
            int cols = 4 * InterleavedLayout.ROUND_ELEMENTS;
            int rowBytes = (int) type.bytesFor(cols);
            int rows = TokenLanes.TILE_BYTES / rowBytes + 7;
            byte[] w = KernelFixtures.weights(type, rows, cols, random);
            QuantizedVector[] x = new QuantizedVector[3 * TokenLanes.TOKENS + 7];
            for (int t = 0; t < x.length; t++) {
                x[t] = KernelFixtures.activations(type, cols, random);
            }
            float[][] out = multiply(type, w, rows, cols, x);
            for (int t = 0; t < x.length; t++) {
                for (int r = 0; r < rows; r++) {
                    float scalar = WeightFormat.of(type).dot(w, r * rowBytes, x[t], 0, cols);
                    String what = type + " row " + r + " token " + t + ": scalar " + scalar + ", interleaved "
                            + out[t][r];
                    if (t < 3 * TokenLanes.TOKENS) {
                        assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[t][r]), what);
                    } else {
                        assertTrue(Math.abs(scalar - out[t][r]) <= tolerance(type, w, r * rowBytes, x[t], cols), what);
                    }
                }
            }
        }
    }

    /**
     * {@link HostKernels#interleave} repacks Q4_0 and Q8_0 matrices of whole rounds in a copy of the weights, then
     * multiplies them as before (within the tolerance) and reads their rows back as the file has them; it leaves a
     * mapped file, a row length of no whole rounds and bytes handed over ({@link HeapSource#of}) alone, and refuses
     * F32 activations on a repacked matrix.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q8_0"})
    void hostKernelsRepackOnlyWhatTheyCanReadBack(GgmlType type, @TempDir Path dir) throws Exception {
        WeightFormat format = WeightFormat.of(type);
        SplittableRandom random = new SplittableRandom(8);
        int cols = 3 * InterleavedLayout.ROUND_ELEMENTS;
        int rows = 40;
        byte[] w = KernelFixtures.weights(type, rows, cols, random);
        byte[] file = w.clone();
        Files.write(dir.resolve("w.bin"), file);
        try (HeapSource copy = HeapSource.copyOf(w);
             HeapSource shared = HeapSource.of(w);
             MappedFileSource mapped = MappedFileSource.open(dir.resolve("w.bin"));
             HostKernels kernels = new HostKernels(2)) {
            Matrix repacked = new Matrix("repacked", format, rows, cols, copy, 0);
            Matrix inPlace = new Matrix("mapped", format, rows, cols, mapped, 0);
            Matrix narrow = new Matrix("narrow", format, 2 * rows, cols / 2, copy, 0);
            Matrix handedOver = new Matrix("handed over", format, rows, cols, shared, 0);
            long bytes = kernels.interleave(List.of(repacked, inPlace, narrow, handedOver));
            if (!Lanes.WIDE || !Lanes.SUPPORTED) {
                assertEquals(0, bytes, "no AVX-512: nothing repacked");
                return;
            }
            assertEquals(repacked.byteSize(), bytes, "only the copy's matrix of whole rounds");
            assertArrayEquals(file, w, "bytes handed over are left alone");
            assertArrayEquals(file, Files.readAllBytes(dir.resolve("w.bin")), "the file is untouched");

            QuantizedVector[] x = {KernelFixtures.activations(type, cols, random)};
            float[][] out = new float[1][rows];
            kernels.matmul(repacked, x, 1, out, 0, rows);
            float[] row = new float[cols];
            float[] expectedRow = new float[cols];
            for (int r = 0; r < rows; r++) {
                float scalar = format.dot(file, r * repacked.rowBytes(), x[0], 0, cols);
                assertTrue(Math.abs(scalar - out[0][r]) <= tolerance(type, file, r * repacked.rowBytes(), x[0], cols),
                        "row " + r + ": scalar " + scalar + ", interleaved " + out[0][r]);
                kernels.dequantizeRow(repacked, r, new byte[repacked.rowBytes()], row);
                format.dequantize(file, r * repacked.rowBytes(), expectedRow, 0, cols);
                assertArrayEquals(expectedRow, row, "row " + r + " read back");
            }
            QuantizedVector[] precise = {new QuantizedVector(ActivationType.F32, cols)};
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> kernels.matmul(repacked, precise, 1, out, 0, rows));
            assertTrue(e.getMessage().contains("repacked"), e.getMessage());
        }
    }

    private static void check(GgmlType type, byte[] w, int rows, int cols, QuantizedVector[] x) {
        float[][] out = multiply(type, w, rows, cols, x);
        int rowBytes = (int) type.bytesFor(cols);
        for (int t = 0; t < x.length; t++) {
            for (int r = 0; r < rows; r++) {
                float scalar = WeightFormat.of(type).dot(w, r * rowBytes, x[t], 0, cols);
                assertTrue(Math.abs(scalar - out[t][r]) <= tolerance(type, w, r * rowBytes, x[t], cols),
                        type + " row " + r + " token " + t + " of " + cols + " columns: scalar " + scalar
                                + ", interleaved " + out[t][r]);
            }
        }
    }

    /** {@code w} (GGUF layout) repacked, times every token of {@code x} by the interleaved kernels. */
    private static float[][] multiply(GgmlType type, byte[] w, int rows, int cols, QuantizedVector[] x) {
        int rowBytes = (int) type.bytesFor(cols);
        MemorySegment packed = MemorySegment.ofArray(w.clone());
        InterleavedLayout.packRows(type, packed, rows, rowBytes);
        Activations prepared = new Activations();
        prepared.prepare(x, x.length, type);
        float[][] out = new float[x.length][rows];
        WeightKernel kernel = type == GgmlType.Q4_0 ? InterleavedQ4_0Kernel.INSTANCE : InterleavedQ8_0Kernel.INSTANCE;
        kernel.multiply(packed, rowBytes, cols, 0, rows, prepared, out, new Scratch());
        return out;
    }

    private static double tolerance(GgmlType type, byte[] w, int offset, QuantizedVector x, int cols) {
        return KernelFixtures.tolerance(cols / 32, KernelFixtures.magnitude(type, w, offset, x, cols));
    }
}

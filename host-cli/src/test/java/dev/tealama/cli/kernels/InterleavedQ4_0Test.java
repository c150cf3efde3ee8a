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
 * The {@link InterleavedQ4_0} layout and its kernels against core's scalar Q4_0 dot product: the repacking is a
 * permutation that {@link InterleavedQ4_0#unpackRow} undoes, the one-token and four-token kernels stay within the
 * tolerance of another summation order, {@link TokenLanes} on the layout gives the scalar bits as it does on the
 * GGUF layout, and {@link HostKernels#interleave} repacks only what it can read back. The kernels are called
 * directly, so they are checked on every machine (the Vector API emulates 512-bit vectors where they are not native:
 * slow, same results).
 */
class InterleavedQ4_0Test {
    private static final WeightFormat Q4_0 = WeightFormat.of(GgmlType.Q4_0);

    @Property(tries = 50)
    void packingIsAPermutationUndoneByUnpacking(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rows = 1 + random.nextInt(3);
        int rowBytes = InterleavedQ4_0.ROUND_BYTES * (1 + random.nextInt(4));
        byte[] gguf = new byte[rows * rowBytes];
        random.nextBytes(gguf);
        MemorySegment packed = MemorySegment.ofArray(gguf.clone());
        InterleavedQ4_0.packRows(packed, rows, rowBytes);
        byte[] bytes = packed.toArray(ValueLayout.JAVA_BYTE);
        byte[] sortedBefore = gguf.clone();
        byte[] sortedAfter = bytes.clone();
        Arrays.sort(sortedBefore);
        Arrays.sort(sortedAfter);
        assertArrayEquals(sortedBefore, sortedAfter, "the same bytes, moved");
        for (int r = 0; r < rows; r++) {
            byte[] row = Arrays.copyOfRange(bytes, r * rowBytes, (r + 1) * rowBytes);
            byte[] back = new byte[rowBytes];
            InterleavedQ4_0.unpackRow(row, back, rowBytes);
            assertArrayEquals(Arrays.copyOfRange(gguf, r * rowBytes, (r + 1) * rowBytes), back, "row " + r);
            for (int at = 0; at < rowBytes; at += InterleavedQ4_0.ROUND_BYTES) {
                byte[] quants = new byte[256];
                InterleavedQ4_0.unpackQuants(packed, (long) r * rowBytes + at, quants);
                for (int i = 0; i < 16; i++) {
                    assertArrayEquals(Arrays.copyOfRange(back, at + 18 * i + 2, at + 18 * i + 18),
                            Arrays.copyOfRange(quants, 16 * i, 16 * i + 16), "the vector transposition, block " + i);
                }
            }
        }
    }

    @Property(tries = 200)
    void oneTokenKernelMatchesScalarDot(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int cols = InterleavedQ4_0.ROUND_ELEMENTS * (1 + random.nextInt(6));
        int rows = 3;
        byte[] w = KernelFixtures.weights(GgmlType.Q4_0, rows, cols, random);
        QuantizedVector x = KernelFixtures.activations(GgmlType.Q4_0, cols, random);
        check(w, rows, cols, new QuantizedVector[] {x});
    }

    /**
     * The int16 sums at their bounds: every nibble 15 or 0 against quants of ±127 and a -128 (a subnormal block),
     * where a lane reaches ±30,720 of its ±32,767.
     */
    @Test
    void extremeQuants() {
        SplittableRandom random = new SplittableRandom(3);
        int cols = 2 * InterleavedQ4_0.ROUND_ELEMENTS;
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
        check(w, rows, cols, new QuantizedVector[] {x, KernelFixtures.activations(GgmlType.Q4_0, cols, random)});
    }

    /** Every fp16 bit pattern as a block's scale gives the float {@link Float#float16ToFloat} gives. */
    @Test
    void everyScaleConvertsAsJavaDoes() {
        int blocks = InterleavedQ4_0.ROUND_BLOCKS;
        byte[] round = new byte[InterleavedQ4_0.ROUND_BYTES];
        Arrays.fill(round, InterleavedQ4_0.QUANTS, round.length, (byte) 0x99); // every nibble 9: the value 1
        short[] xs = new short[InterleavedQ4_0.ROUND_ELEMENTS];
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
        int cols = 4 * InterleavedQ4_0.ROUND_ELEMENTS;
        int rowBytes = (int) GgmlType.Q4_0.bytesFor(cols);
        int rows = TokenLanes.TILE_BYTES / rowBytes + 7;
        byte[] w = KernelFixtures.weights(GgmlType.Q4_0, rows, cols, random);
        QuantizedVector[] x = new QuantizedVector[3 * TokenLanes.TOKENS + 7];
        for (int t = 0; t < x.length; t++) {
            x[t] = KernelFixtures.activations(GgmlType.Q4_0, cols, random);
        }
        float[][] out = multiply(w, rows, cols, x);
        for (int t = 0; t < x.length; t++) {
            for (int r = 0; r < rows; r++) {
                float scalar = Q4_0.dot(w, r * rowBytes, x[t], 0, cols);
                String what = "row " + r + " token " + t + ": scalar " + scalar + ", interleaved " + out[t][r];
                if (t < 3 * TokenLanes.TOKENS) {
                    assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(out[t][r]), what);
                } else {
                    assertTrue(Math.abs(scalar - out[t][r]) <= tolerance(w, r * rowBytes, x[t], cols), what);
                }
            }
        }
    }

    /**
     * {@link HostKernels#interleave} repacks a Q4_0 matrix of whole rounds in a copy of the weights, then multiplies
     * it as before (within the tolerance) and reads its rows back as the file has them; it leaves a mapped file, a
     * row length of no whole rounds and bytes handed over ({@link HeapSource#of}) alone, and refuses F32 activations
     * on a repacked matrix.
     */
    @Test
    void hostKernelsRepackOnlyWhatTheyCanReadBack(@TempDir Path dir) throws Exception {
        SplittableRandom random = new SplittableRandom(8);
        int cols = 3 * InterleavedQ4_0.ROUND_ELEMENTS;
        int rows = 40;
        byte[] w = KernelFixtures.weights(GgmlType.Q4_0, rows, cols, random);
        byte[] file = w.clone();
        Files.write(dir.resolve("w.bin"), file);
        try (HeapSource copy = HeapSource.copyOf(w);
             HeapSource shared = HeapSource.of(w);
             MappedFileSource mapped = MappedFileSource.open(dir.resolve("w.bin"));
             HostKernels kernels = new HostKernels(2)) {
            Matrix repacked = new Matrix("repacked", Q4_0, rows, cols, copy, 0);
            Matrix inPlace = new Matrix("mapped", Q4_0, rows, cols, mapped, 0);
            Matrix narrow = new Matrix("narrow", Q4_0, 2 * rows, cols / 2, copy, 0);
            Matrix handedOver = new Matrix("handed over", Q4_0, rows, cols, shared, 0);
            long bytes = kernels.interleave(List.of(repacked, inPlace, narrow, handedOver));
            if (!Lanes.WIDE || !Lanes.SUPPORTED) {
                assertEquals(0, bytes, "no AVX-512: nothing repacked");
                return;
            }
            assertEquals(repacked.byteSize(), bytes, "only the copy's matrix of whole rounds");
            assertArrayEquals(file, w, "bytes handed over are left alone");
            assertArrayEquals(file, Files.readAllBytes(dir.resolve("w.bin")), "the file is untouched");

            QuantizedVector[] x = {KernelFixtures.activations(GgmlType.Q4_0, cols, random)};
            float[][] out = new float[1][rows];
            kernels.matmul(repacked, x, 1, out, 0, rows);
            float[] row = new float[cols];
            float[] expectedRow = new float[cols];
            for (int r = 0; r < rows; r++) {
                float scalar = Q4_0.dot(file, r * repacked.rowBytes(), x[0], 0, cols);
                assertTrue(Math.abs(scalar - out[0][r]) <= tolerance(file, r * repacked.rowBytes(), x[0], cols),
                        "row " + r + ": scalar " + scalar + ", interleaved " + out[0][r]);
                kernels.dequantizeRow(repacked, r, new byte[repacked.rowBytes()], row);
                Q4_0.dequantize(file, r * repacked.rowBytes(), expectedRow, 0, cols);
                assertArrayEquals(expectedRow, row, "row " + r + " read back");
            }
            QuantizedVector[] precise = {new QuantizedVector(ActivationType.F32, cols)};
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> kernels.matmul(repacked, precise, 1, out, 0, rows));
            assertTrue(e.getMessage().contains("repacked"), e.getMessage());
        }
    }

    private static void check(byte[] w, int rows, int cols, QuantizedVector[] x) {
        float[][] out = multiply(w, rows, cols, x);
        int rowBytes = (int) GgmlType.Q4_0.bytesFor(cols);
        for (int t = 0; t < x.length; t++) {
            for (int r = 0; r < rows; r++) {
                float scalar = Q4_0.dot(w, r * rowBytes, x[t], 0, cols);
                assertTrue(Math.abs(scalar - out[t][r]) <= tolerance(w, r * rowBytes, x[t], cols),
                        "row " + r + " token " + t + " of " + cols + " columns: scalar " + scalar + ", interleaved "
                                + out[t][r]);
            }
        }
    }

    /** {@code w} (GGUF layout) repacked, times every token of {@code x} by the interleaved kernels. */
    private static float[][] multiply(byte[] w, int rows, int cols, QuantizedVector[] x) {
        int rowBytes = (int) GgmlType.Q4_0.bytesFor(cols);
        MemorySegment packed = MemorySegment.ofArray(w.clone());
        InterleavedQ4_0.packRows(packed, rows, rowBytes);
        Activations prepared = new Activations();
        prepared.prepare(x, x.length, true);
        float[][] out = new float[x.length][rows];
        InterleavedQ4_0Kernel.INSTANCE.multiply(packed, rowBytes, cols, 0, rows, prepared, out, new Scratch());
        return out;
    }

    private static double tolerance(byte[] w, int offset, QuantizedVector x, int cols) {
        return KernelFixtures.tolerance(cols / 32, KernelFixtures.magnitude(GgmlType.Q4_0, w, offset, x, cols));
    }
}

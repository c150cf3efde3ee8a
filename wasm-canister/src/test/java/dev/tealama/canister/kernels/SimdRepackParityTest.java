package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tealama.canister.BuiltShims;
import dev.tealama.ichost.MeteredLibrary;
import dev.tealama.tensor.GgmlType;




import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The load's SIMD repacking ({@code src/main/wat/simd-repack.wat}, as the build assembled it), run metered in the local
 * IC host, against {@link PackedLayout#packRows4}, the Java reference whose output the packed kernels are checked on
 * against core's dot products ({@link SimdKernelsParityTest}): every byte of random groups of four rows, for each row
 * length the 1B-shaped models have and the smallest, and what it costs per byte.
 */
class SimdRepackParityTest {
    private static final int SRC = 1 << 16;
    private static MeteredLibrary repack;

    @BeforeAll
    static void load() {
        repack = BuiltShims.load("simd-repack", 64);
    }

    @ParameterizedTest(name = "{0}, {1} columns")
    @CsvSource({"Q8_0, 32", "Q8_0, 64", "Q8_0, 2048", "Q8_0, 8192", "Q4_0, 32", "Q4_0, 96", "Q4_0, 2048",
            "Q4_0, 8192"})
    void givesTheJavaReferencesBytes(GgmlType type, int cols) {
        int rowBytes = cols / 32 * type.blockBytes();
        int groupBytes = 4 * rowBytes;
        Random random = new Random(31L * cols + type.ordinal());
        byte[] rows = new byte[groupBytes];
        random.nextBytes(rows); // every byte value, scales included: the repacking only moves bits
        byte[] expected = new byte[groupBytes];
        PackedLayout.packRows4(type, rows, 0, rowBytes, expected, 0);

        int dst = SRC + groupBytes + 16;
        repack.write(SRC, rows);
        byte[] garbage = new byte[groupBytes + 32]; // the destination starts dirty and must be wholly overwritten
        random.nextBytes(garbage);
        repack.write(dst - 16, garbage);
        repack.call(type == GgmlType.Q8_0 ? "q8_0_rows4" : "q4_0_rows4", SRC, rowBytes, cols / 32, dst);

        assertArrayEquals(expected, repack.read(dst, groupBytes), type + ", " + cols + " columns");
        assertArrayEquals(java.util.Arrays.copyOf(garbage, 16), repack.read(dst - 16, 16), "bytes before the group");
        assertArrayEquals(java.util.Arrays.copyOfRange(garbage, groupBytes + 16, groupBytes + 32),
                repack.read(dst + groupBytes, 16), "bytes after the group");
        assertArrayEquals(rows, repack.read(SRC, groupBytes), "the source is left as it was");
        double perByte = (double) repack.lastInstructions() / groupBytes;
        System.out.printf("repack %s, %d columns: %.3f instructions per byte%n", type, cols, perByte);
        if (cols >= 2048) { // Java's packRows4 in TeaVM: ~390 per byte
            double limit = type == GgmlType.Q8_0 ? 1.5 : 3;
            assertTrue(perByte < limit, type + ": " + perByte + " instructions per byte");
        }
    }
}

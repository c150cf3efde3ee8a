package dev.tealama.canister.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tealama.tensor.GgmlType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PackedLayout#unpackRow} gives back each row of a packed group byte for byte (a token's embedding). */
class PackedLayoutTest {
    @ParameterizedTest(name = "{0}, {1} columns")
    @CsvSource({"Q8_0, 32", "Q8_0, 64", "Q8_0, 2048", "Q4_0, 32", "Q4_0, 64", "Q4_0, 2048"})
    void unpackRowGivesTheGgufRowBack(GgmlType type, int cols) {
        Random random = new Random(cols + type.ordinal());
        int rowBytes = cols / 32 * type.blockBytes();
        for (int round = 0; round < 5; round++) {
            byte[] rows = new byte[4 * rowBytes + 7];
            random.nextBytes(rows);
            byte[] packed = new byte[4 * rowBytes + 3];
            PackedLayout.packRows4(type, rows, 7, rowBytes, packed, 3);
            for (int r = 0; r < 4; r++) {
                byte[] row = new byte[rowBytes + 5];
                PackedLayout.unpackRow(type, packed, 3, rowBytes, r, row, 5);
                assertArrayEquals(Arrays.copyOfRange(rows, 7 + r * rowBytes, 7 + (r + 1) * rowBytes),
                        Arrays.copyOfRange(row, 5, 5 + rowBytes), type + " row " + r);
            }
        }
    }
}

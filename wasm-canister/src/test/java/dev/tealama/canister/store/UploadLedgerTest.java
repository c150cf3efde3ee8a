package dev.tealama.canister.store;

import dev.tealama.TealamaException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chunk bookkeeping: any order, harmless duplicates, refused overlaps and ranges, the gaps it reports. */
class UploadLedgerTest {

    @Test
    void duplicatesAreHarmlessAndOverlapsRefused() {
        UploadLedger l = new UploadLedger(1000, 100);
        assertEquals(UploadLedger.Outcome.ADDED, l.add(100, 100));
        assertEquals(UploadLedger.Outcome.DUPLICATE, l.add(100, 100));
        assertEquals(100, l.received());
        assertTrue(assertThrows(TealamaException.class, () -> l.add(150, 100)).getMessage().contains("overlaps"));
        assertTrue(assertThrows(TealamaException.class, () -> l.add(50, 60)).getMessage().contains("overlaps"));
        assertTrue(assertThrows(TealamaException.class, () -> l.add(100, 50)).getMessage().contains("overlaps"));
        assertTrue(assertThrows(TealamaException.class, () -> l.add(950, 60)).getMessage().contains("outside"));
        assertTrue(assertThrows(TealamaException.class, () -> l.add(-1, 1)).getMessage().contains("outside"));
        assertTrue(assertThrows(TealamaException.class, () -> l.add(0, 0)).getMessage().contains("empty"));
        assertTrue(assertThrows(TealamaException.class, () -> l.add(0, UploadLedger.MAX_CHUNK + 1)).getMessage()
                .contains("at most"));
        assertEquals(100, l.received());
        assertEquals(1, l.chunkCount());
    }

    @Test
    void reportsTheGaps() {
        UploadLedger l = new UploadLedger(1000, 100);
        l.add(100, 100);
        l.add(500, 100);
        List<long[]> gaps = l.missing(10);
        assertEquals(3, gaps.size());
        assertArrayEquals(new long[] {0, 100}, gaps.get(0));
        assertArrayEquals(new long[] {200, 300}, gaps.get(1));
        assertArrayEquals(new long[] {600, 400}, gaps.get(2));
        assertEquals(3, l.missingCount());
        assertEquals(2, l.missing(2).size());
    }

    @Test
    void refusesChunksPastItsCapacity() {
        UploadLedger l = new UploadLedger(1000, 2);
        l.add(0, 10);
        l.add(10, 10);
        assertTrue(assertThrows(TealamaException.class, () -> l.add(20, 10)).getMessage().contains("too many chunks"));
    }

    @Property(tries = 200)
    void anyOrderWithDuplicatesCompletesExactly(@ForAll @IntRange(min = 1, max = 5000) int size,
                                                @ForAll @IntRange(min = 1, max = 700) int chunk,
                                                @ForAll long seed) {
        List<Long> offsets = new ArrayList<>();
        for (long off = 0; off < size; off += chunk) {
            offsets.add(off);
        }
        List<Long> sends = new ArrayList<>(offsets);
        sends.addAll(offsets.subList(0, offsets.size() / 2));
        Collections.shuffle(sends, new Random(seed));
        UploadLedger l = new UploadLedger(size, 100_000);
        for (long off : sends) {
            l.add(off, Math.min(chunk, size - off));
            long gaps = 0;
            for (long[] g : l.missing(Integer.MAX_VALUE)) {
                gaps += g[1];
            }
            assertEquals(size - l.received(), gaps);
        }
        assertTrue(l.isComplete());
        assertEquals(0, l.missingCount());
    }
}

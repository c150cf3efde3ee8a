package dev.tealama.ichost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Stable memory against a plain byte array; its per-message page accounting against hand-counted 4 KiB pages. */
class StableMemoryTest {

    @Property(tries = 200)
    void commitsAndRollbacksMatchAPlainCopy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int transactions) {
        Random random = new Random(seed);
        StableMemory stable = new StableMemory(6L * 65536);
        byte[] committed = new byte[0];
        for (int t = 0; t < transactions; t++) {
            stable.beginMessage(Long.MAX_VALUE, Long.MAX_VALUE);
            byte[] model = committed.clone();
            for (int o = random.nextInt(10); o > 0; o--) {
                if (random.nextInt(4) == 0 || model.length == 0) {
                    long delta = random.nextInt(3);
                    long previous = stable.grow(delta);
                    if (previous >= 0) {
                        model = Arrays.copyOf(model, (int) ((previous + delta) * 65536));
                    } else {
                        assertTrue(model.length / 65536 + delta > 6, "grow fails only past the maximum");
                    }
                } else {
                    int offset = random.nextInt(model.length);
                    byte[] data = new byte[random.nextInt(Math.min(150_000, model.length - offset) + 1)];
                    random.nextBytes(data);
                    stable.write(offset, data);
                    System.arraycopy(data, 0, model, offset, data.length);
                    int readAt = random.nextInt(model.length);
                    int length = random.nextInt(model.length - readAt + 1);
                    assertArrayEquals(Arrays.copyOfRange(model, readAt, readAt + length), stable.read(readAt, length));
                }
            }
            if (random.nextBoolean()) {
                stable.commit();
                committed = model;
            } else {
                stable.rollback();
            }
            assertEquals(committed.length / 65536, stable.sizePages());
            assertArrayEquals(committed, stable.read(0, committed.length));
        }
    }

    @Test
    void accessedAndWrittenPagesAreCountedOnceEachIn4KiBPages() {
        StableMemory stable = new StableMemory(1L << 30);
        stable.grow(16);
        stable.beginMessage(3 * 4096, 2 * 4096);
        stable.read(0, 4096);          // page 0
        stable.read(100, 3000);        // page 0 again: not counted twice
        stable.write(4095, new byte[2]); // pages 0 and 1: page 1 touched, both written
        assertThrows(CanisterTrap.class, () -> stable.write(8192, new byte[1]), "a third written page");
        stable.beginMessage(3 * 4096, 2 * 4096);
        stable.read(0, 3 * 4096);
        CanisterTrap trap = assertThrows(CanisterTrap.class, () -> stable.read(3 * 4096, 1));
        assertEquals(ErrorCode.CANISTER_MEMORY_ACCESS_LIMIT_EXCEEDED, trap.error());
    }

    @Test
    void accessOutsideTheStableMemoryTraps() {
        StableMemory stable = new StableMemory(1L << 30);
        stable.grow(1);
        stable.beginMessage(Long.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(65536, stable.read(0, 65536).length);
        assertThrows(CanisterTrap.class, () -> stable.read(1, 65536));
        assertThrows(CanisterTrap.class, () -> stable.write(-1, new byte[1]));
        assertThrows(CanisterTrap.class, () -> stable.read(Long.MAX_VALUE, 2));
        assertEquals(-1, stable.grow(1L << 20), "past the maximum");
        assertEquals(1, stable.sizePages());
    }
}

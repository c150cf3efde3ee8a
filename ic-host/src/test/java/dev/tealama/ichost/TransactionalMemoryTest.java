package dev.tealama.ichost;

import static dev.tealama.ichost.LocalCanisterTest.ALICE;
import static dev.tealama.ichost.LocalCanisterTest.BOB;
import static dev.tealama.ichost.LocalCanisterTest.i32;
import static dev.tealama.ichost.LocalCanisterTest.le32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Copy-on-write rollback of the Wasm memory against a plain byte array copied before each transaction. */
class TransactionalMemoryTest {

    @Property(tries = 200)
    void commitsAndRollbacksMatchAPlainCopy(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int transactions) {
        Random random = new Random(seed);
        TransactionalMemory memory = new TransactionalMemory(new MemoryLimits(2, 8), 1L << 32);
        memory.commit();
        byte[] committed = new byte[2 * 65536];
        for (int t = 0; t < transactions; t++) {
            byte[] model = Arrays.copyOf(committed, memory.pages() * 65536);
            int operations = random.nextInt(20);
            for (int o = 0; o < operations; o++) {
                int size = model.length;
                int address = random.nextInt(size);
                switch (random.nextInt(6)) {
                    case 0:
                        if (address <= size - 8) {
                            long value = random.nextLong();
                            memory.writeLong(address, value);
                            for (int i = 0; i < 8; i++) {
                                model[address + i] = (byte) (value >>> (8 * i));
                            }
                        }
                        break;
                    case 1:
                        if (address <= size - 4) {
                            int value = random.nextInt();
                            memory.writeI32(address, value);
                            for (int i = 0; i < 4; i++) {
                                model[address + i] = (byte) (value >>> (8 * i));
                            }
                        }
                        break;
                    case 2: {
                        byte[] data = new byte[random.nextInt(Math.min(70_000, size - address) + 1)];
                        random.nextBytes(data);
                        memory.write(address, data, 0, data.length);
                        System.arraycopy(data, 0, model, address, data.length);
                        break;
                    }
                    case 3: {
                        int length = random.nextInt(size - address + 1);
                        byte value = (byte) random.nextInt();
                        memory.fill(value, address, address + length);
                        Arrays.fill(model, address, address + length, value);
                        break;
                    }
                    case 4: {
                        int grown = random.nextInt(3);
                        int previous = memory.grow(grown);
                        if (previous >= 0) {
                            model = Arrays.copyOf(model, (previous + grown) * 65536);
                        }
                        break;
                    }
                    default: {
                        int length = random.nextInt(size - address + 1);
                        int target = random.nextInt(size - length + 1);
                        memory.copy(target, address, length);
                        System.arraycopy(model, address, model, target, length);
                        break;
                    }
                }
                assertEquals(model.length, memory.pages() * 65536);
            }
            if (random.nextBoolean()) {
                memory.commit();
                committed = model;
            } else {
                memory.rollback();
            }
            assertArrayEquals(committed, memory.readBytes(0, memory.pages() * 65536), "after transaction " + t);
        }
    }

    @Test
    void singleValuesStraddlingPagesAndOutOfBounds() {
        TransactionalMemory memory = new TransactionalMemory(new MemoryLimits(2, 2), 1L << 32);
        memory.writeLong(65533, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, memory.readLong(65533));
        memory.writeF64(65532, Math.PI);
        assertEquals(Math.PI, memory.readDouble(65532));
        memory.writeShort(65535, (short) 0x1234);
        assertEquals((short) 0x1234, memory.readShort(65535));
        assertThrows(WasmRuntimeException.class, () -> memory.readInt(2 * 65536 - 3));
        assertThrows(WasmRuntimeException.class, () -> memory.writeByte(2 * 65536, (byte) 1));
        assertThrows(WasmRuntimeException.class, () -> memory.readLong(-8));
        assertEquals(-1, memory.grow(1), "past the module's maximum");
    }

    @Test
    void hundredsOfMessagesOnALargeHeapCopyOnlyWhatTheyWrite() {
        LocalCanister canister = LocalCanister.builder().debugSink(t -> { }).build();
        canister.install(Wat.resource("counter"), new byte[0], Set.of(ALICE)).replyOrThrow();
        assertEquals(1, i32(canister.update("grow", le32(8191), BOB)), "a 512 MiB heap");
        TransactionalMemory memory = canister.wasmMemory();
        for (int i = 1; i <= 300; i++) {
            assertEquals(i, i32(canister.update("inc", new byte[0], BOB)));
            assertEquals(0, memory.savedPages(), "committed");
            canister.update("inc_then_trap", new byte[0], BOB);
            canister.query("inc_in_query", new byte[0], BOB);
        }
        assertEquals(300, i32(canister.query("get", new byte[0], BOB)));
        assertEquals(8192, memory.pages());
        assertTrue(memory.materializedPages() <= 2, "only the written pages hold memory of their own: "
                + memory.materializedPages());
    }
}

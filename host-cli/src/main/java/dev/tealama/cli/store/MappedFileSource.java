package dev.tealama.cli.store;

import dev.tealama.TealamaException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The model file mapped into memory, read-only: nothing is copied, the OS pages weights in on first use and shares
 * them between processes. Works for files over 2 GiB (one {@link MemorySegment}, long offsets).
 */
public final class MappedFileSource extends ContiguousSource {
    private final Arena arena;

    private MappedFileSource(Arena arena, MemorySegment segment) {
        super(segment);
        this.arena = arena;
    }

    public static MappedFileSource open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new MappedFileSource(arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw new TealamaException("cannot map " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean ownCopy() {
        return false;
    }

    @Override
    public String strategy() {
        return "mmap";
    }

    @Override
    public void close() {
        arena.close();
    }
}

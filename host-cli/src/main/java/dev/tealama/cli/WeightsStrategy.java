package dev.tealama.cli;

import dev.tealama.TealamaException;
import dev.tealama.cli.store.HeapSource;
import dev.tealama.cli.store.HugePageSource;
import dev.tealama.cli.store.MappedFileSource;
import dev.tealama.cli.store.SegmentSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.TensorInfo;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintStream;
import java.nio.file.Path;

/** Where the weights live while the model runs ({@code --weights}). */
public enum WeightsStrategy {
    /**
     * The file is mapped into memory: nothing is copied, the OS reads weights in as they are first used and can
     * share them between processes; files over 2 GiB work.
     */
    MMAP("mmap"),
    /** The file is copied into Java arrays, one per tensor: the heap must hold the whole file. */
    HEAP("heap"),
    /**
     * The file is read into anonymous memory outside the Java heap, in 2 MiB transparent huge pages (fewer page
     * walks while the weights stream through: faster generation, no {@code -Xmx}). Where huge pages cannot be had
     * (not Linux, or switched off) it warns and maps the file as {@link #MMAP} does.
     */
    HUGEPAGES("hugepages"),
    /**
     * {@link #HUGEPAGES} where huge pages can be had and the file fits in the memory available now with room to
     * spare; otherwise {@link #MMAP}, which can run a model larger than memory. Measured on a quiet machine,
     * huge pages generate 8–9% faster than the file mapping (docs/benchmarks.md); a copy that does not fit would
     * instead fail or push the system into reclaim.
     */
    AUTO("auto");

    /** Memory left to everything else when {@link #AUTO} copies a file: a tenth of the file, at least 512 MiB. */
    static long autoHeadroom(long fileBytes) {
        return Math.max(fileBytes / 10, 512L << 20);
    }

    private final String cliName;

    WeightsStrategy(String cliName) {
        this.cliName = cliName;
    }

    /** The name {@code --weights} takes. */
    public String cliName() {
        return cliName;
    }

    /** Opens {@code file} this way; progress notes go to {@code log}. */
    public SegmentSource open(Path file, PrintStream log) {
        return switch (this) {
            case MMAP -> MappedFileSource.open(file);
            case HEAP -> openHeap(file, log);
            case HUGEPAGES -> openHugePages(file, log);
            case AUTO -> openAuto(file, log);
        };
    }

    private static SegmentSource openAuto(Path file, PrintStream log) {
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return MappedFileSource.open(file); // which names the file and what is wrong with it
        }
        if (chooseHugePages(HugePageSource.unavailableReason() == null, size, MemoryInfo.availableBytes())) {
            return openHugePages(file, log);
        }
        return MappedFileSource.open(file);
    }

    /**
     * {@link #AUTO}'s choice: huge pages if they can be had and {@code fileBytes} plus the headroom fit in
     * {@code availableBytes} ({@code /proc/meminfo}'s MemAvailable; -1 where unknown, which chooses the mapping).
     */
    static boolean chooseHugePages(boolean hugePagesAvailable, long fileBytes, long availableBytes) {
        return hugePagesAvailable && availableBytes >= 0 && fileBytes + autoHeadroom(fileBytes) <= availableBytes;
    }

    private static SegmentSource openHugePages(Path file, PrintStream log) {
        String unavailable = HugePageSource.unavailableReason();
        if (unavailable != null) {
            log.println("warning: " + unavailable + "; mapping the file instead (--weights mmap)");
            return MappedFileSource.open(file);
        }
        HugePageSource source = HugePageSource.load(file);
        // madvise is advice: say what the kernel actually gave, since the speed depends on it
        log.println("hugepages weights: read " + Sizes.bytes(source.size()) + " into anonymous memory ("
                + Sizes.bytes(source.hugePageBytes()) + " in 2 MiB pages)");
        return source;
    }

    private static SegmentSource openHeap(Path file, PrintStream log) {
        // Each tensor gets its own array (arrays stop short of 2 GiB), so the tensor offsets are needed first:
        // read the header through a mapping, which costs no heap.
        long[] tensorStarts;
        long size;
        try (MappedFileSource header = MappedFileSource.open(file)) {
            GgufFile gguf;
            try {
                gguf = GgufFile.read(header);
            } catch (TealamaException e) {
                throw new TealamaException(file + ": " + e.getMessage(), e);
            }
            tensorStarts = gguf.tensors().stream().mapToLong(TensorInfo::offset).toArray();
            size = header.size();
        }
        Runtime rt = Runtime.getRuntime();
        log.println("heap weights: copying " + Sizes.bytes(HeapSource.bytesNeeded(size))
                + " into the Java heap (the JVM may use up to " + Sizes.bytes(rt.maxMemory()) + ")");
        return HeapSource.load(file, tensorStarts);
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** Picocli converter: {@code mmap}, {@code heap}, {@code hugepages} or {@code auto}. */
    static final class Converter implements ITypeConverter<WeightsStrategy> {
        @Override
        public WeightsStrategy convert(String value) {
            for (WeightsStrategy s : values()) {
                if (s.cliName.equalsIgnoreCase(value)) {
                    return s;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a weights strategy (mmap, heap, hugepages or auto)");
        }
    }
}

package dev.tealama.cli;

import dev.tealama.TealamaException;
import dev.tealama.cli.kernels.HostKernels;
import dev.tealama.cli.store.HeapSource;
import dev.tealama.cli.store.SegmentSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.model.ForwardPass;
import dev.tealama.model.Kernels;
import dev.tealama.model.KvCache;
import dev.tealama.model.LayerWeights;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.Matrix;
import dev.tealama.model.NumericScheme;
import dev.tealama.session.GenerationSession;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model ready to generate: its bytes (mapped, on the heap, or the embedded model), the parsed model and the
 * kernels that will run it. Closing it stops the kernels' threads and unmaps the file.
 */
public final class LoadedModel implements AutoCloseable {
    /** A KV cache this large is worth a note before it is allocated. */
    private static final long LARGE_KV_CACHE = 512L << 20;

    private final String name;
    private final String storage;
    private final SegmentSource source;
    private final LlamaModel model;
    private final Kernels kernels;
    private final NumericScheme numerics;
    private final long loadNanos;

    private LoadedModel(String name, String storage, SegmentSource source, LlamaModel model, Kernels kernels,
                        NumericScheme numerics, long loadNanos) {
        this.name = name;
        this.storage = storage;
        this.source = source;
        this.model = model;
        this.kernels = kernels;
        this.numerics = numerics;
        this.loadNanos = loadNanos;
    }

    /**
     * Opens and checks the model: the embedded one (always in memory) or {@code file} with {@code weights}.
     *
     * @throws TealamaException naming the file and what is wrong with it
     */
    public static LoadedModel load(Path file, WeightsStrategy weights, KernelChoice kernelChoice, int threads,
                                   NumericScheme numerics, PrintStream log) {
        long start = System.nanoTime();
        String name;
        String storage;
        SegmentSource source;
        if (file == null) {
            name = ModelFileOption.EMBEDDED_NAME;
            storage = "embedded, in memory";
            source = HeapSource.of(ModelFileOption.embeddedModel());
        } else {
            ModelFileOption.requireReadableFile(file, "model file");
            name = file.toString();
            source = weights.open(file, log);
            storage = source.strategy();   // not weights.cliName(): hugepages may have fallen back to mmap
        }
        try {
            LlamaModel model = parse(source, name);
            Kernels kernels = kernelChoice.create(threads);
            if (kernels instanceof HostKernels host && numerics == NumericScheme.LLAMA_CPP) {
                interleave(host, model, log);
            }
            return new LoadedModel(name, storage, source, model, kernels, numerics, System.nanoTime() - start);
        } catch (RuntimeException | Error e) {
            source.close();
            throw e;
        }
    }

    /**
     * Repacks the layers' Q4_0 and Q8_0 matrices and the output projection, where the weights are the process's own
     * copy, into the layout of the host's fastest kernels ({@link HostKernels#interleave}). An untied token embedding stays
     * as it is: only single rows of it are read.
     */
    private static void interleave(HostKernels kernels, LlamaModel model, PrintStream log) {
        List<Matrix> matrices = new ArrayList<>();
        for (LayerWeights layer : model.weights().layers()) {
            matrices.addAll(layer.matrices());
        }
        matrices.add(model.weights().output());
        long start = System.nanoTime();
        long bytes = kernels.interleave(matrices);
        if (bytes > 0) {
            log.println("interleaved " + Sizes.bytes(bytes) + " of weights for the vector kernels in "
                    + Sizes.millis(System.nanoTime() - start));
        }
    }

    private static LlamaModel parse(SegmentSource source, String name) {
        try {
            return LlamaModel.load(source);
        } catch (TealamaException e) {
            throw new TealamaException(name + ": " + diagnose(source, e), e);
        }
    }

    /** The failure's message, or a better one when the cause is plain from the file as a whole. */
    private static String diagnose(SegmentSource source, TealamaException failure) {
        try {
            GgufFile file = GgufFile.read(source);
            if (file.tensors().isEmpty()) {
                return "the file has no tensors (a vocabulary-only GGUF?), so it cannot generate text";
            }
        } catch (TealamaException unreadable) {
            // the original failure already says what is wrong with the file
        }
        return failure.getMessage();
    }

    /**
     * A generation session with a KV cache of {@code contextSize} positions and prompt batches of up to
     * {@code maxBatch} tokens (see {@link #newForwardPass}).
     */
    public GenerationSession newSession(int contextSize, int maxBatch, PrintStream log) {
        return new GenerationSession(model, newForwardPass(contextSize, maxBatch, log));
    }

    /**
     * A forward pass with a KV cache of {@code contextSize} positions and batches of up to {@code maxBatch} tokens.
     * The cache is allocated now, in full: this fails with a clear message (rather than running out of memory
     * later) when the heap cannot hold it, and notes its size when it is large.
     */
    public ForwardPass newForwardPass(int contextSize, int maxBatch, PrintStream log) {
        LlamaConfig c = model.config();
        long cache = KvCache.bytesFor(c.layers(), contextSize, c.kvDim(), numerics == NumericScheme.LLAMA_CPP);
        long buffers = 4L * maxBatch * (3L * c.dim() + 2L * c.queryDim() + 2L * c.kvDim() + 2L * c.ffnDim())
                + 4L * c.vocabularySize() * 2;
        long needed = cache + buffers;
        if (needed > freeHeap()) {
            System.gc(); // parsing leaves garbage behind; count only what is really in use
            long free = freeHeap();
            if (needed > free) {
                throw new TealamaException("a context of " + Sizes.count(contextSize) + " positions needs "
                        + Sizes.bytes(cache) + " for its KV cache (plus " + Sizes.bytes(buffers)
                        + " of buffers), but only " + Sizes.bytes(free) + " of the Java heap is free; use a smaller "
                        + "--ctx-size or raise the heap (TEALAMA_JVM_OPTS=-Xmx"
                        + ((Runtime.getRuntime().maxMemory() + needed - free) / (1L << 30) + 1) + "g)");
            }
        }
        if (cache >= LARGE_KV_CACHE) {
            log.println("KV cache: " + Sizes.bytes(cache) + " for " + Sizes.count(contextSize)
                    + " positions, allocated up front (--ctx-size sets the positions)");
        }
        return model.newForwardPass(kernels, numerics, contextSize, maxBatch);
    }

    private static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    public LlamaModel model() {
        return model;
    }

    public Kernels kernels() {
        return kernels;
    }

    public NumericScheme numerics() {
        return numerics;
    }

    /** The bytes of the model file (for kernels and tools that read tensors directly). */
    public SegmentSource source() {
        return source;
    }

    /** The path given, or the embedded model's file name. */
    public String name() {
        return name;
    }

    /** How the weights are held: "mmap", "heap", "hugepages", or "embedded, in memory". */
    public String storage() {
        return storage;
    }

    /** Time from opening the file to a checked model with its kernels, in nanoseconds. */
    public long loadNanos() {
        return loadNanos;
    }

    /** One line for the statistics: what was loaded, how, how fast, on which kernels. */
    public String describe() {
        return name + " (" + storage + ", " + Sizes.bytes(source.size()) + "), loaded in " + Sizes.millis(loadNanos)
                + "; kernels " + kernels.name() + ", numerics " + NumericsConverter.cliName(numerics);
    }

    @Override
    public void close() {
        try {
            if (kernels instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing the kernels failed", e);
        } finally {
            source.close();
        }
    }
}

package dev.tealama.cli.kernels;

import dev.tealama.cli.store.SegmentSource;
import dev.tealama.model.Attention;
import dev.tealama.model.Kernels;
import dev.tealama.model.KvCache;
import dev.tealama.model.Matrix;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.ActivationType;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM host's kernels: each matmul's rows are split over a persistent {@link WorkerPool}, and every thread runs
 * the Vector API dot product of the weight format ({@link WeightKernel}) on rows read straight from the model's
 * {@link MemorySegment}.
 *
 * <p>Attention runs {@link VectorAttention} on every head in parallel, and SwiGLU a vector exponential, both giving
 * core's results (see each). Falls back to core's {@link ScalarKernels} (still threaded) where the vector kernels do
 * not apply: weights in a byte source that is not a {@link SegmentSource}, the precise numeric scheme (F32
 * activations times non-F32 weights), a machine without native 256-bit vectors, or kernels made by {@link #scalar}.
 *
 * <p>Not thread-safe: one forward pass drives it (its worker threads are internal). Close it to stop the workers
 * (they are daemons, so an unclosed instance does not keep the JVM alive).
 */
public final class HostKernels implements Kernels, AutoCloseable {
    /** Below this many weight bytes × tokens a matmul runs on the calling thread alone: handing over costs more. */
    private static final long PARALLEL_THRESHOLD = 64 * 1024;
    /** Chunks per participant: small enough that a thread slowed by other processes does not hold everyone up. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** Below this many head elements × positions, attention runs on the calling thread alone. */
    private static final long ATTENTION_PARALLEL_THRESHOLD = 32 * 1024;
    /** SwiGLU's exponentials are computed this many at a time. */
    private static final int SWIGLU_CHUNK = 256;

    /** Whether {@link #interleave} repacks anything ({@code -Dtealama.interleave=false}: no, to compare). */
    private static final boolean INTERLEAVE = !"false".equals(System.getProperty("tealama.interleave"));

    private final boolean vector;
    private final WorkerPool pool;
    private final Scratch[] scratch;
    private final ScalarKernels[] scalar;
    private final Activations activations = new Activations();
    private final Map<Matrix, MemorySegment> segments = new IdentityHashMap<>();
    /** The matrices {@link #interleave} repacked into the {@link InterleavedLayout} layout. */
    private final Set<Matrix> interleaved = Collections.newSetFromMap(new IdentityHashMap<>());
    private byte[] packedRow = new byte[0];
    private final MatmulJob job = new MatmulJob();
    private final AttentionJob attentionJob = new AttentionJob();
    private final float[] swigluArguments = new float[SWIGLU_CHUNK];
    private final float[] swigluExps = new float[SWIGLU_CHUNK];
    /** One layer's F16 keys and values as floats, for {@link VectorAttention}; grown to the longest context seen. */
    private float[] keys = new float[0];
    private float[] values = new float[0];

    /** Vector kernels (where the hardware supports them) over {@code threads} threads. */
    public HostKernels(int threads) {
        this(threads, true);
    }

    private HostKernels(int threads, boolean vector) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        this.vector = vector && Lanes.SUPPORTED;
        this.pool = new WorkerPool(threads);
        this.scratch = new Scratch[threads];
        this.scalar = new ScalarKernels[threads];
        for (int i = 0; i < threads; i++) {
            scratch[i] = new Scratch();
            scalar[i] = new ScalarKernels();
        }
    }

    /** Core's scalar dot products over {@code threads} threads (for parity checks and comparisons). */
    public static HostKernels scalar(int threads) {
        return new HostKernels(threads, false);
    }

    /** Whether this machine runs the vector kernels natively (else they fall back to scalar). */
    public static boolean vectorSupported() {
        return Lanes.SUPPORTED;
    }

    @Override
    public void matmul(Matrix w, QuantizedVector[] x, int count, float[][] out, int rowStart, int rowEnd) {
        if (count <= 0 || rowEnd <= rowStart) {
            return;
        }
        boolean repacked = interleaved.contains(w);
        WeightKernel kernel = repacked ? interleavedKernel(w, x[0]) : vectorKernel(w, x[0]);
        if (kernel != null) {
            activations.prepare(x, count, repacked ? w.format().type() : null);
            job.vector(kernel, segment(w), w.rowBytes(), w.cols(), activations, out);
        } else {
            job.scalar(w, x, count, out);
        }
        long work = (long) (rowEnd - rowStart) * w.rowBytes() * count;
        int participants = work < PARALLEL_THRESHOLD ? 1 : pool.participants();
        int chunks = participants * CHUNKS_PER_THREAD;
        int chunkRows = Math.max(16, ((rowEnd - rowStart + chunks - 1) / chunks + 15) & ~15);
        job.rows(rowStart, rowEnd, chunkRows);
        if (participants == 1) {
            job.run(0);
        } else {
            pool.run(job);
        }
        job.clear();
    }

    @Override
    public void attention(Attention attention, float[][] q, int count, KvCache cache, int layer, int startPos,
                          float[][] out) {
        if (!vector || !cache.isF16() || !VectorAttention.supports(attention)) {
            Kernels.super.attention(attention, q, count, cache, layer, startPos, out); // precise scheme: F32 cache
            return;
        }
        // the cache as floats once for all heads and tokens (each key is read by groupSize heads and count tokens)
        int used = (startPos + count) * attention.kvDim();
        if (keys.length < used) {
            keys = new float[Math.max(used, 2 * keys.length)];
            values = new float[keys.length];
        }
        VectorAttention.widen(cache.keys16(layer), keys, used);
        VectorAttention.widen(cache.values16(layer), values, used);
        attentionJob.set(attention, q, count, keys, values, startPos, out);
        long work = (long) count * attention.heads() * (startPos + count) * attention.headDim();
        if (work < ATTENTION_PARALLEL_THRESHOLD) {
            attentionJob.run(0);
        } else {
            pool.run(attentionJob);
        }
        attentionJob.clear();
    }

    @Override
    public void swiglu(float[] gate, float[] up, int length) {
        if (!vector) {
            Kernels.super.swiglu(gate, up, length);
            return;
        }
        for (int from = 0; from < length; from += SWIGLU_CHUNK) {
            int n = Math.min(SWIGLU_CHUNK, length - from);
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                FloatVector.fromArray(Lanes.F256, gate, from + i).neg().intoArray(swigluArguments, i);
            }
            for (; i < n; i++) {
                swigluArguments[i] = -gate[from + i];
            }
            VectorMath.expf(swigluArguments, swigluExps, n);
            i = 0;
            for (; i + 8 <= n; i += 8) {
                FloatVector g = FloatVector.fromArray(Lanes.F256, gate, from + i);
                g.div(FloatVector.fromArray(Lanes.F256, swigluExps, i).add(1.0f))
                        .mul(FloatVector.fromArray(Lanes.F256, up, from + i))
                        .intoArray(gate, from + i);
            }
            for (; i < n; i++) {
                float g = gate[from + i];
                gate[from + i] = g / (1.0f + swigluExps[i]) * up[from + i];
            }
        }
    }

    /**
     * Repacks, in place, the Q4_0 and Q8_0 matrices among {@code matrices} that {@link InterleavedQ4_0Kernel} and
     * {@link InterleavedQ8_0Kernel} can read (AVX-512 machines; rows of whole rounds) into the
     * {@link InterleavedLayout}, and multiplies them with those kernels from then on, faster than the GGUF layout's
     * (docs/benchmarks.md). Only for weights in the process's own copy
     * ({@link SegmentSource#ownCopy}: {@code --weights hugepages} or {@code heap}), and only under the llama.cpp
     * numeric scheme (Q8_0 activations): the matrices are then unreadable to core's scalar kernels, and the token
     * embedding's rows are read back through {@link #dequantizeRow}. Call it once, before the first forward pass.
     * Off with {@code -Dtealama.interleave=false}, to compare.
     *
     * @return the bytes repacked
     */
    public long interleave(Iterable<Matrix> matrices) {
        long bytes = 0;
        for (Matrix w : matrices) {
            if (!INTERLEAVE || !vector || !Lanes.WIDE || !InterleavedLayout.fits(w) || interleaved.contains(w)
                    || !(w.source() instanceof SegmentSource source) || !source.ownCopy()) {
                continue;
            }
            InterleavedLayout.packRows(w.format().type(), segment(w), w.rows(), w.rowBytes());
            interleaved.add(w);
            bytes += w.byteSize();
        }
        return bytes;
    }

    /** Row {@code row} of {@code w} as floats: read back from the {@link InterleavedLayout} layout if repacked. */
    @Override
    public void dequantizeRow(Matrix w, int row, byte[] scratch, float[] dst) {
        if (!interleaved.contains(w)) {
            Kernels.super.dequantizeRow(w, row, scratch, dst);
            return;
        }
        int n = w.rowBytes();
        if (packedRow.length < n) {
            packedRow = new byte[n];
        }
        w.source().read(w.rowOffset(row), packedRow, 0, n);
        InterleavedLayout.unpackRow(w.format().type(), packedRow, scratch, n);
        w.format().dequantize(scratch, 0, dst, 0, w.cols());
    }

    /** The kernel for {@code w}, repacked by {@link #interleave}, and activations like {@code x}. */
    private static WeightKernel interleavedKernel(Matrix w, QuantizedVector x) {
        if (x.type() != ActivationType.Q8_0) {
            // the scalar kernels cannot read the repacked layout: this would give wrong results, not slow ones
            throw new IllegalStateException("the repacked matrix " + w.name()
                    + " can only be multiplied by Q8_0 activations, not " + x.type());
        }
        return w.format().type() == GgmlType.Q4_0 ? InterleavedQ4_0Kernel.INSTANCE : InterleavedQ8_0Kernel.INSTANCE;
    }

    /** The vector kernel for {@code w} and activations like {@code x}, or null where the scalar path applies. */
    private WeightKernel vectorKernel(Matrix w, QuantizedVector x) {
        if (!vector || !(w.source() instanceof SegmentSource)) {
            return null;
        }
        WeightKernel kernel = WeightKernel.of(w.format());
        return kernel.activationType() == x.type() ? kernel : null; // F32 activations elsewhere: precise scheme
    }

    private MemorySegment segment(Matrix w) {
        MemorySegment s = segments.get(w);
        if (s == null) {
            s = ((SegmentSource) w.source()).segment(w.offset(), w.byteSize());
            segments.put(w, s);
        }
        return s;
    }

    public int threads() {
        return pool.participants();
    }

    @Override
    public String name() {
        return (vector ? "vector" : "scalar") + " x" + pool.participants();
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * One matmul, shared by the participants: they take chunks of rows from a counter until none are left, so a
     * thread that another process slows down just takes fewer chunks.
     */
    private final class MatmulJob implements WorkerPool.Job {
        private final AtomicInteger nextChunk = new AtomicInteger();
        // vector path
        private WeightKernel kernel;
        private MemorySegment weights;
        private int rowBytes;
        private int cols;
        private Activations prepared;
        // scalar path
        private Matrix matrix;
        private QuantizedVector[] x;
        private int count;
        // both
        private float[][] out;
        private int rowStart;
        private int rowEnd;
        private int chunkRows;

        void vector(WeightKernel kernel, MemorySegment weights, int rowBytes, int cols, Activations prepared,
                    float[][] out) {
            this.kernel = kernel;
            this.weights = weights;
            this.rowBytes = rowBytes;
            this.cols = cols;
            this.prepared = prepared;
            this.out = out;
        }

        void scalar(Matrix matrix, QuantizedVector[] x, int count, float[][] out) {
            this.matrix = matrix;
            this.x = x;
            this.count = count;
            this.out = out;
        }

        void rows(int rowStart, int rowEnd, int chunkRows) {
            this.rowStart = rowStart;
            this.rowEnd = rowEnd;
            this.chunkRows = chunkRows;
            nextChunk.set(0);
        }

        /** Drops references to the caller's arrays so they are not kept alive between matmuls. */
        void clear() {
            kernel = null;
            weights = null;
            prepared = null;
            matrix = null;
            x = null;
            out = null;
        }

        @Override
        public void run(int participant) {
            while (true) {
                int from = rowStart + nextChunk.getAndIncrement() * chunkRows;
                if (from >= rowEnd) {
                    return;
                }
                int to = Math.min(rowEnd, from + chunkRows);
                if (kernel != null) {
                    kernel.multiply(weights, rowBytes, cols, from, to, prepared, out, scratch[participant]);
                } else {
                    scalar[participant].matmul(matrix, x, count, out, from, to);
                }
            }
        }
    }

    /** One batch's attention, shared by the participants: they take (token, head) pairs from a counter. */
    private final class AttentionJob implements WorkerPool.Job {
        private final AtomicInteger next = new AtomicInteger();
        private Attention shape;
        private float[][] q;
        private int count;
        private float[] keys;
        private float[] values;
        private int startPos;
        private float[][] out;

        void set(Attention shape, float[][] q, int count, float[] keys, float[] values, int startPos,
                 float[][] out) {
            this.shape = shape;
            this.q = q;
            this.count = count;
            this.keys = keys;
            this.values = values;
            this.startPos = startPos;
            this.out = out;
            next.set(0);
        }

        void clear() {
            shape = null;
            q = null;
            keys = null;
            values = null;
            out = null;
        }

        @Override
        public void run(int participant) {
            int heads = shape.heads();
            int tasks = count * heads;
            for (int task = next.getAndIncrement(); task < tasks; task = next.getAndIncrement()) {
                int t = task / heads;
                VectorAttention.head(shape, q[t], task % heads, keys, values, startPos + t, out[t],
                        scratch[participant]);
            }
        }
    }
}

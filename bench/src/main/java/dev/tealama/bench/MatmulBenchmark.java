package dev.tealama.bench;

import dev.tealama.cli.kernels.HostKernels;
import dev.tealama.cli.store.HeapSource;
import dev.tealama.cli.store.HugePageSource;
import dev.tealama.cli.store.MappedFileSource;
import dev.tealama.cli.store.SegmentSource;
import dev.tealama.model.Kernels;
import dev.tealama.model.Matrix;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.BFloat16;
import dev.tealama.tensor.Float16;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;
import dev.tealama.tensor.WeightQuantizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One matrix × one token (generation's matmul) on one thread, for every weight type, at Llama-3.2-1B layer shapes:
 * the host's vector kernels against core's scalar kernels. The weights are random (quantized from Gaussian values
 * where core has a quantizer, random quants with sane scales otherwise) in a memory-mapped file, as the CLI reads
 * them. A matrix of 8192 × 2048 Q8_0 is 17.8 MB: beyond the L2 cache, so the figures include memory traffic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatmulBenchmark {

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    /** rows x cols: the FFN up/gate projection (8192 x 2048) and the FFN down projection (2048 x 8192). */
    @Param({"8192x2048", "2048x8192"})
    public String shape;

    /**
     * vector: the host's kernels on the file's mapping; interleaved: on a copy (in huge pages where it can be, as
     * {@code --weights auto} makes it), Q4_0 and Q8_0 repacked; scalar: core's.
     */
    @Param({"vector", "interleaved", "scalar"})
    public String kernels;

    private Path file;
    private SegmentSource source;
    private Kernels kernel;
    private Matrix matrix;
    private QuantizedVector[] x;
    private float[][] out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        GgmlType ggml = GgmlType.valueOf(type);
        int rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
        int cols = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
        SplittableRandom random = new SplittableRandom(42);
        file = Files.createTempFile("tealama-bench-", "." + type);
        byte[] bytes = RandomWeights.of(ggml, rows, cols, random);
        Files.write(file, bytes);
        source = open(kernels, file, bytes);
        matrix = new Matrix("bench", WeightFormat.of(ggml), rows, cols, source, 0);
        float[] values = new float[cols];
        for (int i = 0; i < cols; i++) {
            values[i] = (float) random.nextGaussian();
        }
        QuantizedVector q = new QuantizedVector(WeightFormat.of(ggml).activationType(), cols);
        q.quantize(values, 0, cols);
        x = new QuantizedVector[] {q};
        out = new float[1][rows];
        kernel = kernels(kernels, matrix);
    }

    @Benchmark
    public float[][] matmul() {
        kernel.matmul(matrix, x, 1, out, 0, matrix.rows());
        return out;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (kernel instanceof AutoCloseable c) {
            c.close();
        }
        source.close();
        Files.deleteIfExists(file);
    }

    /** The weights of {@code file} (whose bytes are {@code bytes}) where the {@code kernels} parameter reads them. */
    static SegmentSource open(String kernels, Path file, byte[] bytes) {
        if (!kernels.equals("interleaved")) {
            return MappedFileSource.open(file);
        }
        return HugePageSource.unavailableReason() == null ? HugePageSource.load(file) : HeapSource.copyOf(bytes);
    }

    /** The kernels the {@code kernels} parameter names, with {@code matrix} repacked for "interleaved". */
    static Kernels kernels(String kernels, Matrix matrix) {
        if (kernels.equals("scalar")) {
            return new ScalarKernels();
        }
        HostKernels host = new HostKernels(1);
        if (kernels.equals("interleaved")) {
            host.interleave(List.of(matrix));
        }
        return host;
    }

    /** Random weight bytes of a type. */
    static final class RandomWeights {
        private RandomWeights() {
        }

        static byte[] of(GgmlType type, int rows, int cols, SplittableRandom random) {
            long n = (long) rows * cols;
            byte[] w = new byte[(int) type.bytesFor(n)];
            switch (type) {
                case F32 -> {
                    for (int i = 0; i < n; i++) {
                        int bits = Float.floatToRawIntBits((float) random.nextGaussian());
                        for (int k = 0; k < 4; k++) {
                            w[4 * i + k] = (byte) (bits >>> (8 * k));
                        }
                    }
                }
                case F16, BF16 -> {
                    for (int i = 0; i < n; i++) {
                        float f = (float) random.nextGaussian();
                        short h = type == GgmlType.F16 ? Float16.fromFloat(f) : BFloat16.fromFloat(f);
                        w[2 * i] = (byte) h;
                        w[2 * i + 1] = (byte) (h >> 8);
                    }
                }
                case Q8_0, Q4_0 -> {
                    float[] f = new float[cols];
                    int rowBytes = (int) type.bytesFor(cols);
                    for (int r = 0; r < rows; r++) {
                        for (int i = 0; i < cols; i++) {
                            f[i] = (float) random.nextGaussian();
                        }
                        ((WeightQuantizer) WeightFormat.of(type)).quantize(f, 0, w, r * rowBytes, cols);
                    }
                }
                default -> {
                    random.nextBytes(w);
                    for (int b = 0; b < w.length / type.blockBytes(); b++) {
                        int p = b * type.blockBytes();
                        if (type == GgmlType.Q6_K) {
                            putHalf(w, p + 208, random.nextDouble(0.0005, 0.01));
                        } else {
                            putHalf(w, p, random.nextDouble(0.0005, 0.05));
                            putHalf(w, p + 2, random.nextDouble(0, 0.01));
                        }
                    }
                }
            }
            return w;
        }

        private static void putHalf(byte[] w, int p, double value) {
            short h = Float16.fromFloat((float) value);
            w[p] = (byte) h;
            w[p + 1] = (byte) (h >> 8);
        }
    }

    static {
        // fail early, with a clear message, when the incubator module is missing
        try {
            Class.forName("jdk.incubator.vector.IntVector");
        } catch (ClassNotFoundException e) {
            throw new UncheckedIOException(new IOException("run with --add-modules jdk.incubator.vector", e));
        }
    }
}

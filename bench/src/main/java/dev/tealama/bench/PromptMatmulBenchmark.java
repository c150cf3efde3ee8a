package dev.tealama.bench;

import dev.tealama.cli.store.SegmentSource;
import dev.tealama.model.Kernels;
import dev.tealama.model.Matrix;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.tensor.WeightFormat;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A prompt batch's matmul: one 2048 × 2048 matrix (a Llama-3.2-1B attention projection) times 64 tokens on one
 * thread, vector kernels (on AVX-512, Q8_0 and Q4_0 multiply each decoded weight block by two groups of 16 tokens
 * at once, {@code TokenLanes}; compare with one group at a time by adding {@code -Dtealama.pairs=false} to
 * {@code -jvmArgsAppend}, together with the annotation's two flags, which it replaces) against core's scalar kernels
 * (which read each row once for all tokens).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PromptMatmulBenchmark {
    private static final int ROWS = 2048;
    private static final int COLS = 2048;
    private static final int TOKENS = 64;

    @Param({"Q8_0", "Q4_0", "Q4_K", "F16"})
    public String type;

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
        SplittableRandom random = new SplittableRandom(42);
        file = Files.createTempFile("tealama-bench-", "." + type);
        byte[] bytes = MatmulBenchmark.RandomWeights.of(ggml, ROWS, COLS, random);
        Files.write(file, bytes);
        source = MatmulBenchmark.open(kernels, file, bytes);
        matrix = new Matrix("bench", WeightFormat.of(ggml), ROWS, COLS, source, 0);
        x = new QuantizedVector[TOKENS];
        for (int t = 0; t < TOKENS; t++) {
            float[] values = new float[COLS];
            for (int i = 0; i < COLS; i++) {
                values[i] = (float) random.nextGaussian();
            }
            x[t] = new QuantizedVector(WeightFormat.of(ggml).activationType(), COLS);
            x[t].quantize(values, 0, COLS);
        }
        out = new float[TOKENS][ROWS];
        kernel = MatmulBenchmark.kernels(kernels, matrix);
    }

    @Benchmark
    public float[][] matmul() {
        kernel.matmul(matrix, x, TOKENS, out, 0, ROWS);
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
}

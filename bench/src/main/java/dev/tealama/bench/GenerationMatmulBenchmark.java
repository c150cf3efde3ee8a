package dev.tealama.bench;

import dev.tealama.cli.kernels.HostKernels;
import dev.tealama.cli.store.MappedFileSource;
import dev.tealama.gguf.GgufFile;
import dev.tealama.gguf.TensorInfo;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Generation's matmuls on a real model file: one token times every Q8_0 / Q4_0 matrix of a memory-mapped GGUF file
 * (all layers, in file order), so each invocation streams the whole model's weights from memory as a generated
 * token does, far beyond any cache. The figure is the weight-reading time of one token; divide the matrices' bytes
 * by it for GB/s. The model file is a parameter ({@code -p model=...}). To compare kernel variants switched by a
 * system property, pass it with {@code -jvmArgsAppend "--add-modules jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED -Dname=value"} (the option replaces the annotation's flags).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GenerationMatmulBenchmark {

    @Param({"/work/scratch/models/llama-1b-Q4_0.gguf"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private MappedFileSource source;
    private HostKernels kernels;
    private final List<Matrix> matrices = new ArrayList<>();
    private QuantizedVector[][] inputs;
    private float[][][] outputs;

    @Setup(Level.Trial)
    public void setUp() {
        source = MappedFileSource.open(Path.of(model));
        GgufFile gguf = GgufFile.read(source);
        for (TensorInfo t : gguf.tensors()) {
            if ((t.type() == GgmlType.Q4_0 || t.type() == GgmlType.Q8_0) && t.nDims() == 2) {
                matrices.add(new Matrix(t.name(), WeightFormat.of(t.type()), (int) t.dim(1), (int) t.dim(0),
                        source, t.offset()));
            }
        }
        SplittableRandom random = new SplittableRandom(7);
        inputs = new QuantizedVector[matrices.size()][];
        outputs = new float[matrices.size()][][];
        for (int i = 0; i < matrices.size(); i++) {
            Matrix m = matrices.get(i);
            float[] values = new float[m.cols()];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) random.nextGaussian();
            }
            QuantizedVector q = new QuantizedVector(m.format().activationType(), m.cols());
            q.quantize(values, 0, values.length);
            inputs[i] = new QuantizedVector[] {q};
            outputs[i] = new float[1][m.rows()];
        }
        kernels = new HostKernels(threads);
    }

    @Benchmark
    public float[][][] token() {
        for (int i = 0; i < matrices.size(); i++) {
            Matrix m = matrices.get(i);
            kernels.matmul(m, inputs[i], 1, outputs[i], 0, m.rows());
        }
        return outputs;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        kernels.close();
        source.close();
    }
}

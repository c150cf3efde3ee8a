package dev.tealama.cli.kernels;

import dev.tealama.cli.WeightsStrategy;
import dev.tealama.cli.store.SegmentSource;
import dev.tealama.model.LayerWeights;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.Matrix;
import dev.tealama.model.ReferenceModels;
import dev.tealama.model.ScalarKernels;
import dev.tealama.tensor.GgmlType;
import dev.tealama.tensor.QuantizedVector;
import dev.tealama.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector kernels against core's scalar kernels on the real rows of the committed models (every matrix of the
 * first and last layer and the output), for one token and batches of 5 and 11 (a group of 8 and the rest), through
 * {@link HostKernels} with several threads: each output within {@link KernelFixtures#tolerance} of its
 * {@code Σ|terms|}.
 */
class ModelRowsParityTest {
    static final List<ReferenceModels> MODELS = ReferenceModels.COMMITTED;

    @ParameterizedTest
    @FieldSource("MODELS")
    void vectorMatmulMatchesScalar(ReferenceModels m) {
        try (SegmentSource source = WeightsStrategy.MMAP.open(TestData.model(m.file()),
                new PrintStream(OutputStream.nullOutputStream()));
             HostKernels vector = new HostKernels(3)) {
            LlamaModel model = LlamaModel.load(source);
            List<LayerWeights> layers = model.weights().layers();
            List<Matrix> matrices = new ArrayList<>();
            for (LayerWeights l : List.of(layers.get(0), layers.get(layers.size() - 1))) {
                matrices.addAll(l.matrices());
            }
            matrices.add(model.weights().output());
            SplittableRandom random = new SplittableRandom(m.file().hashCode());
            for (Matrix w : matrices) {
                for (int count : new int[] {1, 5, 11}) {
                    compare(w, count, vector, random);
                }
            }
        }
    }

    private static void compare(Matrix w, int count, HostKernels vector, SplittableRandom random) {
        GgmlType type = w.format().type();
        QuantizedVector[] x = new QuantizedVector[count];
        for (int t = 0; t < count; t++) {
            x[t] = KernelFixtures.activations(type, w.cols(), random);
        }
        float[][] expected = new float[count][w.rows()];
        float[][] actual = new float[count][w.rows()];
        new ScalarKernels().matmul(w, x, count, expected, 0, w.rows());
        vector.matmul(w, x, count, actual, 0, w.rows());
        byte[] row = new byte[w.rowBytes()];
        for (int r = 0; r < w.rows(); r++) {
            w.source().read(w.rowOffset(r), row, 0, row.length);
            for (int t = 0; t < count; t++) {
                double magnitude = KernelFixtures.magnitude(type, row, 0, x[t], w.cols());
                double tolerance = KernelFixtures.tolerance(Math.max(1, w.cols() / 32), magnitude);
                double diff = Math.abs(expected[t][r] - actual[t][r]);
                assertTrue(diff <= tolerance, w.name() + " (" + type + ") row " + r + " token " + t + ": scalar "
                        + expected[t][r] + ", vector " + actual[t][r] + ", tolerance " + tolerance);
            }
        }
    }
}
